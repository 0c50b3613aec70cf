// The LuxOS session model, driver against the simulator over loopback: one logon for many
// commands, a new logon after the session timed out or a reboot ended it, the live session of
// another client shared, and kAuth when no session can be had (scripted server).
#include <gtest/gtest.h>

#include "drivers/api/registry.h"
#include "drivers/sim/luxos_control.h"
#include "tests/support/fake_cgminer_server.h"
#include "tests/support/sim_rig.h"

namespace rigkeeper::test {
namespace {

using drivers::sim::luxos::FirmwareState;

int logons(SimRig& rig) {
  return rig.on_sim([&] { return rig.device().extension<FirmwareState>().logons; });
}

TEST(LuxosSession, TwoCommandsOneLogon) {
  SimRig rig(4, "luxos");
  ASSERT_TRUE(rig.execute("locate"));
  ASSERT_TRUE(rig.execute("switch_profile", {{"profile", "default"}}));
  EXPECT_EQ(logons(rig), 1);
}

TEST(LuxosSession, ExpiredSessionIsReopened) {
  SimRig rig(4, "luxos");
  ASSERT_TRUE(rig.execute("locate"));
  rig.on_sim([&] {
    rig.device().extension<FirmwareState>().session_timeout = std::chrono::seconds(0);
    return 0;
  });
  // The raw API says why the old id fails now.
  const std::string old_id = rig.on_sim([&] {
    auto& st = rig.device().extension<FirmwareState>();
    return st.session_id;
  });
  auto refused = rig.command("ledset", old_id + ",red,off");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("timed out"), std::string::npos)
      << refused.error().message;
  rig.on_sim([&] {
    rig.device().extension<FirmwareState>().session_timeout = std::chrono::seconds(600);
    return 0;
  });
  auto again = rig.execute("locate");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->confirmed);
  EXPECT_EQ(logons(rig), 2);
}

TEST(LuxosSession, PrivilegedCommandWithoutSessionIsRefused) {
  SimRig rig(4, "luxos");
  auto r = rig.command("curtail", "nosuchsession,sleep");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kDeviceError);
  EXPECT_NE(r.error().message.find("Invalid session id"), std::string::npos);
  auto s = rig.poll();
  ASSERT_TRUE(s);
  EXPECT_EQ(s->state, drivers::DeviceState::kMining) << "nothing was curtailed";
}

TEST(LuxosSession, SessionHeldBySomeoneElseIsShared) {
  SimRig rig(4, "luxos");
  auto other = rig.command("logon");
  ASSERT_TRUE(other) << other.error().message;
  const std::string theirs = (*other)["SESSION"][0]["SessionID"].get<std::string>();
  auto second = rig.command("logon");
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("Another session is active"), std::string::npos);

  auto r = rig.execute("locate");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->confirmed);
  EXPECT_EQ(logons(rig), 1) << "the driver used the live session instead of a new logon";
  EXPECT_EQ(rig.on_sim([&] { return rig.device().extension<FirmwareState>().session_id; }), theirs);
}

TEST(LuxosSession, RebootEndsTheSession) {
  SimRig rig(4, "luxos");
  ASSERT_TRUE(rig.execute("locate"));
  auto r = rig.execute("reboot");
  ASSERT_TRUE(r) << r.error().message;
  auto back = rig.poll_until([](const auto& s) {
    return s.state == drivers::DeviceState::kMining || s.state == drivers::DeviceState::kStarting;
  });
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_TRUE(rig.execute("locate"));
  EXPECT_EQ(logons(rig), 2);
}

TEST(LuxosSession, NoSessionToBeHadIsAuth) {
  // logon says another session is active, and `session` does not share its id.
  FakeCgminerServer server([](const std::string& cmd, const std::string&) -> std::string {
    if (cmd == "logon")
      return R"({"STATUS":[{"STATUS":"E","When":1,"Code":402,"Msg":"Another session is active","Description":"LUXminer"}],"id":1})";
    if (cmd == "session")
      return R"({"STATUS":[{"STATUS":"S","When":1,"Code":301,"Msg":"Session","Description":"LUXminer"}],"SESSION":[{"SessionID":""}],"id":1})";
    return FakeCgminerServer::invalid_command_reply();
  });
  drivers::DeviceConfig cfg;
  cfg.id = "lux-7";
  cfg.host = "127.0.0.1";
  cfg.port = server.port();
  asio::io_context io;
  auto driver = drivers::find_driver("luxos")->create(io.get_executor(), cfg);
  drivers::DeviceCommand cmd;
  cmd.type = "locate";
  auto fut = asio::co_spawn(io, driver->execute(cmd), asio::use_future);
  io.run();
  auto r = fut.get();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAuth);
  EXPECT_NE(r.error().message.find("lux-7"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace rigkeeper::test
