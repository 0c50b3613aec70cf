#include "agent/mqtt/outage_log.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace rigkeeper::agent {
namespace {

using namespace std::chrono_literals;

class OutageLogTest : public ::testing::Test {
 protected:
  OutageLogTest() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out_);
    sink->set_pattern("%l %v");
    logger_ = std::make_shared<spdlog::logger>("mqtt-test", sink);
  }
  std::string take() {
    auto s = out_.str();
    out_.str("");
    return s;
  }
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> logger_;
};

TEST_F(OutageLogTest, FirstFailureAtOnceThenAtGrowingIntervalsThenReconnected) {
  OutageLog log(logger_);
  const auto t0 = OutageLog::Clock::now();
  log.connected("tcp://b:1883", false, t0);
  EXPECT_NE(take().find("connected to tcp://b:1883"), std::string::npos);

  log.lost("socket closed", t0);
  EXPECT_NE(take().find("connection to the broker lost: socket closed"), std::string::npos);

  // Attempts every second for 10 minutes: logged at ~30 s, 90 s, 210 s, 450 s only.
  int logged = 0;
  for (int s = 1; s <= 600; ++s) logged += log.failed("refused", t0 + std::chrono::seconds(s));
  EXPECT_EQ(logged, 4);
  const auto lines = take();
  EXPECT_NE(lines.find("still cannot connect to the broker after 30 attempts over 30 s"),
            std::string::npos)
      << lines;
  EXPECT_NE(lines.find("after 450 attempts over 450 s: refused"), std::string::npos) << lines;

  log.connected("tcp://b:1883", true, t0 + 601s);
  const auto line = take();
  EXPECT_NE(line.find("reconnected to tcp://b:1883 after 601 s and 600 failed attempts"),
            std::string::npos)
      << line;
  EXPECT_NE(line.find("session resumed"), std::string::npos);
}

TEST_F(OutageLogTest, BrokerDownFromTheStart) {
  OutageLog log(logger_);
  const auto t0 = OutageLog::Clock::now();
  EXPECT_TRUE(log.failed("refused", t0));
  EXPECT_NE(take().find("cannot connect to the broker: refused"), std::string::npos);
  EXPECT_FALSE(log.failed("refused", t0 + 1s));
  EXPECT_EQ(take(), "");
  log.connected("tcp://b:1883", false, t0 + 2s);
  EXPECT_NE(take().find("after 2 failed attempts"), std::string::npos);
}

}  // namespace
}  // namespace rigkeeper::agent
