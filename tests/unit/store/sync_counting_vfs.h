#pragma once
/// A SQLite VFS for tests that wraps the default one and counts fsyncs (xSync) per kind of
/// file, so a test can tell a synchronous=FULL commit from a NORMAL one. install() makes it
/// the default VFS of the process (idempotent).
#include <cstdint>

namespace rigkeeper::test {

struct SyncCounts {
  int64_t main_db = 0;  ///< syncs of database files
  int64_t wal = 0;      ///< syncs of -wal files
};

class SyncCountingVfs {
 public:
  static void install();
  static SyncCounts counts();
  static void reset();
};

}  // namespace rigkeeper::test
