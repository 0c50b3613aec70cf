#pragma once
/// Access to ../shared/fixtures (read in place) and helpers to derive broken variants.
#include <filesystem>
#include <string>
#include <vector>

namespace rigkeeper::test {

/// Absolute path of a capture, e.g. fixture_path("asic/antminer_stock/stats.json").
std::filesystem::path fixture_path(const std::string& relative);

/// The capture's bytes; fails the current test (ADD_FAILURE) and returns "" if unreadable.
std::string read_fixture(const std::string& relative);

/// Every file under a fixture folder, sorted (e.g. "asic/luxos").
std::vector<std::filesystem::path> fixture_files(const std::string& relative_dir);

/// Broken variants of a reply, each with a name: truncated at several points, a byte
/// flipped, a NUL appended, garbage, empty.
struct Variant {
  std::string name;
  std::string bytes;
};
std::vector<Variant> broken_variants(const std::string& good);

std::string read_file(const std::filesystem::path& p);

}  // namespace rigkeeper::test
