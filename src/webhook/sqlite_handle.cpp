#include "webhook/sqlite_handle.hpp"

#include <sqlite3.h>

#include "core/error.hpp"

namespace wc::webhook {

SqliteDb::SqliteDb(const std::string &path, int flags) : path_(path) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(FailureType::kConfig,
                "Cannot open the webhook journal '" + path + "': " + msg + ".");
  }
  sqlite3_busy_timeout(db_, 10000);
  sqlite3_extended_result_codes(db_, 1);
}

SqliteDb::~SqliteDb() { sqlite3_close_v2(db_); }

void SqliteDb::exec(std::string_view sql) {
  std::string text(sql);
  char *err = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : "unknown error";
    sqlite3_free(err);
    throw system_error("Webhook journal '" + path_ + "': " + msg + " (in: " + text + ")");
  }
}

std::int64_t SqliteDb::changes() const { return sqlite3_changes(db_); }
std::int64_t SqliteDb::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

void SqliteDb::fail(std::string_view what) const {
  throw system_error("Webhook journal '" + path_ + "': " + std::string(what) + ": " +
                     sqlite3_errmsg(db_));
}

SqliteStmt::SqliteStmt(SqliteDb &db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
      SQLITE_OK) {
    db.fail("prepare");
  }
}

SqliteStmt::~SqliteStmt() { sqlite3_finalize(stmt_); }

void SqliteStmt::bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
void SqliteStmt::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}
void SqliteStmt::bind_text_or_null(int index, std::string_view text) {
  if (text.empty()) {
    bind_null(index);
  } else {
    bind(index, text);
  }
}
void SqliteStmt::bind_null(int index) { sqlite3_bind_null(stmt_, index); }

bool SqliteStmt::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  db_.fail("step");
}

void SqliteStmt::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t SqliteStmt::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }
std::string SqliteStmt::column_text(int index) const {
  const auto *p = sqlite3_column_text(stmt_, index);
  if (p == nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char *>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index)));
}
bool SqliteStmt::column_is_null(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

} // namespace wc::webhook
