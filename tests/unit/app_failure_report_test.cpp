// The front door's end of a read (app/failure_report.cpp): what run_read returns becomes the
// final error, in the command's output mode, and the exit code.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "app/failure_report.hpp"
#include "protocol/message_writer.hpp"

namespace json = boost::json;
using namespace wc;
using app::ErrorOutput;
using commands::ReadResult;

namespace {

struct Reported {
  int exit_code = -1;
  std::vector<json::object> errors; // the TRACE errors written on the protocol stream
  std::string stderr_text;
};

Reported report(const ReadResult &result, ErrorOutput mode) {
  std::FILE *file = std::tmpfile();
  Reported out;
  {
    protocol::MessageWriter writer(file);
    cli::Invocation inv;
    inv.command = mode == ErrorOutput::kTrace ? "read" : "singer";
    testing::internal::CaptureStderr();
    out.exit_code = app::report_read_result(result, inv, mode, writer);
    out.stderr_text = testing::internal::GetCapturedStderr();
    writer.flush();
  }
  std::rewind(file);
  std::string text;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, file)) > 0;) {
    text.append(buf, n);
  }
  std::fclose(file);
  for (std::size_t start = 0, end; (end = text.find('\n', start)) != std::string::npos;
       start = end + 1) {
    auto msg = json::parse(text.substr(start, end - start)).as_object();
    EXPECT_EQ(msg.at("type"), "TRACE");
    out.errors.push_back(msg.at("trace").at("error").as_object());
  }
  return out;
}

const std::string kFinal = "the sync did not complete: these streams failed: ";

} // namespace

// Guards success: nothing failed, nothing interrupted: exit 0 and nothing written.
TEST(ReportReadResult, ACompleteReadExitsZeroSilently) {
  for (auto mode : {ErrorOutput::kTrace, ErrorOutput::kSingerText}) {
    const Reported r = report(ReadResult{}, mode);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(r.errors.empty());
    EXPECT_EQ(r.stderr_text, "");
  }
}

// Guards the failure type: a stream that failed on its config makes the final error a
// config_error (the user must act), whatever failed first.
TEST(ReportReadResult, AConfigFailureWinsTheFinalFailureType) {
  ReadResult result;
  result.failed = {{"orders", FailureType::kTransient}, {"coupons", FailureType::kConfig}};
  const Reported r = report(result, ErrorOutput::kTrace);
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].at("failure_type"), "config_error");
  EXPECT_EQ(r.errors[0].at("message").as_string(),
            kFinal + "orders, coupons (see the errors above; every other stream completed)");
  EXPECT_FALSE(r.errors[0].contains("stream_descriptor"));
}

// Guards the failure type without a config failure: the first failure's type.
TEST(ReportReadResult, OtherwiseTheFirstFailureTypeIsTheFinalOne) {
  ReadResult result;
  result.failed = {{"orders", FailureType::kSystem}, {"coupons", FailureType::kTransient}};
  const Reported r = report(result, ErrorOutput::kTrace);
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].at("failure_type"), "system_error");
}

// Guards interruption: a read stopped by SIGTERM/SIGINT ends with a transient error, unless
// streams failed (their error says more).
TEST(ReportReadResult, AnInterruptedReadEndsWithATransientError) {
  ReadResult result;
  result.interrupted = true;
  Reported r = report(result, ErrorOutput::kTrace);
  EXPECT_EQ(r.exit_code, 1);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].at("failure_type"), "transient_error");
  EXPECT_EQ(r.errors[0].at("message"), "the sync was interrupted (SIGTERM/SIGINT)");

  result.failed = {{"orders", FailureType::kTransient}};
  r = report(result, ErrorOutput::kTrace);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].at("message").as_string().find(kFinal + "orders"), json::string::npos);
}

// Guards Singer mode: the same final error as text on stderr, nothing on the protocol stream.
TEST(ReportReadResult, SingerModeGetsTheSameFinalErrorAsTextOnStderr) {
  ReadResult result;
  result.failed = {{"orders", FailureType::kTransient}};
  const Reported r = report(result, ErrorOutput::kSingerText);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.stderr_text, "ERROR [transient_error] " + kFinal +
                               "orders (see the errors above; every other stream completed)\n");
}
