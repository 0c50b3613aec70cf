#pragma once
/// The store's schema as an ordered list of migrations, versioned with PRAGMA user_version.
/// A later feature adds a table by appending a migration (version N+1) to the list; a
/// migration is never edited once released. Internal to agent/store (and its tests).
#include <sqlite3.h>

#include <filesystem>
#include <span>

#include "drivers/api/result.h"

namespace rigkeeper::agent::schema {

/// One step of the schema: the SQL that takes the file from version-1 to version.
struct Migration {
  int version;
  const char* what;  ///< a few words for errors and docs
  const char* sql;
};

/// The migrations of this build, in order (versions 1, 2, ...).
std::span<const Migration> migrations();

/// The version this build writes (the last migration's).
int current_version();

/// The file's PRAGMA user_version.
Result<int> read_version(sqlite3* db, const std::filesystem::path& path);

/// Applies, in order, every migration newer than the file's version, each in its own
/// IMMEDIATE transaction that also sets user_version (so a failed step leaves the file at the
/// previous version). A file newer than the last migration is refused (a downgrade).
/// Returns the version the file is at afterwards.
Result<int> migrate(sqlite3* db, const std::filesystem::path& path,
                    std::span<const Migration> steps);

}  // namespace rigkeeper::agent::schema
