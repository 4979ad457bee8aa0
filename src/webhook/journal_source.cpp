#include "webhook/journal_source.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <mutex>
#include <optional>

#include "config/connector_config.hpp"
#include "core/error.hpp"
#include "core/time_util.hpp"
#include "http/http_client.hpp"
#include "http/http_types.hpp"
#include "http/request_signer.hpp"
#include "http/transport.hpp"
#include "webhook/event_mapper.hpp"
#include "webhook/journal_reader.hpp"

namespace wc::webhook {
namespace {

class LocalJournalSource : public JournalSource {
public:
  explicit LocalJournalSource(const std::string &path) : reader_(path) {}

  std::vector<JournalChange> fetch(std::int64_t after_seq, std::size_t limit) override {
    std::vector<JournalChange> out;
    if (limit == 0) {
      return out;
    }
    // Skip unmappable rows without returning an empty page while newer rows exist.
    for (;;) {
      auto rows = reader_.fetch(after_seq, limit - out.size());
      if (rows.empty()) {
        return out;
      }
      for (const auto &row : rows) {
        after_seq = row.seq;
        if (auto change = to_journal_change(row)) {
          out.push_back(std::move(*change));
        }
      }
      if (out.size() >= limit || !out.empty()) {
        return out;
      }
    }
  }

  std::vector<JournalGap> gaps(std::int64_t since_ms) override {
    std::vector<JournalGap> out;
    for (const auto &d : reader_.down_times(since_ms, now_millis())) {
      out.push_back({d.from_ms, d.to_ms});
    }
    return out;
  }

  std::int64_t last_seq() override { return reader_.last_seq(); }

private:
  JournalReader reader_;
};

struct ParsedUrl {
  http::Origin origin;
  std::string path;
};

ParsedUrl parse_url(const std::string &url) {
  ParsedUrl out;
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    out.origin.scheme = "https";
    out.origin.port = 443;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    out.origin.scheme = "http";
    out.origin.port = 80;
    rest = url.substr(7);
  } else {
    throw config_error("webhook_journal must be a file path or an https:// URL.");
  }
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  out.path = slash == std::string::npos ? "/changes" : rest.substr(slash);
  if (out.path == "/" || out.path.empty()) {
    out.path = "/changes";
  }
  if (authority.find('@') != std::string::npos) {
    throw config_error("webhook_journal: put the token in webhook_journal_token, not in the URL.");
  }
  std::string host = authority;
  std::string port_text;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string::npos) {
      throw config_error("webhook_journal: the URL's IPv6 host has no closing ']'.");
    }
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') {
        throw config_error("webhook_journal: the URL has a malformed host.");
      }
      port_text = authority.substr(close + 2);
      has_port = true;
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string::npos) {
    host = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
    has_port = true;
  }
  if (has_port) {
    auto port = http::parse_port(port_text);
    if (!port) {
      throw config_error("webhook_journal: the URL's port \"" + port_text +
                         "\" is not a number from 1 to 65535.");
    }
    out.origin.port = *port;
  }
  if (host.empty()) {
    throw config_error("webhook_journal: the URL has no host.");
  }
  out.origin.host = host;
  bool loopback = host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
  if (out.origin.scheme == "http" && !loopback) {
    throw config_error("webhook_journal: plain http:// is only allowed for a receiver on "
                       "127.0.0.1; use https:// (the bearer token would travel in clear).");
  }
  return out;
}

std::int64_t as_int(const boost::json::value *v) {
  if (v == nullptr) {
    return 0;
  }
  if (v->is_int64()) {
    return v->as_int64();
  }
  if (v->is_uint64()) {
    return static_cast<std::int64_t>(v->as_uint64());
  }
  return 0;
}

// The receiver's token, sent as a bearer token on every attempt.
class BearerToken : public http::RequestSigner {
public:
  explicit BearerToken(std::string token) : token_(std::move(token)) {}
  void apply(http::Request &request, const http::Origin &) const override {
    request.headers.emplace_back("Authorization", "Bearer " + token_);
  }

private:
  std::string token_;
};

// GET /changes through http::HttpClient: the same retries, request budget, in-flight limit and
// redacted errors as every other request.
class RemoteJournalSource : public JournalSource {
public:
  RemoteJournalSource(ParsedUrl url, std::string token, const http::TransportOptions &transport,
                      const http::ClientOptions &client)
      : url_(std::move(url)), where_(url_.origin.scheme + "://" + url_.origin.host + ":" +
                                     std::to_string(url_.origin.port) + url_.path),
        client_(http::make_httplib_transport(url_.origin, transport),
                std::make_unique<BearerToken>(std::move(token)), url_.origin, client) {}

  std::vector<JournalChange> fetch(std::int64_t after_seq, std::size_t limit) override {
    auto body = call({{"after", std::to_string(after_seq)}, {"limit", std::to_string(limit)}});
    std::vector<JournalChange> out;
    const auto *changes = body.if_contains("changes");
    if (changes == nullptr || !changes->is_array()) {
      throw transient_error("The webhook receiver's /changes answer has no changes list.");
    }
    for (const auto &item : changes->as_array()) {
      if (!item.is_object()) {
        continue;
      }
      const auto &o = item.as_object();
      JournalChange c;
      c.seq = as_int(o.if_contains("seq"));
      c.id = as_int(o.if_contains("id"));
      c.received_at_ms = as_int(o.if_contains("received_at_ms"));
      if (const auto *s = o.if_contains("stream"); s != nullptr && s->is_string()) {
        c.stream = std::string(s->as_string());
      }
      if (const auto *e = o.if_contains("event"); e != nullptr && e->is_string()) {
        c.event = std::string(e->as_string());
      }
      const auto *rec = o.if_contains("record");
      if (c.seq <= 0 || c.stream.empty() || rec == nullptr || !rec->is_object()) {
        continue;
      }
      c.record_json = boost::json::serialize(*rec);
      out.push_back(std::move(c));
    }
    return out;
  }

  std::vector<JournalGap> gaps(std::int64_t since_ms) override {
    auto body = call({{"limit", "0"}, {"gaps_since", std::to_string(since_ms)}});
    std::vector<JournalGap> out;
    if (const auto *g = body.if_contains("gaps"); g != nullptr && g->is_array()) {
      for (const auto &item : g->as_array()) {
        if (item.is_object()) {
          out.push_back({as_int(item.as_object().if_contains("from_ms")),
                         as_int(item.as_object().if_contains("to_ms"))});
        }
      }
    }
    return out;
  }

  std::int64_t last_seq() override {
    auto body = call({{"limit", "0"}});
    return as_int(body.if_contains("last_seq"));
  }

private:
  boost::json::object call(http::Params params) {
    // A receiver that stayed unreachable through every retry is not asked again in this read:
    // each journaled stream would wait through the same retries (polling covers the sync).
    {
      std::lock_guard lock(mu_);
      if (unreachable_) {
        throw *unreachable_;
      }
    }
    http::Request req;
    req.method = "GET";
    req.path = url_.path;
    req.params = std::move(params);
    req.headers.emplace_back("Accept", "application/json");
    req.label = "the webhook receiver at " + where_;
    http::Response res;
    try {
      res = client_.send(std::move(req));
    } catch (const Error &e) {
      if (e.type() == FailureType::kTransient) {
        std::lock_guard lock(mu_);
        unreachable_.emplace(e);
      }
      throw;
    }
    const std::string &where = where_;
    if (res.status == 401 || res.status == 403) {
      throw config_error("The webhook receiver at " + where +
                         " refused webhook_journal_token (HTTP " + std::to_string(res.status) +
                         "); use the token the receiver was started with.");
    }
    if (res.status == 404) {
      throw config_error("The webhook receiver at " + where +
                         " has no /changes endpoint enabled (HTTP 404): set "
                         "webhook_journal_token in the receiver's config.");
    }
    if (res.status != 200) {
      throw transient_error("The webhook receiver at " + where + " answered HTTP " +
                            std::to_string(res.status) + ".");
    }
    boost::system::error_code ec;
    auto v = boost::json::parse(res.body, ec);
    if (ec || !v.is_object()) {
      throw transient_error("The webhook receiver at " + where + " did not answer JSON.");
    }
    return std::move(v.as_object());
  }

  ParsedUrl url_;
  std::string where_;
  http::HttpClient client_;
  std::mutex mu_; // stream workers read the journal at the same time
  std::optional<Error> unreachable_;
};

} // namespace

std::optional<JournalChange> to_journal_change(const StoredChange &row) {
  auto mapped = map_delivery(row.resource, row.event, row.payload, row.received_at_ms);
  if (!mapped) {
    return std::nullopt;
  }
  JournalChange c;
  c.seq = row.seq;
  c.stream = std::move(mapped->stream);
  c.event = row.event;
  c.id = mapped->id;
  c.record_json = std::move(mapped->record_json);
  c.received_at_ms = row.received_at_ms;
  return c;
}

std::unique_ptr<JournalSource> open_local_journal_source(const std::string &path) {
  return std::make_unique<LocalJournalSource>(path);
}

std::unique_ptr<JournalSource> open_journal_source(const ConnectorConfig &config) {
  const std::string &where = config.webhook_journal;
  if (where.empty()) {
    throw config_error("webhook_journal is not set: give the journal file of a local receiver "
                       "or the https:// URL of its /changes endpoint.");
  }
  if (where.rfind("http://", 0) == 0 || where.rfind("https://", 0) == 0) {
    ParsedUrl url = parse_url(where);
    if (config.webhook_journal_token.empty()) {
      throw config_error("webhook_journal is a URL but webhook_journal_token is empty: set the "
                         "token the receiver was configured with.");
    }
    http::TransportOptions options;
    options.ca_certificate_pem = config.ca_certificate_pem;
    options.verify_tls = config.verify_tls;
    options.user_agent = config.user_agent.empty() ? "source-woocommerce" : config.user_agent;
    options.read_timeout_seconds = 60;
    return std::make_unique<RemoteJournalSource>(std::move(url), config.webhook_journal_token,
                                                 options, config.client);
  }
  return open_local_journal_source(where);
}

} // namespace wc::webhook
