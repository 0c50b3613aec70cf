#pragma once
/// Helpers shared by the store's tests.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "agent/store/store.h"

namespace rigkeeper::test {

using agent::MessageClass;
using agent::OutboxMessage;
using agent::Store;
using agent::StoreOptions;

/// A message whose size (topic + payload) is exactly `bytes` (>= 10).
inline OutboxMessage sized_msg(int64_t seq, MessageClass cls, std::size_t bytes) {
  OutboxMessage m;
  m.seq = seq;
  m.cls = cls;
  m.topic = "t/" + std::to_string(seq % 10);  // 3 bytes
  m.payload = std::string(bytes - m.topic.size(), static_cast<char>('a' + seq % 26));
  m.qos = cls == MessageClass::kTelemetry ? 0 : 1;
  m.created_ms = 1'700'000'000'000 + seq;
  return m;
}

inline OutboxMessage msg(int64_t seq, MessageClass cls = MessageClass::kTelemetry) {
  OutboxMessage m;
  m.seq = seq;
  m.cls = cls;
  m.topic = "rigkeeper/v1/site/rack/telemetry/dev" + std::to_string(seq % 3);
  m.payload = "{\"seq\":" + std::to_string(seq) + "}";
  m.qos = cls == MessageClass::kTelemetry ? 0 : 1;
  m.retain = seq % 5 == 0;
  m.created_ms = 1'700'000'000'000 + seq * 10;
  return m;
}

/// Opens the store or fails the test (the returned pointer is then null).
inline std::unique_ptr<Store> open_store(const std::filesystem::path& dir,
                                         StoreOptions options = {}) {
  auto s = Store::open(dir, options);
  EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().message);
  if (!s) return nullptr;
  return std::move(*s);
}

}  // namespace rigkeeper::test
