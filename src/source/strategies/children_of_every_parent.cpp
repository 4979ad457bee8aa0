#include "core/error.hpp"
#include "core/raw_record.hpp"
#include "source/checkpoint_json.hpp"
#include "source/listing_checks.hpp"
#include "source/page_through.hpp"
#include "source/record_cursor.hpp"
#include "source/strategies/strategies.hpp"

namespace wc::source::strategies {
namespace json = boost::json;
namespace {

std::string replace_parent(std::string path, std::int64_t parent_id) {
  auto pos = path.find("{parent_id}");
  if (pos != std::string::npos) {
    path.replace(pos, 11, std::to_string(parent_id));
  }
  return path;
}

} // namespace

void children_of_one_parent(ReadContext &ctx, const StreamDefinition &d, const std::string &path,
                            std::int64_t parent_id, const std::optional<UnixSeconds> &since) {
  const std::string child_path = replace_parent(path, parent_id);
  auto handle = [&](json::array &records) {
    for (auto &v : records) {
      auto &rec = v.as_object();
      if (since && !d.cursor_field.empty()) {
        auto t = record_time(rec, d.cursor_field);
        if (t && *t < *since) {
          continue;
        }
      }
      set_member(rec, d.parent->key, parent_id);
      ctx.emit(d, rec);
    }
  };
  if (d.paging == Paging::kSingle) {
    const PageRequest request = listing_of(child_path, d.params);
    Page page = ctx.pages.fetch(request, d.name);
    if (!page.body.is_array()) {
      throw system_error(d.name + ": expected a JSON list from " + child_path);
    }
    require_records(page.body.as_array(), key_members(d), d.name, ctx.pages.describe(request));
    handle(page.body.as_array());
  } else {
    page_through(
        ctx, paged_listing_of(child_path, d), d.name, 1,
        [&](json::array &records, int) { handle(records); }, false, key_members(d));
  }
}

void children_of_every_parent(ReadContext &ctx, const StreamDefinition &d, const std::string &path,
                              const std::optional<UnixSeconds> &since, const json::object *state,
                              bool resumable) {
  const auto &parent_ref = *d.parent;
  // Only the ids of the parents are needed: a cheap projection, in a stable order.
  PageRequest parent_ids = listing_of(parent_ref.path, parent_ref.params);
  parent_ids.members = {"id"};
  parent_ids.order = Ordering::kById;
  parent_ids.type = parent_ref.type;
  const int first = resumable ? checkpoint::resume_page(state) : 1;
  auto read_parent = [&](std::int64_t parent_id) {
    children_of_one_parent(ctx, d, path, parent_id, since);
  };
  auto handle_parents = [&](json::array &parents) {
    for (auto &p : parents) {
      if (ctx.cancelled != nullptr && ctx.cancelled->load()) {
        throw transient_error(d.name + ": interrupted");
      }
      if (auto id = record_id(p.as_object())) {
        read_parent(*id);
      }
    }
  };
  if (parent_ref.paging == Paging::kSingle) {
    const PageRequest request = listing_of(parent_ref.path, parent_ref.params);
    Page page = ctx.pages.fetch(request, d.name);
    if (!page.body.is_array()) {
      throw system_error(d.name + ": expected a JSON list from " + parent_ref.path);
    }
    require_records(page.body.as_array(), {"id"}, d.name, ctx.pages.describe(request));
    handle_parents(page.body.as_array());
  } else {
    page_through(ctx, parent_ids, d.name, first,
                 [&](json::array &parents, int next_page) {
                   handle_parents(parents);
                   if (resumable) {
                     ctx.out.stream_state(d.name, checkpoint::resume_at(next_page));
                   }
                 },
                 false, {"id"}); // the parents' total is not this stream's
  }
}

void every_parent_filtered(ReadContext &ctx, const StreamDefinition &d, const std::string &path,
                           const json::object *state, const StartPoint &start) {
  children_of_every_parent(ctx, d, path, start.cursor, nullptr, false);
  CursorState end{ctx.ceiling ? std::optional<UnixSeconds>(*ctx.ceiling - 1) : start.cursor, {}};
  ctx.out.stream_state(d.name, checkpoint::cursor_blob(d, end, start.syncs_since_full,
                                                       checkpoint::carried(d, state)));
}

} // namespace wc::source::strategies
