// Db and Query over the SQLite C API.
#include "sqlite_db.h"

#include <sqlite3.h>

namespace skiff::store {

Db::Db(const std::string& path, bool create) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw SqliteError("opening " + path + ": " + message);
    }
    sqlite3_extended_result_codes(db_, 1);
}

Db::~Db() {
    for (auto& [sql, stmt] : statements_) {
        (void)sql;
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db_);
}

void Db::fail(std::string_view what) const {
    throw SqliteError(std::string(what) + ": " + sqlite3_errmsg(db_));
}

void Db::exec(std::string_view sql) {
    std::string text(sql);
    char* error = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        throw SqliteError("running \"" + text + "\": " + message);
    }
}

Query Db::query(const std::string& sql) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                               SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
            fail("preparing \"" + sql + "\"");
        }
        it = statements_.emplace(sql, stmt).first;
    }
    return Query(*this, it->second);
}

std::int64_t Db::scalar(const std::string& sql) {
    auto q = query(sql);
    return q.step() ? q.integer(0) : 0;
}

std::int64_t Db::changes() const {
    return sqlite3_changes64(db_);
}

Query::~Query() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

Query& Query::bind(int index, std::int64_t value) {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) {
        db_.fail("binding an integer");
    }
    return *this;
}

Query& Query::bind_blob(int index, std::string_view value) {
    // A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
    static const char kEmpty = 0;
    const char* data = value.empty() ? &kEmpty : value.data();
    if (sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT) != SQLITE_OK) {
        db_.fail("binding a blob");
    }
    return *this;
}

Query& Query::bind_text(int index, std::string_view value) {
    if (sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                            SQLITE_UTF8) != SQLITE_OK) {
        db_.fail("binding text");
    }
    return *this;
}

bool Query::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    db_.fail(std::string("running \"") + sqlite3_sql(stmt_) + "\"");
}

void Query::run() {
    while (step()) {
    }
}

std::int64_t Query::integer(int column) const {
    return sqlite3_column_int64(stmt_, column);
}

std::string Query::blob(int column) const {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
    const int size = sqlite3_column_bytes(stmt_, column);
    return data ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

bool Query::is_null(int column) const {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

}  // namespace skiff::store
