#include "drivers/api/json_reader.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <rapidjson/reader.h>

#include "drivers/api/cgminer_json_lexemes.h"
#include "drivers/api/cgminer_json_repairer.h"

namespace rigkeeper::drivers {

using nlohmann::json;

namespace detail {

namespace {

/// True if `s` is well-formed UTF-8 by the table nlohmann enforces (utf8_length), which also
/// refuses the bytes of a UTF-16 surrogate: RapidJSON writes a lone "\uDC00" as those, and
/// nlohmann refuses it. ASCII, nearly all of a device's text, is checked a word at a time.
bool valid_utf8(const char* s, std::size_t n) {
  std::size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t word = 0;
      std::memcpy(&word, s + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = utf8_length(std::string_view(s, n), i);
    if (len == 0 || len == std::string_view::npos) return false;
    i += len;
  }
  return true;
}

/// RapidJSON SAX events -> an nlohmann tree. Returning false from a handler stops the reader.
class TreeBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TreeBuilder> {
 public:
  explicit TreeBuilder(bool null_non_finite) : null_non_finite_(null_non_finite) {
    stack_.reserve(16);
  }

  bool Null() { return add(json(nullptr)) != nullptr; }
  bool Bool(bool b) { return add(json(b)) != nullptr; }
  /// Numbers come as their text (kParseNumbersAsStringsFlag) and are read the way nlohmann
  /// reads them: no '.', 'e' or 'E' is an integer (signed if negative, else unsigned), a
  /// float when out of range; std::from_chars rounds exactly, like nlohmann's strtod, and
  /// faster than RapidJSON's full-precision path. Beyond a double's range nlohmann decides.
  bool RawNumber(const char* s, rapidjson::SizeType n, bool /*copy*/) {
    const char* end = s + n;
    if (std::find_if(s, end, [](char c) { return c == '.' || c == 'e' || c == 'E'; }) == end) {
      if (*s == '-') {
        json::number_integer_t v = 0;
        if (auto [p, ec] = std::from_chars(s, end, v); ec == std::errc() && p == end)
          return add(json(v)) != nullptr;
      } else {
        json::number_unsigned_t v = 0;
        if (auto [p, ec] = std::from_chars(s, end, v); ec == std::errc() && p == end)
          return add(json(v)) != nullptr;
      }
    }
    double d = 0;
    auto [p, ec] = std::from_chars(s, end, d);
    return ec == std::errc() && p == end && add(json(d)) != nullptr;
  }
  bool String(const char* s, rapidjson::SizeType n, bool /*copy*/) {
    if (!valid_utf8(s, n)) return false;
    if (null_non_finite_ && is_non_finite_word(std::string_view(s, n)))
      return add(json(nullptr)) != nullptr;
    return add(json(std::string(s, n))) != nullptr;
  }
  bool Key(const char* s, rapidjson::SizeType n, bool /*copy*/) {
    if (!valid_utf8(s, n)) return false;
    key_.assign(s, n);
    return true;
  }
  bool StartObject() { return open(json::object()); }
  bool EndObject(rapidjson::SizeType /*members*/) { return close(); }
  bool StartArray() { return open(json::array()); }
  bool EndArray(rapidjson::SizeType /*elements*/) { return close(); }

  json take() { return std::move(root_); }

 private:
  /// Adds `v` to the open container (or as the root); its address, stable until the
  /// container it sits in grows again, which cannot happen while it is still open.
  json* add(json&& v) {
    if (stack_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    json* parent = stack_.back();
    if (parent->is_array()) {
      auto& array = *parent->get_ptr<json::array_t*>();
      array.push_back(std::move(v));
      return &array.back();
    }
    // A repeated key keeps its last value, as nlohmann does.
    auto& object = *parent->get_ptr<json::object_t*>();
    return &object.insert_or_assign(std::move(key_), std::move(v)).first->second;
  }
  bool open(json&& container) {
    if (stack_.size() >= kMaxJsonDepth) return false;
    stack_.push_back(add(std::move(container)));
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  const bool null_non_finite_;
  json root_;
  std::vector<json*> stack_;
  std::string key_;
};

}  // namespace

std::optional<json> read_json_fast(std::string_view text, bool null_non_finite) {
  // RapidJSON reads a NUL as the end of the input; nlohmann reads it as garbage.
  if (text.empty() || std::memchr(text.data(), '\0', text.size()) != nullptr) return std::nullopt;
  // Parsed in place in a NUL-terminated copy: strings are unescaped where they lie instead of
  // being copied through the reader's own stack first.
  std::string buffer(text);
  TreeBuilder builder(null_non_finite);
  rapidjson::InsituStringStream in(buffer.data());
  rapidjson::Reader reader;
  // UTF-8 is checked in the builder (nlohmann's table), and numbers are read there.
  constexpr unsigned kFlags = rapidjson::kParseInsituFlag | rapidjson::kParseNumbersAsStringsFlag;
  if (reader.Parse<kFlags>(in, builder).IsError()) return std::nullopt;
  return builder.take();
}

}  // namespace detail

json read_json(std::string_view text) {
  if (auto fast = detail::read_json_fast(text, /*null_non_finite=*/false)) return std::move(*fast);
  // Not JSON, or a case nlohmann decides.
  if (detail::nests_deeper_than(text, detail::kMaxJsonDepth)) return json(json::value_t::discarded);
  return json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace rigkeeper::drivers
