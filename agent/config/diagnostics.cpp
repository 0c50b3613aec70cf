#include "agent/config/diagnostics.h"

#include <algorithm>
#include <tuple>

namespace rigkeeper::agent::config {
namespace {

// A hostile file could produce one problem per line; the report stays readable and bounded.
constexpr std::size_t kMaxReported = 200;

}  // namespace

std::string Location::str() const {
  if (line == 0) return origin;
  return origin + ":" + std::to_string(line) + ":" + std::to_string(column);
}

void Diagnostics::add(Location where, std::string key, std::string problem) {
  items_.push_back(Diagnostic{std::move(where), std::move(key), std::move(problem)});
}

std::string Diagnostics::joined() const {
  std::vector<const Diagnostic*> sorted;
  sorted.reserve(items_.size());
  for (const auto& d : items_) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic* a, const Diagnostic* b) {
    return std::tie(a->where.order, a->where.line, a->where.column) <
           std::tie(b->where.order, b->where.line, b->where.column);
  });
  std::string out;
  std::size_t shown = 0;
  for (const auto* d : sorted) {
    if (shown == kMaxReported) {
      out += "... and " + std::to_string(sorted.size() - shown) + " more problems\n";
      break;
    }
    out += d->where.str() + ": ";
    if (!d->key.empty()) out += d->key + ": ";
    out += d->problem + "\n";
    ++shown;
  }
  if (!out.empty()) out.pop_back();
  return out;
}

}  // namespace rigkeeper::agent::config
