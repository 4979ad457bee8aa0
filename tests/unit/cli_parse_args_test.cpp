// The connector's one argv parser (cli/parse_args.cpp): every command's options, subcommands,
// required options, unknown options, missing values, --help, and the usage texts it owns.
#include <gtest/gtest.h>

#include "cli/invocation.hpp"

using wc::cli::Invocation;
using wc::cli::parse_args;
using wc::cli::UsageError;

namespace {

Invocation parse(std::vector<std::string> args) { return parse_args(args); }

// The message of the UsageError parse_args throws ("" when it does not throw).
std::string usage_error(std::vector<std::string> args) {
  try {
    parse_args(args);
  } catch (const UsageError &e) {
    return e.message;
  }
  return "";
}

using Flags = std::map<std::string, std::string>;

} // namespace

TEST(CliParseArgs, NothingOrAnOptionFirstIsAUsageError) {
  EXPECT_EQ(usage_error({}), "no command given");
  EXPECT_EQ(usage_error({"-x"}), "no command given (options come after the command)");
  // Only Singer's own options start a Singer invocation.
  EXPECT_EQ(usage_error({"--listen", "h:1"}), "no command given (options come after the command)");
  EXPECT_EQ(usage_error({"frobnicate"}), "unknown command 'frobnicate'");
  EXPECT_EQ(usage_error({"singer", "--config", "c"}), "unknown command 'singer'");
}

TEST(CliParseArgs, HelpAndVersionBeforeAnyCommand) {
  for (const char *h : {"--help", "-h", "help"}) {
    Invocation inv = parse({h});
    EXPECT_TRUE(inv.help) << h;
    EXPECT_EQ(inv.command, "") << h;
  }
  for (const char *v : {"--version", "-V"}) {
    Invocation inv = parse({v});
    EXPECT_TRUE(inv.version) << v;
    EXPECT_FALSE(inv.help) << v;
  }
}

TEST(CliParseArgs, Spec) {
  Invocation inv = parse({"spec"});
  EXPECT_EQ(inv.command, "spec");
  EXPECT_TRUE(inv.flags.empty());
  EXPECT_FALSE(inv.help);
  EXPECT_EQ(usage_error({"spec", "--config", "c"}), "unknown option '--config' for spec");
  EXPECT_EQ(usage_error({"spec", "extra"}), "unexpected argument 'extra'");
}

TEST(CliParseArgs, CheckAndDiscoverNeedConfig) {
  for (const char *cmd : {"check", "discover"}) {
    Invocation inv = parse({cmd, "--config", "c.json"});
    EXPECT_EQ(inv.command, cmd);
    EXPECT_EQ(inv.flags, (Flags{{"config", "c.json"}}));
    EXPECT_EQ(usage_error({cmd}), std::string(cmd) + " needs --config FILE");
    EXPECT_EQ(usage_error({cmd, "--config"}), "option '--config' needs a value");
    EXPECT_EQ(usage_error({cmd, "--config", "c", "--catalog", "k"}),
              "unknown option '--catalog' for " + std::string(cmd));
  }
}

TEST(CliParseArgs, ReadOptions) {
  Invocation inv = parse({"read", "--config", "c", "--catalog=k", "--state", "s", "--quiet"});
  EXPECT_EQ(inv.command, "read");
  EXPECT_EQ(inv.flags,
            (Flags{{"config", "c"}, {"catalog", "k"}, {"state", "s"}, {"quiet", "true"}}));
  EXPECT_EQ(parse({"read", "--config", "c", "--catalog", "k", "--progress"}).flags.at("progress"),
            "true");
  EXPECT_EQ(usage_error({"read", "--config", "c"}), "read needs --catalog FILE");
  EXPECT_EQ(usage_error({"read", "--catalog", "k"}), "read needs --config FILE");
  EXPECT_EQ(usage_error({"read", "--config", "c", "--catalog", "k", "--state"}),
            "option '--state' needs a value");
  EXPECT_EQ(usage_error({"read", "--config", "c", "--config", "d", "--catalog", "k"}),
            "option '--config' given twice");
  EXPECT_EQ(usage_error({"read", "--config", "c", "--catalog", "k", "--json"}),
            "unknown option '--json' for read");
}

TEST(CliParseArgs, HelpAfterACommandSkipsItsRequiredOptions) {
  for (const char *cmd : {"check", "discover", "read", "webhooks", "serve"}) {
    for (const char *h : {"--help", "-h"}) {
      Invocation inv = parse({cmd, h});
      EXPECT_TRUE(inv.help) << cmd << " " << h;
      EXPECT_EQ(inv.command, cmd);
    }
  }
  // An unknown option is still an error next to --help.
  EXPECT_EQ(usage_error({"read", "--help", "--nope"}), "unknown option '--nope' for read");
}

TEST(CliParseArgs, WebhooksSubcommandsAndOptions) {
  Invocation inv = parse({"webhooks", "register", "--config", "c", "--delivery-url",
                          "https://x/hook", "--topics=order.created", "--json"});
  EXPECT_EQ(inv.command, "webhooks");
  EXPECT_EQ(inv.subcommand, "register");
  EXPECT_EQ(inv.flags, (Flags{{"config", "c"},
                              {"delivery-url", "https://x/hook"},
                              {"topics", "order.created"},
                              {"json", "true"}}));
  EXPECT_EQ(inv.get("topics"), "order.created");
  EXPECT_EQ(inv.get("nothing"), std::nullopt);
  EXPECT_TRUE(inv.has("json"));
  // The subcommand may come after the options.
  EXPECT_EQ(parse({"webhooks", "--config", "c", "list"}).subcommand, "list");
  EXPECT_EQ(parse({"webhooks", "delete", "--config", "c"}).subcommand, "delete");
  EXPECT_EQ(usage_error({"webhooks", "--config", "c"}), "say register, list or delete.");
  EXPECT_EQ(usage_error({"webhooks", "list", "delete", "--config", "c"}),
            "say register, list or delete.");
  EXPECT_EQ(usage_error({"webhooks", "purge", "--config", "c"}), "unknown subcommand 'purge'.");
  EXPECT_EQ(usage_error({"webhooks", "list"}), "webhooks needs --config FILE");
  EXPECT_EQ(usage_error({"webhooks", "list", "--config", "c", "--listen", "x"}),
            "unknown option '--listen' for webhooks");
  EXPECT_EQ(usage_error({"webhooks", "register", "--config", "c", "--delivery-url"}),
            "option '--delivery-url' needs a value");
}

TEST(CliParseArgs, ServeOptions) {
  Invocation inv = parse({"serve", "--config", "c", "--listen", "127.0.0.1:0", "--journal", "j",
                          "--retention-days", "3", "--tls-certificate", "cert", "--tls-private-key",
                          "key", "--max-body-bytes=10", "--verbose"});
  EXPECT_EQ(inv.command, "serve");
  EXPECT_EQ(inv.subcommand, "");
  EXPECT_EQ(inv.flags, (Flags{{"config", "c"},
                              {"listen", "127.0.0.1:0"},
                              {"journal", "j"},
                              {"retention-days", "3"},
                              {"tls-certificate", "cert"},
                              {"tls-private-key", "key"},
                              {"max-body-bytes", "10"},
                              {"verbose", "true"}}));
  EXPECT_EQ(usage_error({"serve", "--listen", "h:1"}), "serve needs --config FILE");
  EXPECT_EQ(usage_error({"serve", "--config", "c"}), "serve needs --listen HOST:PORT");
  EXPECT_EQ(usage_error({"serve", "--config", "c", "--listen", "h:1", "now"}),
            "unexpected argument 'now'");
  EXPECT_EQ(usage_error({"serve", "--config", "c", "--listen"}), "option '--listen' needs a value");
  EXPECT_EQ(usage_error({"serve", "--config", "c", "--listen", "h:1", "--json"}),
            "unknown option '--json' for serve");
}

TEST(CliParseArgs, SingerHasNoCommandWord) {
  Invocation sync = parse({"--config", "c", "--catalog", "k", "--state", "s", "--progress"});
  EXPECT_EQ(sync.command, "singer");
  EXPECT_EQ(sync.flags,
            (Flags{{"config", "c"}, {"catalog", "k"}, {"state", "s"}, {"progress", "true"}}));
  EXPECT_EQ(parse({"--config=c", "--properties", "p", "--quiet"}).flags.at("properties"), "p");
  EXPECT_TRUE(parse({"--config", "c", "--discover"}).has("discover"));
  Invocation about = parse({"--about"});
  EXPECT_EQ(about.command, "singer");
  EXPECT_TRUE(about.has("about"));
  EXPECT_TRUE(parse({"--config", "c", "--help"}).help);
  EXPECT_EQ(usage_error({"--catalog", "k"}), "the Singer tap needs --config FILE");
  EXPECT_EQ(usage_error({"--config", "c", "--catalog", "k", "--properties", "p"}),
            "give --catalog or --properties, not both");
  EXPECT_EQ(usage_error({"--config", "c", "--discover", "--about"}),
            "give --discover or --about, not both");
  EXPECT_EQ(usage_error({"--config", "c", "--discover", "--state", "s"}),
            "--discover takes only --config");
  EXPECT_EQ(usage_error({"--config", "c", "--listen", "x"}),
            "unknown option '--listen' for singer");
  EXPECT_EQ(usage_error({"--config"}), "option '--config' needs a value");
}

TEST(CliUsage, EachCommandsHelpText) {
  const std::string program = wc::cli::usage();
  EXPECT_NE(program.find("usage: source-woocommerce <command> [options]"), std::string::npos);
  for (const char *cmd : {"", "spec", "check", "discover", "read", "singer", "nope"}) {
    EXPECT_EQ(wc::cli::usage(cmd), program) << cmd;
  }
  EXPECT_EQ(wc::cli::usage("webhooks").rfind("usage: source-woocommerce webhooks register", 0), 0u);
  EXPECT_EQ(wc::cli::usage("serve").rfind("usage: source-woocommerce serve --config FILE", 0), 0u);
}

TEST(CliUsage, UsageErrorsNameTheCommandWithItsOwnUsage) {
  EXPECT_EQ(wc::cli::usage_error_text("read", "read needs --config FILE"),
            "source-woocommerce: read needs --config FILE\n\n" + wc::cli::usage());
  EXPECT_EQ(wc::cli::usage_error_text("", "no command given"),
            "source-woocommerce: no command given\n\n" + wc::cli::usage());
  EXPECT_EQ(wc::cli::usage_error_text("serve", "serve needs --listen HOST:PORT"),
            "serve: serve needs --listen HOST:PORT\n" + wc::cli::usage("serve"));
  EXPECT_EQ(wc::cli::usage_error_text("webhooks", "say register, list or delete."),
            "webhooks: say register, list or delete.\n" + wc::cli::usage("webhooks"));
}
