#pragma once
/// Bounded reads of the files the configuration names: the config files themselves and the
/// MQTT password file. Problems come back as text that names the problem, never the content.
#include <cstddef>
#include <filesystem>
#include <string>

#include <tl/expected.hpp>

namespace rigkeeper::agent::config {

/// Largest password file read (its first line is the password).
inline constexpr std::size_t kMaxPasswordFileBytes = 64 * 1024;

/// The whole file, if it is a regular file of at most `limit` bytes; otherwise the problem
/// ("not found", "is a directory", "is 5000000 bytes, more than the 4194304-byte limit", ...).
tl::expected<std::string, std::string> read_bounded(const std::filesystem::path& file,
                                                    std::size_t limit);

/// The first line of the file (without its line ending), which must not be empty.
tl::expected<std::string, std::string> read_password_file(const std::filesystem::path& file);

/// Whether `file` names a regular file this process can open for reading; the problem if not.
tl::expected<void, std::string> check_readable_file(const std::filesystem::path& file);

}  // namespace rigkeeper::agent::config
