// The simulator over real loopback TCP, in-process: every family answers, and each transport
// fault does what it says without slowing the other devices; the control protocol steers it.
#include <unistd.h>

#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "drivers/sim/control_port.h"
#include "drivers/sim/fleet.h"
#include "tests/support/process.h"
#include "tests/unit/sim/sim_test_util.h"

namespace rigkeeper::drivers::sim::test {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::ordered_json;

// A fleet served by an io_context on its own thread; calls into the fleet hop onto that thread.
class LiveFleet {
 public:
  explicit LiveFleet(FleetOptions options) {
    auto f = Fleet::create(io_.get_executor(), std::move(options));
    if (!f) throw std::runtime_error(f.error().message);
    fleet_ = std::move(*f);
    if (auto ok = fleet_->start(); !ok) throw std::runtime_error(ok.error().message);
    thread_ = std::thread([this] { io_.run(); });
  }
  template <class F>
  auto call(F fn) -> decltype(fn()) {
    std::packaged_task<decltype(fn())()> task(std::move(fn));
    auto result = task.get_future();
    asio::post(io_, [&task] { task(); });
    return result.get();
  }

  ~LiveFleet() {
    call([this] {
      fleet_->stop();
      return 0;
    });
    work_.reset();
    io_.stop();
    thread_.join();
  }

  Json control(const std::string& request) {
    return Json::parse(
        call([&] { return handle_control(*fleet_, request, SimClock::now()).dump(); }));
  }
  EmittedDevice device(size_t i) {
    return call([&] { return fleet_->devices().at(i); });
  }
  Exchange ask(size_t i, std::string_view payload, std::chrono::milliseconds timeout = 5s) {
    const auto d = device(i);
    return tcp_exchange(d.host, d.port, payload, timeout);
  }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  std::unique_ptr<Fleet> fleet_;
  std::thread thread_;
};

FleetOptions options(int asics, std::string faults = {}) {
  FleetOptions o;
  o.asics = asics;
  o.seed = 11;
  o.listen = "127.0.0.1:0";
  o.delay_scale = 0.01;
  auto parsed = parse_faults(faults);
  EXPECT_TRUE(parsed);
  o.faults = *parsed;
  return o;
}

constexpr const char* kVersion = R"({"command":"version"})";

TEST(Server, EveryFamilyAnswersItsVersionOverTcp) {
  LiveFleet live(options(4));
  const char* tokens[] = {"BMMiner", "LUXminer", "BOSer", "CGMiner"};
  for (size_t i = 0; i < 4; ++i) {
    const Json j = parse_reply(live.ask(i, kVersion));
    ASSERT_TRUE(j.contains("VERSION")) << i;
    EXPECT_TRUE(j["VERSION"][0].contains(tokens[i])) << j.dump();
  }
  // A text request on a connection the client keeps open is answered too.
  const Json text = parse_reply(live.ask(0, "summary"));
  EXPECT_TRUE(text.contains("SUMMARY"));
}

TEST(Server, HangHangsPastTheDeadlineAndDoesNotSlowTheOthers) {
  LiveFleet live(options(3, "asic-001:hang"));
  auto hung = std::async(std::launch::async, [&] { return live.ask(0, kVersion, 1500ms); });
  std::this_thread::sleep_for(200ms);  // the hung request is in the server now
  const auto healthy = live.ask(1, kVersion, 5000ms);
  EXPECT_EQ(healthy.ending, Ending::kEof);
  parse_reply(healthy);
  const auto h = hung.get();
  EXPECT_EQ(h.ending, Ending::kTimeout);
  EXPECT_TRUE(h.bytes.empty());
}

TEST(Server, ResetAbortsTheConnection) {
  LiveFleet live(options(2, "asic-002:reset"));
  const auto e = live.ask(1, kVersion);
  EXPECT_EQ(e.ending, Ending::kReset);
  EXPECT_TRUE(e.bytes.empty());
  parse_reply(live.ask(0, kVersion));
}

TEST(Server, GarbageIsUnparsableBytesWithANul) {
  LiveFleet live(options(1, "asic-001:garbage:300"));
  const auto e = live.ask(0, kVersion);
  EXPECT_EQ(e.ending, Ending::kEof);
  ASSERT_EQ(e.bytes.size(), 301u);
  EXPECT_EQ(e.bytes.back(), '\0');
  EXPECT_TRUE(nlohmann::json::parse(e.bytes.substr(0, 300), nullptr, false).is_discarded());
}

TEST(Server, TruncateCutsTheReplyShort) {
  LiveFleet live(options(1));
  const auto whole = live.ask(0, R"({"command":"stats"})");
  live.control(R"({"fault":"asic-001:truncate:40"})");
  const auto cut = live.ask(0, R"({"command":"stats"})");
  EXPECT_EQ(cut.ending, Ending::kEof);
  ASSERT_FALSE(cut.bytes.empty());
  EXPECT_LT(cut.bytes.size(), whole.bytes.size() * 6 / 10);
  EXPECT_NE(cut.bytes.back(), '\0');
  EXPECT_EQ(whole.bytes.substr(0, 20), cut.bytes.substr(0, 20));
  EXPECT_TRUE(nlohmann::json::parse(cut.bytes, nullptr, false).is_discarded());
}

TEST(Server, MalformedIsFirmwareStyleBrokenJson) {
  LiveFleet live(options(1, "asic-001:malformed"));
  for (int i = 0; i < 2; ++i) {  // both variants, `,}` and `}{`
    const auto e = live.ask(0, R"({"command":"stats"})");
    ASSERT_EQ(e.ending, Ending::kEof);
    ASSERT_EQ(e.bytes.back(), '\0');
    std::string body = e.bytes.substr(0, e.bytes.size() - 1);
    EXPECT_TRUE(nlohmann::json::parse(body, nullptr, false).is_discarded()) << body.substr(0, 80);
    // The repairs pyasic applies make it valid again.
    for (auto [from, to] : {std::pair<std::string, std::string>{",}", "}"}, {"}{", "},{"}}) {
      for (auto p = body.find(from); p != std::string::npos; p = body.find(from, p + to.size())) {
        body.replace(p, from.size(), to);
      }
    }
    EXPECT_FALSE(nlohmann::json::parse(body, nullptr, false).is_discarded()) << body.substr(0, 120);
  }
}

TEST(Server, SlowAnswersLateButAnswers) {
  LiveFleet live(options(1, "asic-001:slow:2"));
  EXPECT_EQ(live.ask(0, kVersion, 300ms).ending, Ending::kTimeout);
  parse_reply(live.ask(0, kVersion, 15s));
}

TEST(Server, RefuseStopsListeningUntilCleared) {
  LiveFleet live(options(2, "asic-001:refuse"));
  EXPECT_EQ(live.ask(0, kVersion).ending, Ending::kRefused);
  parse_reply(live.ask(1, kVersion));
  EXPECT_EQ(live.control(R"({"clear":"asic-001"})")["cleared"], 1);
  EXPECT_TRUE(rigkeeper::test::eventually(
      [&] { return live.ask(0, kVersion).ending == Ending::kEof; }, 5s));
  parse_reply(live.ask(0, kVersion));
}

TEST(Server, HealthFaultsAppearInTheReplies) {
  LiveFleet live(options(1, "asic-001:fan_fail:2,asic-001:chips_missing:1:14"));
  const Json stats = parse_reply(live.ask(0, R"({"command":"stats"})"));
  EXPECT_EQ(stats["STATS"][1]["fan3"], 0);
  EXPECT_GT(stats["STATS"][1]["fan1"].get<int>(), 0);
  const int expected = stats["STATS"][1]["chain_acn1"].get<int>();
  EXPECT_EQ(stats["STATS"][1]["chain_acn2"].get<int>(), expected - 14);
}

TEST(Control, AddsListsAndClearsFaultsAndReportsState) {
  LiveFleet live(options(4));
  Json r = live.control(R"({"fault":"asic-002:reset,asic-003:overheat@1m"})");
  ASSERT_EQ(r["ok"], true) << r.dump();
  EXPECT_EQ(r["added"].size(), 2u);
  EXPECT_EQ(live.ask(1, kVersion).ending, Ending::kReset);
  const Json list = live.control(R"({"list":true})");
  EXPECT_EQ(list["faults"]["asic-002"][0]["active"], true);
  EXPECT_EQ(list["faults"]["asic-003"][0]["active"], false);
  EXPECT_FALSE(list["faults"].contains("asic-001"));
  EXPECT_EQ(live.control(R"({"clear":"*"})")["cleared"], 2);
  parse_reply(live.ask(1, kVersion));

  const Json state = live.control(R"({"state":"asic-003"})");
  ASSERT_EQ(state["ok"], true) << state.dump();
  EXPECT_EQ(state["device"]["driver"], "braiins");
  EXPECT_EQ(state["device"]["state"], "mining");
  EXPECT_GT(state["device"]["hashrate_ths"].get<double>(), 50);

  for (const char* bad :
       {"not json", R"({"fault":"asic-099:hang"})", R"({"fault":"asic-001:fan_fail:9"})",
        R"({"state":"nope"})", R"({"action":"explode","device":"asic-001"})",
        R"({"action":"set_power","device":"asic-001","watts":"lots"})", R"({})"}) {
    const Json e = live.control(bad);
    EXPECT_EQ(e["ok"], false) << bad;
    EXPECT_FALSE(e["error"].get<std::string>().empty()) << bad;
  }
}

TEST(Control, RebootMakesTheDeviceUnreachableThenItBootsAgain) {
  LiveFleet live(options(1));  // delay scale 0.01: a 60 s reboot takes 0.6 s
  ASSERT_EQ(live.control(R"({"action":"reboot","device":"asic-001"})")["ok"], true);
  EXPECT_NE(live.ask(0, kVersion, 1s).ending, Ending::kEof);
  EXPECT_TRUE(rigkeeper::test::eventually(
      [&] { return live.ask(0, kVersion, 1s).ending == Ending::kEof; }, 10s));
  const Json s = parse_reply(live.ask(0, R"({"command":"summary"})"));
  EXPECT_LT(s["SUMMARY"][0]["Elapsed"].get<int>(), 10) << "uptime restarted";
}

TEST(Control, SleepAndWakeShowInTheReplies) {
  LiveFleet live(options(2));
  ASSERT_EQ(live.control(R"({"action":"sleep","device":"asic-002"})")["ok"], true);
  EXPECT_TRUE(rigkeeper::test::eventually(
      [&] {
        const Json c = parse_reply(live.ask(1, R"({"command":"config"})"));
        return c["CONFIG"][0]["CurtailMode"] == "Sleep" &&
               parse_reply(live.ask(1, R"({"command":"summary"})"))["SUMMARY"][0]["GHS 5s"] == 0.0;
      },
      5s));
  ASSERT_EQ(live.control(R"({"action":"wake","device":"asic-002"})")["ok"], true);
  EXPECT_TRUE(rigkeeper::test::eventually(
      [&] { return live.control(R"({"state":"asic-002"})")["device"]["state"] == "mining"; }, 10s));
}

TEST(Server, CidrGivesEachDeviceItsOwnLoopbackAddressOnPort4028) {
  const int octet = 20 + static_cast<int>(::getpid() % 200);
  FleetOptions o = options(2);
  o.listen = "127." + std::to_string(octet) + ".31.0/24";
  LiveFleet live(std::move(o));
  for (size_t i = 0; i < 2; ++i) {
    const auto d = live.device(i);
    EXPECT_EQ(d.host, "127." + std::to_string(octet) + ".31." + std::to_string(i + 1));
    EXPECT_EQ(d.port, 4028);
    parse_reply(live.ask(i, kVersion));
  }
}

TEST(Fleet, SameSeedSameFleet) {
  asio::io_context io;
  auto a = Fleet::create(io.get_executor(), options(8));
  auto b = Fleet::create(io.get_executor(), options(8));
  ASSERT_TRUE(a && b);
  const auto da = (*a)->devices();
  const auto db = (*b)->devices();
  for (size_t i = 0; i < da.size(); ++i) {
    EXPECT_EQ(da[i].id, db[i].id);
    EXPECT_EQ(da[i].driver, db[i].driver);
    EXPECT_EQ(da[i].model, db[i].model);
  }
  FleetOptions bad = options(2);
  bad.faults = *parse_faults("asic-009:hang");
  EXPECT_FALSE(Fleet::create(io.get_executor(), bad)) << "a fault for a device that does not exist";
}

}  // namespace
}  // namespace rigkeeper::drivers::sim::test
