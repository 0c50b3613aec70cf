// Broken input never crashes a parser: every capture a family reads, broken at the byte level
// (tests/support broken_variants) and at the field level (key removed, wrong type, string for
// number), must give a snapshot or Errc::kProtocol, never an exception.
#include <functional>

#include <gtest/gtest.h>

#include "drivers/api/json_repair.h"
#include "drivers/asic/antminer/parser.h"
#include "drivers/asic/braiins/parser.h"
#include "drivers/asic/cgminer/parser.h"
#include "drivers/asic/luxos/parser.h"
#include "tests/support/fixtures.h"
#include "tests/unit/asic/asic_test_util.h"

namespace rigkeeper::drivers {
namespace {

using nlohmann::json;
using Files = std::vector<std::pair<std::string, std::string>>;

struct Family {
  std::string name;
  std::function<Result<DeviceSnapshot>(const asic::Replies&)> parse;
  Files files;  // command -> capture
};

std::vector<Family> families() {
  const std::string am = "asic/antminer_stock/", lx = "asic/luxos/", av = "asic/avalon/";
  return {
      {"antminer",
       &antminer::parse_replies,
       {{"version", am + "version.json"},
        {"summary", am + "summary.json"},
        {"stats", am + "stats.json"},
        {"pools", am + "pools.json"},
        {"devs", am + "devs.json"}}},
      {"luxos",
       &luxos::parse_replies,
       {{"version", lx + "version.json"},
        {"summary", lx + "summary.json"},
        {"devs", lx + "devs.json"},
        {"stats", lx + "stats.json"},
        {"pools", lx + "pools.json"},
        {"power", lx + "power.json"},
        {"config", lx + "config.json"}}},
      // BOS+ captures are only version and fans; the rest are cgminer replies of the same shape.
      {"braiins",
       &braiins::parse_replies,
       {{"version", "asic/braiins/cgminer_api_version_boser.json"},
        {"fans", "asic/braiins/cgminer_api_fans_boser.json"},
        {"summary", lx + "summary.json"},
        {"devs", lx + "devs.json"},
        {"temps", lx + "temps.json"},
        {"pools", lx + "pools.json"}}},
      {"cgminer",
       &cgminer::parse_replies,
       {{"version", av + "version.json"},
        {"summary", av + "summary.json"},
        {"devs", av + "devs.json"},
        {"pools", av + "pools.json"},
        {"stats", am + "stats.json"}}},
  };
}

/// Runs the parser; fails the test on an exception or on an error other than kProtocol.
void expect_survives(const Family& f, const asic::Replies& r, const std::string& what) {
  try {
    auto snap = f.parse(r);
    if (snap) {
      // The direct writer (what MQTT carries) gives the same bytes as the DOM form.
      std::string direct;
      EXPECT_NO_THROW(direct = to_json_string(*snap)) << f.name << " " << what;
      EXPECT_EQ(direct, to_json(*snap).dump(-1, ' ', false, json::error_handler_t::replace))
          << f.name << " " << what;
    } else {
      EXPECT_EQ(snap.error().code, Errc::kProtocol)
          << f.name << " " << what << ": " << snap.error().message;
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << f.name << " " << what << " threw: " << e.what();
  }
}

TEST(Robustness, EveryGoodSetParses) {
  for (const auto& f : families()) {
    auto snap = f.parse(test::load_replies(f.files));
    EXPECT_TRUE(snap) << f.name << ": " << (snap ? "" : snap.error().message);
  }
}

TEST(Robustness, ByteLevelBrokenVariants) {
  for (const auto& f : families()) {
    const auto good = test::load_replies(f.files);
    for (const auto& [cmd, file] : f.files) {
      for (const auto& v : test::broken_variants(test::read_fixture(file))) {
        auto r = good;
        auto parsed = parse_cgminer_json(v.bytes);
        if (parsed)
          r[cmd] = *parsed;
        else
          r.erase(cmd);
        expect_survives(f, r, cmd + "/" + v.name);
      }
      for (const char* err : {"asic/errors/invalid_command_s19pro_stock.json",
                              "asic/errors/devdetails_access_denied_hiveon.json"}) {
        auto r = good;
        r[cmd] = test::load_json(err);
        expect_survives(f, r, cmd + " replaced by " + err);
      }
    }
  }
}

const std::vector<std::pair<std::string, json>>& field_mutations() {
  static const std::vector<std::pair<std::string, json>> kMutations = {
      {"null", nullptr},
      {"text", "abc"},
      {"empty", ""},
      {"number", 12345},
      {"negative", -1},
      {"array", json::array({1, "x"})},
      {"object", json::object()},
      {"bool", true},
      {"huge", 1e308},
      {"sentinel", "-273"},
      {"long", std::string(5000, 'x')}};
  return kMutations;
}

TEST(Robustness, FieldLevelMutations) {
  size_t runs = 0;
  for (const auto& f : families()) {
    const auto good = test::load_replies(f.files);
    for (const auto& [cmd, reply] : good) {
      for (const auto& [section, value] : reply.items()) {
        if (!value.is_array()) continue;
        for (size_t i = 0; i < value.size(); ++i) {
          if (!value[i].is_object()) continue;
          for (const auto& [key, unused] : value[i].items()) {
            const std::string where = cmd + "." + section + "[" + std::to_string(i) + "]." + key;
            auto removed = good;
            removed[cmd][section][i].erase(key);
            expect_survives(f, removed, where + " removed");
            for (const auto& [name, replacement] : field_mutations()) {
              auto r = good;
              r[cmd][section][i][key] = replacement;
              expect_survives(f, r, where + "=" + name);
              ++runs;
            }
          }
        }
      }
    }
  }
  EXPECT_GT(runs, 3000u);
}

TEST(Robustness, SectionAndReplyShapes) {
  const std::vector<json> shapes = {nullptr,
                                    json::array(),
                                    json::object(),
                                    "SUMMARY",
                                    42,
                                    json::array({json::array()}),
                                    json::array({1, 2})};
  for (const auto& f : families()) {
    const auto good = test::load_replies(f.files);
    for (const auto& [cmd, reply] : good) {
      for (const auto& shape : shapes) {
        auto whole = good;
        whole[cmd] = shape;
        expect_survives(f, whole, cmd + " reply=" + shape.dump());
        for (const auto& [section, unused] : reply.items()) {
          auto r = good;
          r[cmd][section] = shape;
          expect_survives(f, r, cmd + "." + section + "=" + shape.dump());
        }
      }
    }
    expect_survives(f, asic::Replies{}, "no replies at all");
  }
}

}  // namespace
}  // namespace rigkeeper::drivers
