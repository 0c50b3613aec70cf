#include "drivers/asic/common/slow_replies.h"

#include "drivers/api/json_reader.h"

namespace rigkeeper::drivers::asic {

const SlowReplies::Entry* SlowReplies::find(std::string_view key) const {
  for (const auto& e : entries_) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

bool SlowReplies::due(std::string_view key, Clock::time_point now) const {
  const Entry* e = find(key);
  return e == nullptr || now - e->at >= period_ || now < e->at;
}

void SlowReplies::store(std::string_view key, const nlohmann::json& reply, Clock::time_point now) {
  std::string text = reply.dump();
  for (auto& e : entries_) {
    if (e.key == key) {
      e.text = std::move(text);
      e.at = now;
      return;
    }
  }
  entries_.push_back(Entry{std::string(key), std::move(text), now});
}

void SlowReplies::saw_uptime(std::optional<int64_t> uptime_s) {
  if (uptime_s && last_uptime_s_ && *uptime_s < *last_uptime_s_) forget();
  last_uptime_s_ = uptime_s;
}

std::optional<nlohmann::json> SlowReplies::cached(std::string_view key) const {
  const Entry* e = find(key);
  if (e == nullptr) return std::nullopt;
  auto j = read_json(e->text);
  if (j.is_discarded()) return std::nullopt;  // cannot happen: the text is our own dump()
  return j;
}

}  // namespace rigkeeper::drivers::asic
