// The command journal in the store: insert once per id, acks appended, survives reopening.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "agent/store/store.h"
#include "tests/support/temp_dir.h"

namespace rigkeeper::agent {
namespace {

TEST(CommandJournal, InsertsOncePerIdAndKeepsAcksAcrossReopen) {
  test::TempDir dir;
  {
    auto store = Store::open(dir.path());
    ASSERT_TRUE(store) << store.error().message;
    CommandRecord rec{
        "c1", 1000, "local", "{\"id\":\"c1\"}", "accepted", R"([{"id":"c1","status":"accepted"}])",
        0};
    auto first = (*store)->command_insert(rec);
    ASSERT_TRUE(first);
    EXPECT_TRUE(*first);
    auto again = (*store)->command_insert(rec);
    ASSERT_TRUE(again);
    EXPECT_FALSE(*again);
    ASSERT_TRUE((*store)->command_append_ack("c1", "done", R"({"id":"c1","status":"done"})"));
    EXPECT_FALSE((*store)->command_append_ack("nope", "done", "{}"));
  }
  auto store = Store::open(dir.path());
  ASSERT_TRUE(store);
  auto rec = (*store)->command_get("c1");
  ASSERT_TRUE(rec && *rec);
  EXPECT_EQ((*rec)->state, "done");
  const auto acks = nlohmann::json::parse((*rec)->acks_json);
  ASSERT_EQ(acks.size(), 2u);
  EXPECT_EQ(acks[0]["status"], "accepted");
  EXPECT_EQ(acks[1]["status"], "done");
  auto missing = (*store)->command_get("c2");
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);
}

TEST(CommandJournal, ListsUnfinishedCommandsAndPrunesOnlyFinishedOnes) {
  test::TempDir dir;
  auto store = Store::open(dir.path());
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->command_insert({"old-done", 10, "local", "{}", "done", "[]", 0}));
  ASSERT_TRUE((*store)->command_insert({"old-open", 20, "local", "{}", "accepted", "[]", 0}));
  ASSERT_TRUE((*store)->command_insert({"new-open", 3000, "local", "{}", "accepted", "[]", 0}));
  auto open = (*store)->commands_in_state("accepted");
  ASSERT_TRUE(open);
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].id, "old-open");
  auto pruned = (*store)->commands_prune(1000);
  ASSERT_TRUE(pruned);
  EXPECT_EQ(*pruned, 1);
  EXPECT_FALSE(*(*store)->command_get("old-done"));
  EXPECT_TRUE(*(*store)->command_get("old-open"));
}

}  // namespace
}  // namespace rigkeeper::agent
