// docs/CONFIG.md and packaging/rigkeeper.toml are generated from the key declarations; these
// tests fail when the committed files differ. RK_UPDATE_DOCS=1 rewrites them instead.
#include <cstdlib>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/config/config.h"
#include "agent/config/schema.h"
#include "drivers/api/registry.h"
#include "tests/support/fixtures.h"
#include "tests/unit/config/config_test_util.h"

namespace rigkeeper::agent {
namespace {

using ::testing::HasSubstr;

void check_generated(const std::string& relative, const std::string& generated) {
  const auto path = std::filesystem::path(RK_SOURCE_DIR) / relative;
  const char* update = std::getenv("RK_UPDATE_DOCS");
  if (update != nullptr && std::string(update) == "1") {
    test::write_file(path, generated);
    return;
  }
  std::string committed;
  if (std::filesystem::exists(path)) committed = rigkeeper::test::read_file(path);
  EXPECT_TRUE(committed == generated)
      << relative << " is out of date with the key declarations (agent/config/schema.cpp or a "
      << "driver's config_keys). Regenerate it with:\n  RK_UPDATE_DOCS=1 "
      << "<build>/tests/unit/config/config_test --gtest_filter='ConfigDocs.*'\nand commit it.";
}

TEST(ConfigDocs, ReferenceIsUpToDate) {
  check_generated("docs/CONFIG.md", config_reference_markdown());
}

TEST(ConfigDocs, PackagedConfigIsUpToDate) {
  check_generated("packaging/rigkeeper.toml", config_example_toml());
}

TEST(ConfigDocs, ReferenceDocumentsEveryKeyRuleAndFlag) {
  const std::string md = config_reference_markdown();
  for (const auto& k : config::setting_keys()) {
    EXPECT_THAT(md, HasSubstr("| `" + std::string(k.name) + "` |")) << k.path();
    EXPECT_THAT(md, HasSubstr(std::string(k.doc.substr(0, 30)))) << k.path();
  }
  for (const auto& k : config::device_keys())
    EXPECT_THAT(md, HasSubstr("| `" + std::string(k.name) + "` |")) << k.name;
  for (const auto& f : config::override_flags())
    EXPECT_THAT(md, HasSubstr("`" + std::string(f.flag) + "`")) << f.flag;
  EXPECT_THAT(md, HasSubstr("## Driver keys"));
  for (const auto* d : drivers::all_drivers()) {
    EXPECT_THAT(md, HasSubstr("### `" + d->name + "`"));
    for (const auto& key : d->config_keys)
      EXPECT_THAT(md, HasSubstr("| `" + key.name + "` |")) << d->name << "." << key.name;
  }
  EXPECT_THAT(md, HasSubstr("rigkeeper.d"));
  EXPECT_THAT(md, HasSubstr("Precedence"));
}

TEST(ConfigDocs, PackagedConfigCommentsEveryKey) {
  const std::string toml = config_example_toml();
  for (const auto& k : config::setting_keys())
    EXPECT_THAT(toml, HasSubstr("\n#" + std::string(k.name) + " = ")) << k.path();
  for (const auto& k : config::device_keys()) {
    if (k.example || k.default_value) {
      EXPECT_THAT(toml, HasSubstr("\n#" + std::string(k.name) + " = ")) << k.name;
    }
  }
}

}  // namespace
}  // namespace rigkeeper::agent
