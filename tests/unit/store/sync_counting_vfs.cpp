#include "tests/unit/store/sync_counting_vfs.h"

#include <sqlite3.h>

#include <atomic>
#include <mutex>

namespace rigkeeper::test {
namespace {

struct ShimFile {
  sqlite3_file base;
  sqlite3_file* real;
  int kind;  // 0 other, 1 main db, 2 wal
};

sqlite3_vfs g_shim;
sqlite3_vfs* g_real = nullptr;
sqlite3_io_methods g_methods;
std::atomic<int64_t> g_main_syncs{0};
std::atomic<int64_t> g_wal_syncs{0};

sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<ShimFile*>(f)->real; }

int x_close(sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); }
int x_read(sqlite3_file* f, void* b, int n, sqlite3_int64 o) {
  return real(f)->pMethods->xRead(real(f), b, n, o);
}
int x_write(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
  return real(f)->pMethods->xWrite(real(f), b, n, o);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 n) {
  return real(f)->pMethods->xTruncate(real(f), n);
}
int x_sync(sqlite3_file* f, int flags) {
  const int kind = reinterpret_cast<ShimFile*>(f)->kind;
  if (kind == 1) ++g_main_syncs;
  if (kind == 2) ++g_wal_syncs;
  return real(f)->pMethods->xSync(real(f), flags);
}
int x_file_size(sqlite3_file* f, sqlite3_int64* n) {
  return real(f)->pMethods->xFileSize(real(f), n);
}
int x_lock(sqlite3_file* f, int l) { return real(f)->pMethods->xLock(real(f), l); }
int x_unlock(sqlite3_file* f, int l) { return real(f)->pMethods->xUnlock(real(f), l); }
int x_check_reserved(sqlite3_file* f, int* out) {
  return real(f)->pMethods->xCheckReservedLock(real(f), out);
}
int x_file_control(sqlite3_file* f, int op, void* arg) {
  return real(f)->pMethods->xFileControl(real(f), op, arg);
}
int x_sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
int x_device_characteristics(sqlite3_file* f) {
  return real(f)->pMethods->xDeviceCharacteristics(real(f));
}
int x_shm_map(sqlite3_file* f, int pg, int sz, int extend, void volatile** p) {
  return real(f)->pMethods->xShmMap(real(f), pg, sz, extend, p);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) {
  return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
}
void x_shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
int x_shm_unmap(sqlite3_file* f, int del) { return real(f)->pMethods->xShmUnmap(real(f), del); }
int x_fetch(sqlite3_file* f, sqlite3_int64 o, int n, void** p) {
  return real(f)->pMethods->xFetch(real(f), o, n, p);
}
int x_unfetch(sqlite3_file* f, sqlite3_int64 o, void* p) {
  return real(f)->pMethods->xUnfetch(real(f), o, p);
}

int x_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* shim = reinterpret_cast<ShimFile*>(f);
  shim->real = reinterpret_cast<sqlite3_file*>(shim + 1);
  shim->kind = (flags & SQLITE_OPEN_MAIN_DB) ? 1 : (flags & SQLITE_OPEN_WAL) ? 2 : 0;
  const int rc = g_real->xOpen(g_real, name, shim->real, flags, out_flags);
  // SQLite calls xClose whenever pMethods is set, even after a failed open.
  shim->base.pMethods = shim->real->pMethods != nullptr ? &g_methods : nullptr;
  return rc;
}

}  // namespace

void SyncCountingVfs::install() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_real = sqlite3_vfs_find(nullptr);
    g_shim = *g_real;
    g_shim.zName = "rk-sync-counting";
    g_shim.szOsFile = static_cast<int>(sizeof(ShimFile)) + g_real->szOsFile;
    g_shim.xOpen = x_open;
    g_shim.pNext = nullptr;
    g_methods = sqlite3_io_methods{3,
                                   x_close,
                                   x_read,
                                   x_write,
                                   x_truncate,
                                   x_sync,
                                   x_file_size,
                                   x_lock,
                                   x_unlock,
                                   x_check_reserved,
                                   x_file_control,
                                   x_sector_size,
                                   x_device_characteristics,
                                   x_shm_map,
                                   x_shm_lock,
                                   x_shm_barrier,
                                   x_shm_unmap,
                                   x_fetch,
                                   x_unfetch};
    sqlite3_vfs_register(&g_shim, 1);
  });
}

SyncCounts SyncCountingVfs::counts() { return SyncCounts{g_main_syncs.load(), g_wal_syncs.load()}; }

void SyncCountingVfs::reset() {
  g_main_syncs = 0;
  g_wal_syncs = 0;
}

}  // namespace rigkeeper::test
