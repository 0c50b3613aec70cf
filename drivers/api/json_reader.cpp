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

/// Object members given back by recycle_json, for this thread's next trees: each member of
/// an object is a map node holding its key's storage, and taking one from here instead of the
/// heap saves the node's allocation and free, and the key's too when it is longer than 15
/// bytes. Values are not kept: document order is lost in the map, so a popped node rarely
/// lands on the key it held.
struct NodeStash {
  std::vector<json::object_t::node_type> nodes;  // up to kMaxRecycledMembers
};
NodeStash& stash() {
  thread_local NodeStash s;
  return s;
}

void give_back(json& v, std::size_t depth) {
  auto& nodes = stash().nodes;
  if (depth >= kMaxJsonDepth) return;  // the rest is left to the destructor
  if (auto* object = v.get_ptr<json::object_t*>()) {
    while (!object->empty() && nodes.size() < kMaxRecycledMembers) {
      auto node = object->extract(object->begin());
      give_back(node.mapped(), depth + 1);
      node.mapped() = nullptr;
      if (nodes.size() >= kMaxRecycledMembers) return;  // full: this one is freed
      nodes.push_back(std::move(node));
    }
  } else if (auto* array = v.get_ptr<json::array_t*>()) {
    for (auto& element : *array) give_back(element, depth + 1);
  }
}

/// RapidJSON SAX events -> an nlohmann tree. Returning false from a handler stops the reader.
class TreeBuilder : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, TreeBuilder> {
 public:
  explicit TreeBuilder(bool null_non_finite) : null_non_finite_(null_non_finite) {
    stack_.reserve(16);
  }

  bool Null() { return put(nullptr); }
  bool Bool(bool b) { return put(b); }
  /// Numbers come as their text (kParseNumbersAsStringsFlag) and are read the way nlohmann
  /// reads them: no '.', 'e' or 'E' is an integer (signed if negative, else unsigned), a
  /// float when out of range; std::from_chars rounds exactly, like nlohmann's strtod, and
  /// faster than RapidJSON's full-precision path. Beyond a double's range nlohmann decides.
  bool RawNumber(const char* s, rapidjson::SizeType n, bool /*copy*/) {
    const char* end = s + n;
    if (std::find_if(s, end, [](char c) { return c == '.' || c == 'e' || c == 'E'; }) == end) {
      if (*s == '-') {
        json::number_integer_t v = 0;
        if (auto [p, ec] = std::from_chars(s, end, v); ec == std::errc() && p == end) return put(v);
      } else {
        json::number_unsigned_t v = 0;
        if (auto [p, ec] = std::from_chars(s, end, v); ec == std::errc() && p == end) return put(v);
      }
    }
    double d = 0;
    auto [p, ec] = std::from_chars(s, end, d);
    return ec == std::errc() && p == end && put(d);
  }
  bool String(const char* s, rapidjson::SizeType n, bool /*copy*/) {
    if (!valid_utf8(s, n)) return false;
    if (null_non_finite_ && is_non_finite_word(std::string_view(s, n))) return put(nullptr);
    return put(json::string_t(s, n));
  }
  /// The key's bytes stay in the in-situ buffer until the reader is done.
  bool Key(const char* s, rapidjson::SizeType n, bool /*copy*/) {
    if (!valid_utf8(s, n)) return false;
    key_ = std::string_view(s, n);
    return true;
  }
  bool StartObject() { return open(json::value_t::object); }
  bool EndObject(rapidjson::SizeType /*members*/) { return close(); }
  bool StartArray() { return open(json::value_t::array); }
  bool EndArray(rapidjson::SizeType /*elements*/) { return close(); }

  json take() { return std::move(root_); }

 private:
  template <class T>
  bool put(T&& v) {
    slot() = std::forward<T>(v);
    return true;
  }
  /// Where the next value goes in the open container (or the root): a new array element, or
  /// the member for the current key, on a recycled map node when there is one. Its address
  /// is stable until the container it sits in grows again, which cannot happen while it is
  /// still open.
  json& slot() {
    if (stack_.empty()) return root_;
    json* parent = stack_.back();
    if (auto* array = parent->get_ptr<json::array_t*>()) return array->emplace_back();
    auto& object = *parent->get_ptr<json::object_t*>();
    auto& nodes = stash().nodes;
    if (nodes.empty()) return object[std::string(key_)];
    auto node = std::move(nodes.back());
    nodes.pop_back();
    node.key().assign(key_);
    auto [at, inserted, repeated] = object.insert(std::move(node));
    // A repeated key's value is written over: the last one stays, as in nlohmann.
    if (!inserted) nodes.push_back(std::move(repeated));
    return at->second;
  }
  bool open(json::value_t kind) {
    if (stack_.size() >= kMaxJsonDepth) return false;
    json& at = slot();
    at = json(kind);
    stack_.push_back(&at);
    return true;
  }
  bool close() {
    stack_.pop_back();
    return true;
  }

  const bool null_non_finite_;
  json root_;
  std::vector<json*> stack_;
  std::string_view key_;
};

}  // namespace

std::size_t recycled_members() { return stash().nodes.size(); }

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

void recycle_json(json& tree) {
  detail::give_back(tree, 0);
  tree = nullptr;
}

void recycle_json(std::optional<json>& tree) {
  if (tree) recycle_json(*tree);
}

void recycle_json(std::map<std::string, json>& trees) {
  for (auto& [name, tree] : trees) recycle_json(tree);
}

json read_json(std::string_view text) {
  if (auto fast = detail::read_json_fast(text, /*null_non_finite=*/false)) return std::move(*fast);
  // Not JSON, or a case nlohmann decides.
  if (detail::nests_deeper_than(text, detail::kMaxJsonDepth)) return json(json::value_t::discarded);
  return json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

}  // namespace rigkeeper::drivers
