#pragma once
// Shared helpers for the MqttLink tests: the io_context runs on the test thread (the link's
// thread), in slices, until a condition holds or a generous deadline passes.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/mqtt/mqtt_link.h"
#include "drivers/api/asio.h"
#include "tests/support/mosquitto.h"

namespace rigkeeper::agent::test {

using namespace std::chrono_literals;

/// Everything a link reported, in order.
struct Recorder {
  int connected = 0;
  std::vector<std::string> lost;
  std::vector<MqttMessage> messages;

  void attach(MqttLink& link) {
    link.on_connected([this] { ++connected; });
    link.on_connection_lost([this](const std::string& why) { lost.push_back(why); });
    link.on_message([this](MqttMessage m) { messages.push_back(std::move(m)); });
  }
  bool has_message(const std::string& topic, const std::string& payload) const {
    return std::any_of(messages.begin(), messages.end(), [&](const MqttMessage& m) {
      return m.topic == topic && m.payload == payload;
    });
  }
};

class LinkHarness : public ::testing::Test {
 protected:
  /// Runs the io_context until `pred()` or `timeout`; returns pred().
  template <class Pred>
  bool run_until(Pred pred, std::chrono::milliseconds timeout = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
      if (std::chrono::steady_clock::now() >= deadline) return pred();
      io_.restart();
      io_.run_for(20ms);
    }
    return true;
  }
  void run_for(std::chrono::milliseconds d) {
    run_until([] { return false; }, d);
  }

  /// Options for a test link: fast reconnects, a client id unique to the test.
  MqttLinkOptions options(const std::string& url, const std::string& suffix = "") const {
    MqttLinkOptions o;
    o.broker_uri = url;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    o.client_id = std::string("rk-") + info->name() + suffix;
    o.keepalive = std::chrono::seconds(5);
    o.reconnect_min = 50ms;
    o.reconnect_max = 400ms;
    return o;
  }

  static bool has_line(const std::vector<std::string>& lines, const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  }

  static std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos;
         pos = text.find(needle, pos + needle.size())) {
      ++n;
    }
    return n;
  }

  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
};

}  // namespace rigkeeper::agent::test
