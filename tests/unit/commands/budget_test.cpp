// The budget curtail planner: least efficient first, until the rack fits.
#include <gtest/gtest.h>

#include "agent/commands/curtailment.h"

namespace rigkeeper::agent::commands {
namespace {

using V = std::vector<std::string>;

TEST(BudgetPlan, SleepsTheLeastEfficientFirstUntilTheRackFits) {
  std::vector<BudgetCandidate> c = {
      {"s21", 3500, 17.5}, {"s19", 3250, 34.5}, {"s19j", 3050, 29.5}, {"m30", 3400, 38.0}};
  auto p = plan_budget(13200, 10000, c);
  EXPECT_EQ(p.to_sleep, V{"m30"});
  EXPECT_TRUE(p.fits);
  EXPECT_DOUBLE_EQ(p.expected_w, 9800);
  p = plan_budget(13200, 5000, c);
  EXPECT_EQ(p.to_sleep, (V{"m30", "s19", "s19j"}));
  EXPECT_TRUE(p.fits);
}

TEST(BudgetPlan, NothingToDoWhenTheRackAlreadyFits) {
  auto p = plan_budget(5000, 6000, {{"a", 3000, 30}});
  EXPECT_TRUE(p.to_sleep.empty());
  EXPECT_TRUE(p.fits);
}

TEST(BudgetPlan, UnknownEfficiencyComesAfterKnownAndSaysWhenItCannotFit) {
  auto p = plan_budget(10000, 1000, {{"unknown", 4000, std::nullopt}, {"known", 3000, 20}});
  EXPECT_EQ(p.to_sleep, (V{"known", "unknown"}));
  EXPECT_FALSE(p.fits);
  EXPECT_DOUBLE_EQ(p.expected_w, 3000);
}

}  // namespace
}  // namespace rigkeeper::agent::commands
