// The fault grammar and the per-device fault book (timing, precedence, health effects).
#include <gtest/gtest.h>

#include "drivers/sim/fault_book.h"
#include "tests/unit/sim/sim_test_util.h"

namespace rigkeeper::drivers::sim::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(FaultGrammar, ParsesTheDocumentedExamples) {
  auto list = parse_faults(
      "asic-003:hang,asic-007:garbage@30s,asic-010:reset/60s, asic-002:fan_fail:1@10s/5m");
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ((*list)[0].target, "asic-003");
  EXPECT_EQ((*list)[0].kind, FaultKind::kHang);
  EXPECT_EQ((*list)[1].kind, FaultKind::kGarbage);
  EXPECT_EQ((*list)[1].delay, seconds(30));
  EXPECT_FALSE((*list)[1].duration);
  EXPECT_EQ((*list)[2].duration, seconds(60));
  EXPECT_EQ((*list)[3].kind, FaultKind::kFanFail);
  EXPECT_EQ((*list)[3].args, std::vector<double>{1});
  EXPECT_EQ((*list)[3].delay, seconds(10));
  EXPECT_EQ((*list)[3].duration, seconds(300));
}

TEST(FaultGrammar, TextRoundTrips) {
  for (const char* text : {"asic-001:slow:5@30s/60s", "*:overheat", "asic-012:chips_missing:2:20",
                           "asic-002:truncate:30@500ms"}) {
    auto f = parse_fault(text);
    ASSERT_TRUE(f) << text;
    EXPECT_EQ(f->text(), text);
  }
  EXPECT_EQ(parse_fault("asic-001:hang@2m")->delay, seconds(120));
  EXPECT_EQ(parse_fault("asic-001:hang@1h")->delay, seconds(3600));
  EXPECT_EQ(parse_fault("asic-001:hang@15")->delay, seconds(15));
}

TEST(FaultGrammar, RejectsNonsenseWithAClearMessage) {
  for (const char* bad : {"asic-001", "asic-001:explode", "asic-001:fan_fail", "asic-001:hang:3",
                          "asic-001:slow:fast", "asic-001:hang@soon", "asic-001:hang/0s",
                          "ASIC 1:hang", ":hang", "asic-001:board_dead:-1", "asic-001:slow:"}) {
    auto f = parse_fault(bad);
    ASSERT_FALSE(f) << bad;
    EXPECT_EQ(f.error().code, Errc::kInvalidArgument);
    EXPECT_NE(f.error().message.find("fault '"), std::string::npos) << f.error().message;
  }
  EXPECT_TRUE(parse_faults("")->empty());
  EXPECT_FALSE(parse_faults("asic-001:hang,,asic-002:hang"));
}

TEST(FaultBook, DelayAndDurationCountFromWhenTheFaultWasAdded) {
  FaultBook book;
  book.add(*parse_fault("asic-001:hang@10s/20s"), t0());
  EXPECT_FALSE(book.transport(t0() + seconds(9)));
  ASSERT_TRUE(book.transport(t0() + seconds(10)));
  EXPECT_EQ(book.transport(t0() + seconds(29))->kind, FaultKind::kHang);
  EXPECT_FALSE(book.transport(t0() + seconds(30)));
  const auto listed = book.describe(t0() + seconds(5));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0]["active"], false);
  EXPECT_NEAR(listed[0]["starts_in_s"].get<double>(), 5.0, 0.01);
  book.expire(t0() + seconds(31));
  EXPECT_TRUE(book.empty());
}

TEST(FaultBook, TheLatestTransportFaultWinsAndRefuseIsReported) {
  FaultBook book;
  book.add(*parse_fault("asic-001:slow"), t0());
  book.add(*parse_fault("asic-001:refuse/5s"), t0());
  EXPECT_TRUE(book.refusing(t0() + seconds(1)));
  EXPECT_EQ(book.transport(t0() + seconds(6))->kind, FaultKind::kSlow);
  EXPECT_EQ(book.clear(), 2u);
  EXPECT_FALSE(book.transport(t0()));
}

TEST(FaultBook, HealthFaultsCombine) {
  FaultBook book;
  book.add(*parse_fault("asic-001:fan_fail:3"), t0());
  book.add(*parse_fault("asic-001:chips_missing:1:10"), t0());
  book.add(*parse_fault("asic-001:board_dead:2@60s"), t0());
  book.add(*parse_fault("asic-001:overheat:20"), t0());
  book.add(*parse_fault("asic-001:hashrate_drop:25"), t0());
  const auto early = book.health(t0() + seconds(40));
  EXPECT_TRUE(early.fan_failed[3]);
  EXPECT_EQ(early.chips_missing[1], 10);
  EXPECT_FALSE(early.board_dead[2]);
  EXPECT_NEAR(early.overheat_c, 10.0, 0.01) << "climbs 0.25 C/s";
  EXPECT_DOUBLE_EQ(early.hashrate_factor, 0.75);
  const auto late = book.health(t0() + seconds(600));
  EXPECT_TRUE(late.board_dead[2]);
  EXPECT_DOUBLE_EQ(late.overheat_c, 20.0);
  EXPECT_EQ(late.labels.size(), 5u);
  EXPECT_FALSE(book.transport(t0() + seconds(600))) << "health faults are not transport faults";
}

}  // namespace
}  // namespace rigkeeper::drivers::sim::test
