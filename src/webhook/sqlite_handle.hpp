#pragma once
// Thin RAII wrappers over the SQLite C API for the journal: a connection and a prepared
// statement. Failures throw wc::Error(kSystem) naming what was being done.
#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace wc::webhook {

class SqliteDb {
public:
  // flags: SQLITE_OPEN_* (see sqlite3.h). Throws when the file cannot be opened.
  SqliteDb(const std::string &path, int flags);
  ~SqliteDb();
  SqliteDb(const SqliteDb &) = delete;
  SqliteDb &operator=(const SqliteDb &) = delete;

  void exec(std::string_view sql);
  sqlite3 *get() const { return db_; }
  std::int64_t changes() const;
  std::int64_t last_insert_rowid() const;
  [[noreturn]] void fail(std::string_view what) const;

private:
  sqlite3 *db_ = nullptr;
  std::string path_;
};

class SqliteStmt {
public:
  SqliteStmt(SqliteDb &db, std::string_view sql);
  ~SqliteStmt();
  SqliteStmt(const SqliteStmt &) = delete;
  SqliteStmt &operator=(const SqliteStmt &) = delete;

  void bind(int index, std::int64_t value);
  void bind(int index, std::string_view text); // empty text binds NULL when null_if_empty
  void bind_text_or_null(int index, std::string_view text);
  void bind_null(int index);
  // true while a row is available; false when done.
  bool step();
  void reset();
  std::int64_t column_int(int index) const;
  std::string column_text(int index) const;
  bool column_is_null(int index) const;

private:
  SqliteDb &db_;
  sqlite3_stmt *stmt_ = nullptr;
};

} // namespace wc::webhook
