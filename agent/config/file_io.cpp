#include "agent/config/file_io.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace rigkeeper::agent::config {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

tl::expected<File, std::string> open_regular(const std::filesystem::path& file) {
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (status.type() == std::filesystem::file_type::not_found)
    return tl::unexpected(std::string("not found"));
  if (ec) return tl::unexpected("cannot be read: " + ec.message());
  if (std::filesystem::is_directory(status))
    return tl::unexpected(std::string("is a directory, not a file"));
  if (!std::filesystem::is_regular_file(status))
    return tl::unexpected(std::string("is not a regular file"));
  File f(std::fopen(file.c_str(), "rb"));
  if (!f) return tl::unexpected(std::string("cannot be read: ") + std::strerror(errno));
  return f;
}

}  // namespace

tl::expected<std::string, std::string> read_bounded(const std::filesystem::path& file,
                                                    std::size_t limit) {
  auto f = open_regular(file);
  if (!f) return tl::unexpected(f.error());
  // Read at most limit + 1 bytes: the size on disk may change between stat and read.
  std::string bytes;
  char buf[64 * 1024];
  while (bytes.size() <= limit) {
    const std::size_t n = std::fread(buf, 1, sizeof buf, f->get());
    bytes.append(buf, n);
    if (n < sizeof buf) break;
  }
  if (std::ferror(f->get())) return tl::unexpected(std::string("cannot be read: read error"));
  if (bytes.size() > limit) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    const std::string shown = ec ? "more than " + std::to_string(limit) : std::to_string(size);
    return tl::unexpected("is too large: " + shown + " bytes, the limit is " +
                          std::to_string(limit) + " bytes");
  }
  return bytes;
}

tl::expected<std::string, std::string> read_password_file(const std::filesystem::path& file) {
  auto bytes = read_bounded(file, kMaxPasswordFileBytes);
  if (!bytes) return tl::unexpected("password file '" + file.string() + "' " + bytes.error());
  std::string line = bytes->substr(0, bytes->find('\n'));
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty())
    return tl::unexpected("password file '" + file.string() +
                          "' has an empty first line: it must hold the password");
  return line;
}

tl::expected<void, std::string> check_readable_file(const std::filesystem::path& file) {
  auto f = open_regular(file);
  if (!f) return tl::unexpected(f.error());
  return {};
}

}  // namespace rigkeeper::agent::config
