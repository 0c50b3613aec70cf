#pragma once
/// Reconnect delays: exponential from `min` to `max`, with jitter so that a site full of rack
/// controllers does not reconnect in lock-step after a broker restart.
#include <chrono>
#include <cstdint>
#include <random>

namespace rigkeeper::agent {

class Backoff {
 public:
  using Duration = std::chrono::milliseconds;

  /// `min` is clamped to at least 1 ms and `max` to at least `min`.
  Backoff(Duration min, Duration max, uint64_t seed = std::random_device{}());

  /// The delay before the next attempt: the base delay (min, 2*min, 4*min, ... capped at max)
  /// less up to a quarter of it at random, never below min. Doubles the base for next time.
  Duration next();
  /// After a successful connect: the next failure starts again from `min`.
  void reset() { base_ = min_; }

  Duration min() const { return min_; }
  Duration max() const { return max_; }

 private:
  Duration min_;
  Duration max_;
  Duration base_;
  std::mt19937_64 rng_;
};

}  // namespace rigkeeper::agent
