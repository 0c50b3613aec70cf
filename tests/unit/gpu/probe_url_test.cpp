// `rigkeeper probe http://HOST:PORT/metrics` (the real binary as a child process): the URL
// picks the dcgm driver by its path, keeps its port and path, and prints one gpu_node snapshot.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/process.h"
#include "tests/unit/gpu/gpu_test_util.h"
#include "tests/unit/gpu/tiny_http_server.h"

namespace rigkeeper::test {
namespace {

TEST(ProbeUrl, MetricsUrlIsReadWithDcgm) {
  const std::string page = dcgm_page_from_default_counters(2);
  TinyHttpServer server([&](const std::string& path) {
    return path == "/metrics" ? TinyReply{.body = page} : TinyReply{.status = 404};
  });
  std::string out;
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/metrics";
  const int rc = run_command({RIGKEEPER_BIN, "probe", url, "--json"}, &out);
  ASSERT_EQ(rc, 0) << out;
  const auto j = nlohmann::json::parse(out.substr(out.find('{')));
  EXPECT_EQ(j["kind"], "gpu_node");
  EXPECT_EQ(j["firmware"], "dcgm");
  EXPECT_EQ(j["state"], "serving");
  EXPECT_EQ(j["gpus"].size(), 2u);
  EXPECT_EQ(j["gpus"][0]["mem_used_mib"], 0);
  EXPECT_TRUE(j["gpus"][0]["ecc_corrected"].is_null());
}

TEST(ProbeUrl, OtherPathsAndDeadExportersFailWithTheContractCodes) {
  std::string out;
  EXPECT_EQ(run_command({RIGKEEPER_BIN, "probe", "http://127.0.0.1:1/other"}, &out), 3) << out;
  TinyHttpServer server([](const std::string&) { return TinyReply{.status = 404}; });
  const std::string url = "http://127.0.0.1:" + std::to_string(server.port()) + "/metrics";
  EXPECT_EQ(run_command({RIGKEEPER_BIN, "probe", url}, &out), 2) << out;
}

}  // namespace
}  // namespace rigkeeper::test
