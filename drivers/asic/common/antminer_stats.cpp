#include "drivers/asic/common/antminer_stats.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "drivers/asic/common/hashrate.h"
#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/numbers.h"

namespace rigkeeper::drivers::asic {

namespace {

using nlohmann::json;

constexpr std::string_view kChainKeyPrefixes[] = {"chain_acn", "chain_rate", "chain_acs",
                                                  "chain_hw",  "temp_pcb",   "temp_chip"};
constexpr int kMaxFans = 16;

/// N when `key` is `prefix` followed by 1-2 digits naming a chain in range.
std::optional<int> chain_suffix(std::string_view key, std::string_view prefix) {
  if (!key.starts_with(prefix)) return std::nullopt;
  auto digits = key.substr(prefix.size());
  if (digits.empty() || digits.size() > 2) return std::nullopt;
  int n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return (n >= 1 && n <= kMaxChains) ? std::optional<int>(n) : std::nullopt;
}

bool is_chain_block(const json* e) {
  if (member(e, "fan_num")) return true;
  for (const auto& [key, value] : e->items())
    for (auto p : kChainKeyPrefixes)
      if (chain_suffix(key, p)) return true;
  return false;
}

ChainReading read_chain(const json* block, int n) {
  const auto num = std::to_string(n);
  ChainReading c;
  c.chain = n;
  c.rate_ths = rate_in_entry_unit(block, "chain_rate" + num);
  c.chips = int_at(block, "chain_acn" + num);
  if (auto acs = string_at(block, "chain_acs" + num))
    c.bad_chips = static_cast<int>(std::count(acs->begin(), acs->end(), 'x'));
  c.hw_errors = integer_at(block, "chain_hw" + num);
  if (const auto* pcb = member(block, "temp_pcb" + num))
    c.temp_board_c = hottest(dash_separated(*pcb));
  else
    c.temp_board_c = plausible_temp(number_at(block, "temp" + num));
  if (const auto* chip = member(block, "temp_chip" + num))
    c.temp_chip_c = hottest(dash_separated(*chip));
  else
    c.temp_chip_c = plausible_temp(number_at(block, "temp2_" + num));
  return c;
}

// fan1..fanK. When fan_num says fewer fans than sockets (S9: 2 fans among 8 sockets), the
// zero sockets are unpopulated and dropped; zeros that fan_num still counts are dead fans.
std::vector<double> read_fans(const json* block) {
  std::vector<std::optional<double>> raw;
  for (int i = 1; i <= kMaxFans; ++i) {
    auto v = number_at(block, "fan" + std::to_string(i));
    if (!v && !member(block, "fan" + std::to_string(i))) continue;
    raw.push_back(v && *v >= 0.0 ? v : std::nullopt);
  }
  std::vector<double> out;
  const auto fan_num = int_at(block, "fan_num");
  if (fan_num && *fan_num >= 0 && static_cast<size_t>(*fan_num) < raw.size()) {
    for (const auto& v : raw)
      if (v && *v > 0.0) out.push_back(*v);
    while (out.size() < static_cast<size_t>(*fan_num)) out.push_back(0.0);
    return out;
  }
  for (const auto& v : raw)
    if (v) out.push_back(*v);
  return out;
}

}  // namespace

bool ChainReading::populated() const {
  return (chips && *chips > 0) || (rate_ths && *rate_ths > 0.0) || temp_board_c || temp_chip_c;
}

std::optional<AntminerStats> read_antminer_stats(const json* stats_reply) {
  const json* block = nullptr;
  AntminerStats s;
  for (const json* e : entries(stats_reply, "STATS")) {
    if (!s.type) s.type = string_at(e, "Type");
    if (!block && is_chain_block(e)) block = e;
  }
  if (block == nullptr) return std::nullopt;
  s.elapsed_s = integer_at(block, "Elapsed");
  s.rate_ths = current_rate(block);
  s.rate_ideal_ths = rate_in_entry_unit(block, "total_rateideal");
  std::set<int> numbers;
  for (const auto& [key, value] : block->items())
    for (auto p : kChainKeyPrefixes)
      if (auto n = chain_suffix(key, p)) numbers.insert(*n);
  for (int n : numbers) s.chains.push_back(read_chain(block, n));
  s.fans_rpm = read_fans(block);
  return s;
}

std::vector<HashBoard> boards_from_chains(const std::vector<ChainReading>& chains,
                                          std::optional<int> expected_boards,
                                          std::optional<int> chips_expected,
                                          std::vector<std::string>& errors) {
  std::vector<int> populated;
  for (const auto& c : chains)
    if (c.populated()) populated.push_back(c.chain);
  const int wanted = std::clamp(expected_boards.value_or(0), 0, kMaxChains);
  int first = 1;
  if (!populated.empty() &&
      populated.front() > std::max(wanted, static_cast<int>(populated.size())))
    first = populated.front();  // offset numbering, e.g. chains 6..8
  int last = wanted > 0 ? first + wanted - 1 : first - 1;
  if (!populated.empty()) last = std::max(last, populated.back());

  std::vector<HashBoard> boards;
  for (int n = first; n <= last && n <= kMaxChains; ++n) {
    auto it =
        std::find_if(chains.begin(), chains.end(), [n](const auto& c) { return c.chain == n; });
    HashBoard b;
    b.index = n - first;
    b.chips_expected = chips_expected;
    if (it != chains.end()) {
      b.hashrate_ths = it->rate_ths;
      b.chips = it->chips;
      b.hw_errors = it->hw_errors;
      b.temp_board_c = it->temp_board_c;
      b.temp_chip_c = it->temp_chip_c;
      if (it->bad_chips > 0) {
        b.status = "fault";
        errors.push_back("board " + std::to_string(b.index) + ": " + std::to_string(it->bad_chips) +
                         " chips marked x");
      }
    }
    boards.push_back(std::move(b));
  }
  return boards;
}

}  // namespace rigkeeper::drivers::asic
