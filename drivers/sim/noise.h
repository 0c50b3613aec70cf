#pragma once
/// Deterministic pseudo-randomness for the simulator: everything a simulated device shows
/// (serials, models, noise on its readings, garbage bytes) derives from `--seed` through these
/// functions, so two runs with the same seed look the same.
///
/// Thread-safety: pure functions and a value-type generator; no shared state.
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace rigkeeper::drivers::sim {

/// SplitMix64 finaliser: a well-mixed 64-bit hash of one value.
constexpr uint64_t mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// Hash of several values in order (used as "noise key": seed, device, board, time bucket).
inline uint64_t hash_of(std::initializer_list<uint64_t> parts) {
  uint64_t h = 0x6a09e667f3bcc909ULL;
  for (uint64_t p : parts) h = mix64(h ^ p);
  return h;
}

/// FNV-1a of a string, to fold names into hash keys.
inline uint64_t hash_text(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

/// Uniform in [0, 1) from a hash.
inline double unit(uint64_t h) { return static_cast<double>(h >> 11) * 0x1.0p-53; }

/// Roughly normal (mean 0, sd ~1) from a hash: the sum of three uniforms, rescaled.
inline double gauss(uint64_t h) {
  const double s = unit(mix64(h)) + unit(mix64(h + 1)) + unit(mix64(h + 2));
  return (s - 1.5) * 2.0;
}

/// A small sequential generator (SplitMix64) for identities and garbage bytes.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return mix64(state_);
  }
  /// Uniform integer in [lo, hi].
  int64_t range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }
  double uniform(double lo, double hi) { return lo + (hi - lo) * unit(next()); }
  /// `n` characters drawn from `alphabet`.
  std::string text(std::string_view alphabet, int n) {
    std::string out;
    out.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) out.push_back(alphabet[next() % alphabet.size()]);
    return out;
  }

 private:
  uint64_t state_;
};

}  // namespace rigkeeper::drivers::sim
