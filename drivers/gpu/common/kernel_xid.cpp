#include "drivers/gpu/common/kernel_xid.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace rigkeeper::drivers::gpu {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

template <class T>
std::optional<T> to_number(std::string_view s) {
  s = trim(s);
  T v{};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<XidEvent> parse_xid_line(std::string_view line) {
  constexpr std::string_view kTag = "NVRM: Xid (";
  const size_t at = line.find(kTag);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(at + kTag.size());
  const size_t close = rest.find("):");
  if (close == std::string_view::npos || close > 64) return std::nullopt;
  std::string_view pci = rest.substr(0, close);
  if (pci.starts_with("PCI:")) pci.remove_prefix(4);
  rest = rest.substr(close + 2);
  const size_t comma = rest.find(',');
  auto code = to_number<int>(rest.substr(0, comma));
  if (!code || *code <= 0 || *code > 100000) return std::nullopt;
  XidEvent ev;
  ev.pci = lower(trim(pci));
  ev.code = *code;
  rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  // Optional "pid=N," and "name=X," fields, in that order, before the free text.
  for (std::string_view key : {std::string_view("pid="), std::string_view("name=")}) {
    std::string_view t = trim(rest);
    if (!t.starts_with(key)) continue;
    const size_t end = t.find(',');
    std::string_view value = t.substr(
        key.size(), end == std::string_view::npos ? std::string_view::npos : end - key.size());
    if (key == "pid=") {
      ev.pid = to_number<int64_t>(value);
    } else if (value != "<unknown>") {
      ev.process = std::string(trim(value));
    }
    rest = end == std::string_view::npos ? std::string_view{} : t.substr(end + 1);
  }
  ev.message = std::string(trim(rest));
  return ev;
}

std::vector<XidEvent> parse_xid_lines(std::string_view text) {
  std::vector<XidEvent> out;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    if (auto ev = parse_xid_line(text.substr(0, nl))) out.push_back(std::move(*ev));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

std::string pci_bus_device(std::string_view address) {
  std::string_view a = trim(address);
  if (a.starts_with("PCI:") || a.starts_with("pci:")) a.remove_prefix(4);
  if (const size_t dot = a.find('.'); dot != std::string_view::npos) a = a.substr(0, dot);
  // domain:bus:device or bus:device; keep the last two parts.
  const size_t last = a.rfind(':');
  if (last == std::string_view::npos || last == 0) return "";
  const size_t prev = a.rfind(':', last - 1);
  std::string_view bus = a.substr(prev == std::string_view::npos ? 0 : prev + 1,
                                  last - (prev == std::string_view::npos ? 0 : prev + 1));
  std::string_view dev = a.substr(last + 1);
  auto hex = [](std::string_view s) {
    if (s.empty() || s.size() > 8) return false;
    for (char c : s)
      if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return true;
  };
  if (!hex(bus) || !hex(dev)) return "";
  auto norm = [](std::string_view s) {
    auto v = std::strtoul(std::string(s).c_str(), nullptr, 16);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02lx", v);
    return std::string(buf);
  };
  return norm(bus) + ":" + norm(dev);
}

KernelXidReader::KernelXidReader(std::string path, size_t max_bytes_per_call)
    : path_(std::move(path)), max_bytes_(max_bytes_per_call) {}

KernelXidReader::~KernelXidReader() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::vector<XidEvent>> KernelXidReader::read_new() {
  if (fd_ < 0) {
    fd_ = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) {
      return fail(Errc::kUnsupported, "kernel log " + path_ + " unreadable (" +
                                          std::strerror(errno) +
                                          "): Xid events need root or CAP_SYSLOG");
    }
  }
  std::vector<XidEvent> out;
  std::string buf(8192, '\0');
  size_t total = 0;
  while (total < max_bytes_) {
    const ssize_t n = ::read(fd_, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) continue;  // kmsg: records overwritten before we read them
      break;                         // EAGAIN: nothing more for now
    }
    if (n == 0) break;  // end of a plain file
    total += static_cast<size_t>(n);
    // /dev/kmsg returns one newline-terminated record per read; a file returns chunks.
    partial_.append(buf.data(), static_cast<size_t>(n));
    const size_t last_nl = partial_.rfind('\n');
    if (last_nl == std::string::npos) continue;
    for (auto& ev : parse_xid_lines(std::string_view(partial_).substr(0, last_nl)))
      out.push_back(std::move(ev));
    partial_.erase(0, last_nl + 1);
    if (partial_.size() > 64 * 1024) partial_.clear();  // a runaway line: drop it
  }
  return out;
}

}  // namespace rigkeeper::drivers::gpu
