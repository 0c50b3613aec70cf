#pragma once
/// The problems found while loading a configuration: every one is collected, then reported
/// together, sorted by file and position, one per line: `FILE:LINE:COL: key.path: problem`.
#include <cstdint>
#include <string>
#include <vector>

namespace rigkeeper::agent::config {

/// Where a value came from: a file (with position when known) or the command line.
struct Location {
  std::string origin;  ///< file name as given, or "command line"
  int order = 0;       ///< position of the origin in load order (main file 0, drop-ins, flags)
  uint32_t line = 0;   ///< 1-based; 0: the origin as a whole
  uint32_t column = 0;

  /// "file:3:7" or "file".
  std::string str() const;
};

struct Diagnostic {
  Location where;
  std::string key;  ///< "mqtt.broker", "devices[2].port", "--site"; empty for file problems
  std::string problem;
};

class Diagnostics {
 public:
  void add(Location where, std::string key, std::string problem);
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }

  /// Every problem, sorted by (origin order, line, column), stable, joined by newlines.
  std::string joined() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace rigkeeper::agent::config
