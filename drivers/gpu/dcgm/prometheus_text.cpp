#include "drivers/gpu/dcgm/prometheus_text.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace rigkeeper::drivers::prom {
namespace {

bool name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':';
}
bool name_char(char c) { return name_start(c) || std::isdigit(static_cast<unsigned char>(c)); }

void skip_blanks(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
}

std::optional<std::string> read_name(std::string_view& s) {
  if (s.empty() || !name_start(s.front())) return std::nullopt;
  size_t n = 1;
  while (n < s.size() && name_char(s[n])) ++n;
  std::string out(s.substr(0, n));
  s.remove_prefix(n);
  return out;
}

// Reads a quoted label value with escapes; s starts at the opening quote.
std::optional<std::string> read_quoted(std::string_view& s) {
  if (s.empty() || s.front() != '"') return std::nullopt;
  s.remove_prefix(1);
  std::string out;
  while (!s.empty()) {
    const char c = s.front();
    s.remove_prefix(1);
    if (c == '"') return out;
    if (c == '\\') {
      if (s.empty()) return std::nullopt;
      const char e = s.front();
      s.remove_prefix(1);
      out.push_back(e == 'n' ? '\n' : e);  // \\ and \" stand for themselves
    } else {
      out.push_back(c);
    }
  }
  return std::nullopt;  // unterminated
}

std::string unescape_help(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '\\' || s[i + 1] == 'n')) {
      out.push_back(s[i + 1] == 'n' ? '\n' : '\\');
      ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::optional<double> parse_value(std::string_view t) {
  if (t == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (t == "+Inf" || t == "Inf") return std::numeric_limits<double>::infinity();
  if (t == "-Inf") return -std::numeric_limits<double>::infinity();
  if (t.empty() || t.size() > 64) return std::nullopt;
  std::string buf(t);  // strtod: from_chars for double is not in every libstdc++ we target
  char* end = nullptr;
  const double v = std::strtod(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size()) return std::nullopt;
  return v;
}

// One sample line; an error message when malformed.
std::optional<std::string> parse_sample(std::string_view line, const Limits& limits, Sample& out) {
  auto name = read_name(line);
  if (!name) return "bad metric name";
  out.name = std::move(*name);
  skip_blanks(line);
  if (!line.empty() && line.front() == '{') {
    line.remove_prefix(1);
    for (;;) {
      skip_blanks(line);
      if (!line.empty() && line.front() == '}') {
        line.remove_prefix(1);
        break;
      }
      auto key = read_name(line);
      if (!key) return "bad label name in " + out.name;
      skip_blanks(line);
      if (line.empty() || line.front() != '=') return "missing '=' after label " + *key;
      line.remove_prefix(1);
      skip_blanks(line);
      auto value = read_quoted(line);
      if (!value) return "bad value of label " + *key;
      if (out.labels.size() >= limits.max_labels) return "too many labels on " + out.name;
      out.labels.emplace_back(std::move(*key), std::move(*value));
      skip_blanks(line);
      if (!line.empty() && line.front() == ',')
        line.remove_prefix(1);
      else if (line.empty() || line.front() != '}')
        return "unterminated labels of " + out.name;
    }
  }
  skip_blanks(line);
  const size_t sp = line.find_first_of(" \t");
  auto value = parse_value(line.substr(0, sp));
  if (!value) return "bad value of " + out.name;
  out.value = *value;
  if (sp != std::string_view::npos) {
    std::string_view ts = line.substr(sp);
    skip_blanks(ts);
    while (!ts.empty() && (ts.back() == ' ' || ts.back() == '\t')) ts.remove_suffix(1);
    if (!ts.empty()) {
      int64_t v = 0;
      auto [p, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), v);
      if (ec != std::errc() || p != ts.data() + ts.size()) return "bad timestamp of " + out.name;
      out.timestamp_ms = v;
    }
  }
  return std::nullopt;
}

}  // namespace

const std::string* Sample::label(std::string_view key) const {
  for (const auto& [k, v] : labels)
    if (k == key) return &v;
  return nullptr;
}

Result<Exposition> parse_text(std::string_view text, const Limits& limits) {
  Exposition exp;
  auto problem = [&exp](std::string what) {
    ++exp.skipped_lines;
    if (exp.first_problem.empty()) exp.first_problem = std::move(what);
  };
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    skip_blanks(line);
    if (line.empty()) continue;
    if (line.size() > limits.max_line) {
      problem("line " + std::to_string(line_no) + " longer than " +
              std::to_string(limits.max_line) + " bytes");
      continue;
    }
    if (line.find('\0') != std::string_view::npos) {
      problem("line " + std::to_string(line_no) + " contains a NUL byte");
      continue;
    }
    if (line.front() == '#') {
      line.remove_prefix(1);
      skip_blanks(line);
      const bool is_help = line.starts_with("HELP");
      const bool is_type = line.starts_with("TYPE");
      if (!is_help && !is_type) continue;  // a plain comment
      line.remove_prefix(4);
      skip_blanks(line);
      auto name = read_name(line);
      if (!name) {
        problem("line " + std::to_string(line_no) + ": bad metric name in # HELP/# TYPE");
        continue;
      }
      skip_blanks(line);
      if (is_help) {
        exp.help[*name] = unescape_help(line);
      } else {
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        exp.type[*name] = std::string(line);
      }
      continue;
    }
    if (exp.samples.size() >= limits.max_samples) {
      problem("more than " + std::to_string(limits.max_samples) + " samples");
      break;
    }
    Sample s;
    if (auto err = parse_sample(line, limits, s)) {
      problem("line " + std::to_string(line_no) + ": " + *err);
      continue;
    }
    exp.samples.push_back(std::move(s));
  }
  if (exp.samples.empty() && exp.skipped_lines > 0)
    return fail(Errc::kProtocol, "not Prometheus text: " + exp.first_problem);
  return exp;
}

}  // namespace rigkeeper::drivers::prom
