// The simulator's Antminer web personality on its own: digest auth, the CGI shapes, what the
// emitted config carries, and the fleet applying transport faults to the web port.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "drivers/api/http_client.h"
#include "drivers/sim/config_emitter.h"
#include "tests/unit/antminer_control/antminer_rig.h"

namespace rigkeeper::test {
namespace {

TEST(AntminerSimWeb, EmittedConfigCarriesWebPortAndCredentials) {
  AntminerRig rig;
  const auto& d = rig.emitted();
  ASSERT_EQ(d.web.size(), 1u);
  EXPECT_EQ(d.web[0].name, "web");
  EXPECT_EQ(d.web[0].config_key, "web_port");
  EXPECT_NE(d.web[0].port, 0);
  const auto text = drivers::sim::render_config({d}, "test");
  EXPECT_NE(text.find("web_port = " + std::to_string(d.web[0].port) + "\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("web_user = \"root\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("web_password = \"root\"\n"), std::string::npos) << text;
}

TEST(AntminerSimWeb, SystemInfoHasTheFixtureShape) {
  AntminerRig rig;
  auto body = rig.cgi("GET", "get_system_info.cgi");
  ASSERT_TRUE(body) << body.error().message;
  const auto j = nlohmann::json::parse(*body);
  for (const char* key : {"minertype", "macaddr", "hostname", "ipaddress", "serinum",
                          "system_filesystem_version", "firmware_type"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["minertype"].get<std::string>().rfind("Antminer", 0), 0u);
}

TEST(AntminerSimWeb, UnauthenticatedRequestsGetTheDigestChallenge) {
  AntminerRig rig;
  drivers::http::Request req;
  req.url = "http://" + rig.emitted().host + ":" + std::to_string(rig.emitted().web[0].port) +
            "/cgi-bin/get_miner_conf.cgi";
  asio::io_context io;
  auto fut = asio::co_spawn(io, drivers::http::fetch(req), asio::use_future);
  io.run();
  auto r = fut.get();
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(drivers::http::challenge_realm(*r), "antMiner Configuration");
  EXPECT_NE(r->header("www-authenticate").value_or("").find("qop=\"auth\""), std::string::npos);
}

TEST(AntminerSimWeb, SetMinerConfRejectsGarbageAndUnknownModes) {
  AntminerRig rig;
  auto garbage = rig.cgi("POST", "set_miner_conf.cgi", "{not json");
  ASSERT_TRUE(garbage);
  EXPECT_NE(garbage->find("\"error\""), std::string::npos) << *garbage;
  auto bad_mode = rig.cgi("POST", "set_miner_conf.cgi", R"({"miner-mode":7})");
  ASSERT_TRUE(bad_mode);
  EXPECT_NE(bad_mode->find("M002"), std::string::npos) << *bad_mode;
  auto old_key = rig.cgi("POST", "set_miner_conf.cgi", R"({"bitmain-work-mode":"1"})");
  ASSERT_TRUE(old_key);
  EXPECT_NE(old_key->find("success"), std::string::npos);
  auto conf = nlohmann::json::parse(rig.cgi("GET", "get_miner_conf.cgi").value_or("{}"));
  EXPECT_EQ(conf["bitmain-work-mode"], "1");
  auto missing = rig.cgi("GET", "no_such.cgi");
  ASSERT_FALSE(missing);
}

TEST(AntminerSimWeb, RebootTakesTheWebPortDownToo) {
  AntminerRig rig(0.05);
  drivers::http::Request req;
  req.url = "http://" + rig.emitted().host + ":" + std::to_string(rig.emitted().web[0].port) +
            "/cgi-bin/get_system_info.cgi";
  req.timeout = std::chrono::milliseconds(300);
  // Reboot makes every port of the device unreachable, the web port included.
  ASSERT_TRUE(rig.execute("reboot"));
  asio::io_context io;
  auto fut = asio::co_spawn(io, drivers::http::fetch(req), asio::use_future);
  io.run();
  auto r = fut.get();
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().code == Errc::kUnreachable || r.error().code == Errc::kTimeout)
      << r.error().message;
}

}  // namespace
}  // namespace rigkeeper::test
