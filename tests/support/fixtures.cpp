#include "tests/support/fixtures.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace rigkeeper::test {

std::filesystem::path fixture_path(const std::string& relative) {
  return std::filesystem::path(RK_FIXTURES_DIR) / relative;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string read_fixture(const std::string& relative) {
  const auto p = fixture_path(relative);
  if (!std::filesystem::exists(p)) {
    ADD_FAILURE() << "fixture missing: " << p;
    return {};
  }
  return read_file(p);
}

std::vector<std::filesystem::path> fixture_files(const std::string& relative_dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(fixture_path(relative_dir)))
    if (e.is_regular_file()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Variant> broken_variants(const std::string& good) {
  std::vector<Variant> v;
  for (double frac : {0.0, 0.1, 0.33, 0.5, 0.9, 0.99}) {
    const auto n = static_cast<size_t>(static_cast<double>(good.size()) * frac);
    v.push_back({"truncated_at_" + std::to_string(n), good.substr(0, n)});
  }
  v.push_back({"trailing_nul", good + std::string(1, '\0')});
  v.push_back({"nul_in_middle", good.substr(0, good.size() / 2) + std::string(1, '\0') +
                                    good.substr(good.size() / 2)});
  std::string flipped = good;
  for (size_t i = 7; i < flipped.size(); i += 97) flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
  v.push_back({"bytes_flipped", flipped});
  std::string garbage;
  uint32_t x = 12345;
  for (int i = 0; i < 512; ++i) {
    x = x * 1103515245u + 12345u;
    garbage.push_back(static_cast<char>(x >> 16));
  }
  v.push_back({"garbage", garbage});
  v.push_back({"empty", ""});
  v.push_back({"html", "<html><body>404 Not Found</body></html>"});
  std::string no_quotes = good;
  no_quotes.erase(std::remove(no_quotes.begin(), no_quotes.end(), '"'), no_quotes.end());
  v.push_back({"quotes_removed", no_quotes});
  return v;
}

}  // namespace rigkeeper::test
