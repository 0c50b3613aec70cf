#include "agent/mqtt/backoff.h"

#include <algorithm>

namespace rigkeeper::agent {

Backoff::Backoff(Duration min, Duration max, uint64_t seed)
    : min_(std::max(min, Duration(1))), max_(std::max(max, min_)), base_(min_), rng_(seed) {}

Backoff::Duration Backoff::next() {
  const Duration base = base_;
  // Doubling without overflow: stop at max.
  base_ = base_ >= max_ / 2 ? max_ : base_ * 2;
  std::uniform_int_distribution<int64_t> jitter(0, base.count() / 4);
  return std::max(min_, base - Duration(jitter(rng_)));
}

}  // namespace rigkeeper::agent
