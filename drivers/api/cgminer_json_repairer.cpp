#include "drivers/api/cgminer_json_repairer.h"

#include <vector>

namespace rigkeeper::drivers::detail {

namespace {

enum class Expect { kValue, kKey, kColon, kCommaOrClose, kDone };

struct Frame {
  bool object;
  bool converted;        // an array that turned out to be an object written with [ ]
  std::size_t open_pos;  // where its opening bracket sits in the output
};

class Repairer {
 public:
  explicit Repairer(std::string_view in) : in_(in) { out_.reserve(in.size() + 16); }

  RepairOutcome run() {
    while (pos_ < in_.size() && expect_ != Expect::kDone && !failed_) {
      const char c = in_[pos_];
      if (static_cast<unsigned char>(c) <= 0x20) {  // whitespace, NULs, stray control bytes
        ++pos_;
        continue;
      }
      switch (c) {
        case '{':
        case '[':
          open(c);
          break;
        case '}':
        case ']':
          close(c);
          break;
        case ',':
          comma();
          break;
        case ':':
          colon();
          break;
        case '"':
          string_token();
          break;
        default:
          bare_token();
          break;
      }
    }
    return finish();
  }

 private:
  Frame* top() { return stack_.empty() ? nullptr : &stack_.back(); }

  void fail(std::string problem) {
    failed_ = true;
    problem_ = std::move(problem);
    offset_ = pos_;
  }

  void mark_safe() {
    safe_len_ = out_.size();
    safe_depth_ = stack_.size();
  }

  void value_done() {
    if (stack_.empty()) {
      expect_ = Expect::kDone;
    } else {
      expect_ = Expect::kCommaOrClose;
      mark_safe();
    }
  }

  void flush_comma() {
    if (comma_pending_) out_ += ',';
    comma_pending_ = false;
  }

  /// Readies the output for a non-string value; false (and failed_) if none may start here.
  bool begin_value() {
    if (expect_ == Expect::kCommaOrClose && !top()->object) {
      comma_pending_ = true;  // `}{` / `][` / `1 2` inside an array: the missing comma
    } else if (expect_ != Expect::kValue) {
      fail(expect_ == Expect::kColon ? "expected ':' after a key" : "expected a key");
      return false;
    }
    flush_comma();
    return true;
  }

  void open(char c) {
    if (!begin_value()) return;
    if (stack_.size() >= kMaxJsonDepth) return fail("nesting deeper than 64 levels");
    stack_.push_back(Frame{c == '{', false, out_.size()});
    out_ += c;
    ++pos_;
    expect_ = c == '{' ? Expect::kKey : Expect::kValue;
    mark_safe();
  }

  void close(char c) {
    Frame* f = top();
    if (f == nullptr) return fail(std::string("unbalanced '") + c + "'");
    if (f->object != (c == '}') && !(f->converted && c == ']'))
      return fail(std::string("mismatched '") + c + "'");
    if (expect_ == Expect::kColon)
      out_ += ":null";  // {"a"}
    else if (expect_ == Expect::kValue && f->object)
      out_ += "null";        // {"a":}
    comma_pending_ = false;  // ,} and ,]
    out_ += f->object ? '}' : ']';
    stack_.pop_back();
    ++pos_;
    value_done();
  }

  void comma() {
    Frame* f = top();
    if (f == nullptr) {
      // Avalon: a reply that starts with `,"id":1}` lost its opening brace.
      out_ += '{';
      stack_.push_back(Frame{true, false, 0});
      expect_ = Expect::kKey;
      mark_safe();
    } else if (expect_ == Expect::kCommaOrClose) {
      comma_pending_ = true;
      expect_ = f->object ? Expect::kKey : Expect::kValue;
    } else if (expect_ == Expect::kColon || (expect_ == Expect::kValue && f->object)) {
      out_ += expect_ == Expect::kColon ? ":null" : "null";  // {"a",...} and {"a":,...}
      value_done();
      comma_pending_ = true;
      expect_ = Expect::kKey;
    }  // else `[,{` or `,,`: the extra comma is dropped
    ++pos_;
  }

  void colon() {
    Frame* f = top();
    if (expect_ == Expect::kColon) {
      out_ += ':';
      expect_ = Expect::kValue;
    } else if (f != nullptr && !f->object && expect_ == Expect::kCommaOrClose &&
               out_.size() == first_string_end_) {
      // Whatsminer API 2.0.4: "error_code":["k":"v",...] is an object written with [ ].
      out_[f->open_pos] = '{';
      f->object = true;
      f->converted = true;
      out_ += ':';
      expect_ = Expect::kValue;
      safe_len_ = f->open_pos + 1;
      safe_depth_ = stack_.size();
    } else {
      return fail("unexpected ':'");
    }
    ++pos_;
  }

  void string_token() {
    bool as_key = expect_ == Expect::kKey;
    if (expect_ == Expect::kCommaOrClose) {
      comma_pending_ = true;  // btminer 2023-01-06: "Normal""temp0": lost its comma
      as_key = top()->object;
    } else if (expect_ == Expect::kColon) {
      return fail("expected ':' after a key");
    }
    flush_comma();
    const std::size_t out_start = out_.size();
    const std::size_t in_start = pos_ + 1;
    if (!copy_string()) return;
    if (as_key) {
      expect_ = Expect::kColon;
      return;
    }
    if (is_non_finite_word(in_.substr(in_start, pos_ - 1 - in_start))) {
      out_.resize(out_start);
      out_ += "null";  // Avalon "inf"/"nan": not measured, so null (never an invented 0)
    } else if (top() != nullptr && !top()->object && out_start == top()->open_pos + 1) {
      first_string_end_ = out_.size();
    }
    value_done();
  }

  /// Copies the string literal at pos_ to the output, repairing its inside. False when the
  /// input ends inside it (then truncated_ is set and pos_ is at the end).
  bool copy_string() {
    out_ += '"';
    ++pos_;
    while (pos_ < in_.size()) {
      const char c = in_[pos_];
      const auto u = static_cast<unsigned char>(c);
      if (c == '"') {
        out_ += '"';
        ++pos_;
        return true;
      } else if (c == '\\') {
        if (!copy_escape()) break;
      } else if (c == '\n' || c == '\r') {
        ++pos_;  // btminer: raw newlines inside values (pyasic drops them too)
      } else if (u < 0x20) {
        static constexpr char kHex[] = "0123456789abcdef";
        out_ += c == '\t' ? std::string("\\t") : std::string("\\u00") + kHex[u >> 4] + kHex[u & 15];
        ++pos_;
      } else if (u < 0x80) {
        out_ += c;
        ++pos_;
      } else {
        const std::size_t n = utf8_length(in_, pos_);
        if (n == std::string_view::npos) break;
        if (n == 0) {
          out_ += "\\ufffd";  // not UTF-8 (Latin-1 degree signs and the like)
          ++pos_;
        } else {
          out_.append(in_.substr(pos_, n));
          pos_ += n;
        }
      }
    }
    truncated_ = true;
    pos_ = in_.size();
    return false;
  }

  /// Copies one escape at pos_ (a backslash). False when the input ends inside it.
  bool copy_escape() {
    if (pos_ + 1 >= in_.size()) return false;
    const char e = in_[pos_ + 1];
    if (e == 'u') {
      if (pos_ + 6 > in_.size()) return false;
      const std::string_view hex = in_.substr(pos_ + 2, 4);
      for (char h : hex)
        if (!is_hex(h)) return lone_backslash();
      const unsigned v = hex4(hex);
      if (v >= 0xD800 && v <= 0xDBFF) {
        const bool pair = pos_ + 12 <= in_.size() && in_[pos_ + 6] == '\\' &&
                          in_[pos_ + 7] == 'u' && is_hex(in_[pos_ + 8]) && is_hex(in_[pos_ + 9]) &&
                          is_hex(in_[pos_ + 10]) && is_hex(in_[pos_ + 11]) &&
                          hex4(in_.substr(pos_ + 8, 4)) >= 0xDC00 &&
                          hex4(in_.substr(pos_ + 8, 4)) <= 0xDFFF;
        if (pair) {
          out_.append(in_.substr(pos_, 12));
          pos_ += 12;
          return true;
        }
      }
      if (v >= 0xD800 && v <= 0xDFFF) {
        out_ += "\\ufffd";  // an unpaired surrogate
      } else {
        out_.append(in_.substr(pos_, 6));
      }
      pos_ += 6;
      return true;
    }
    static constexpr std::string_view kSimple = "\"\\/bfnrt";
    if (kSimple.find(e) == std::string_view::npos) return lone_backslash();
    out_.append(in_.substr(pos_, 2));
    pos_ += 2;
    return true;
  }

  bool lone_backslash() {
    out_ += "\\\\";  // an invalid escape: keep the backslash as a character
    ++pos_;
    return true;
  }

  void bare_token() {
    const std::size_t start = pos_;
    while (pos_ < in_.size() && is_word_char(in_[pos_])) ++pos_;
    if (pos_ == start) return fail("unexpected '" + printable_prefix(in_.substr(pos_, 1)) + "'");
    if (pos_ == in_.size()) {  // it may have been cut short
      truncated_ = true;
      return;
    }
    const std::string_view word = in_.substr(start, pos_ - start);
    const std::size_t end = pos_;
    pos_ = start;  // for the offset of a failure below
    if (!begin_value()) return;
    if (word == "true" || word == "false" || word == "null" ||
        (is_json_number(word) && !overflows_double(word))) {
      out_.append(word);
    } else if (is_non_finite_word(word) || is_json_number(word)) {  // inf, nan, 1e999
      out_ += "null";
    } else {
      return fail("unreadable value '" + printable_prefix(word, 24) + "'");
    }
    pos_ = end;
    value_done();
  }

  RepairOutcome finish() {
    RepairOutcome r;
    if (failed_) {
      r.problem = std::move(problem_);
      r.offset = offset_;
      return r;
    }
    if (expect_ != Expect::kDone) {
      if (stack_.empty()) {
        r.problem = out_.empty() && !truncated_ ? "no JSON value" : "incomplete value";
        r.offset = in_.size();
        return r;
      }
      // Cut back to the last complete member and close what is still open.
      out_.resize(safe_len_);
      stack_.resize(safe_depth_);
      for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) out_ += it->object ? '}' : ']';
      r.truncated = true;
    }
    r.ok = true;
    r.text = std::move(out_);
    return r;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  std::string out_;
  std::vector<Frame> stack_;
  Expect expect_ = Expect::kValue;
  bool comma_pending_ = false;
  bool truncated_ = false;
  bool failed_ = false;
  std::string problem_;
  std::size_t offset_ = 0;
  std::size_t safe_len_ = 0;
  std::size_t safe_depth_ = 0;
  std::size_t first_string_end_ = std::string::npos;  // output end of an array's first string
};

}  // namespace

RepairOutcome repair_json_text(std::string_view in) { return Repairer(in).run(); }

}  // namespace rigkeeper::drivers::detail
