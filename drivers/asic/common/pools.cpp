#include "drivers/asic/common/pools.h"

#include <algorithm>
#include <cctype>
#include <climits>

#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/numbers.h"

namespace rigkeeper::drivers::asic {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Lower sorts first: priority, then index.
bool before(const PoolReading& a, const PoolReading& b) {
  const int pa = a.priority.value_or(INT_MAX);
  const int pb = b.priority.value_or(INT_MAX);
  return pa != pb ? pa < pb : a.index < b.index;
}

const PoolReading* best_of(const std::vector<PoolReading>& pools,
                           bool (*keep)(const PoolReading&)) {
  const PoolReading* best = nullptr;
  for (const auto& p : pools)
    if (keep(p) && (best == nullptr || before(p, *best))) best = &p;
  return best;
}

}  // namespace

std::vector<PoolReading> read_pools(const nlohmann::json* pools_reply) {
  std::vector<PoolReading> out;
  int position = 0;
  for (const auto* e : entries(pools_reply, "POOLS")) {
    PoolReading p;
    p.index = int_at(e, "POOL").value_or(position);
    ++position;
    auto url = string_at(e, "URL");
    if (!url || url->empty()) continue;
    p.url = *url;
    p.user = string_at(e, "User").value_or("");
    p.status = lower(string_at(e, "Status").value_or(""));
    p.priority = int_at(e, "Priority");
    p.stratum_active = flag_at(e, "Stratum Active").value_or(false);
    out.push_back(std::move(p));
  }
  return out;
}

std::optional<PoolInfo> active_pool(const std::vector<PoolReading>& pools) {
  const PoolReading* p = best_of(pools, [](const PoolReading& r) { return r.stratum_active; });
  if (p == nullptr) p = best_of(pools, [](const PoolReading& r) { return r.status == "alive"; });
  if (p == nullptr) p = best_of(pools, [](const PoolReading&) { return true; });
  if (p == nullptr) return std::nullopt;
  return PoolInfo{p->url, p->user, p->status};
}

void pool_errors(const std::vector<PoolReading>& pools, std::vector<std::string>& errors) {
  if (pools.empty()) {
    errors.emplace_back("no pool configured");
    return;
  }
  bool any_alive = false;
  for (const auto& p : pools) {
    if (p.status == "alive") any_alive = true;
    if (p.status == "dead") errors.push_back("pool " + std::to_string(p.index) + " dead: " + p.url);
  }
  if (!any_alive) errors.emplace_back("no pool alive");
}

void apply_pools(const nlohmann::json* pools_reply, DeviceSnapshot& snap) {
  if (pools_reply == nullptr) return;
  const auto pools = read_pools(pools_reply);
  snap.pool = active_pool(pools);
  pool_errors(pools, snap.errors);
}

}  // namespace rigkeeper::drivers::asic
