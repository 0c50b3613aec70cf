#include "agent/mqtt/backoff.h"

#include <gtest/gtest.h>

namespace rigkeeper::agent {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, GrowsExponentiallyWithJitterUpToTheMaximum) {
  Backoff b(milliseconds(100), milliseconds(1000), 42);
  const long long bases[] = {100, 200, 400, 800, 1000, 1000, 1000};
  for (long long base : bases) {
    const auto d = b.next().count();
    EXPECT_LE(d, base);
    EXPECT_GE(d, std::max(100LL, base - base / 4));
  }
}

TEST(Backoff, ResetStartsAgainFromTheMinimum) {
  Backoff b(milliseconds(100), milliseconds(60000), 1);
  for (int i = 0; i < 10; ++i) b.next();
  b.reset();
  EXPECT_LE(b.next().count(), 100);
}

TEST(Backoff, JitterSpreadsControllersApart) {
  Backoff a(milliseconds(1000), milliseconds(60000), 1);
  Backoff b(milliseconds(1000), milliseconds(60000), 2);
  bool differ = false;
  for (int i = 0; i < 8; ++i) differ |= a.next() != b.next();
  EXPECT_TRUE(differ);
}

TEST(Backoff, ClampsNonsenseBounds) {
  Backoff b(milliseconds(0), milliseconds(0), 3);
  EXPECT_EQ(b.min(), milliseconds(1));
  EXPECT_EQ(b.max(), milliseconds(1));
  EXPECT_EQ(b.next(), milliseconds(1));
  Backoff huge(milliseconds(1), milliseconds::max(), 4);
  for (int i = 0; i < 100; ++i) EXPECT_GE(huge.next().count(), 1);  // no overflow
}

}  // namespace
}  // namespace rigkeeper::agent
