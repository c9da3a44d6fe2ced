// Db and Query: a thin RAII layer over one SQLite connection with cached prepared statements.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace skiff::store {

/// Any SQLite failure; the committer and readers turn it into InternalError.
class SqliteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Query;

/// One connection, used by one thread at a time.
class Db {
public:
    /// Opens (creating when `create`) the database at `path`. Throws SqliteError.
    Db(const std::string& path, bool create);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    /// Runs statements without results.
    void exec(std::string_view sql);
    /// The cached statement for `sql`, reset when the returned Query ends.
    Query query(const std::string& sql);
    /// The first column of the first row of `sql` as an integer (0 when there is no row).
    std::int64_t scalar(const std::string& sql);
    /// Rows changed by the last statement.
    std::int64_t changes() const;

private:
    friend class Query;
    [[noreturn]] void fail(std::string_view what) const;
    sqlite3* db_ = nullptr;
    std::map<std::string, sqlite3_stmt*, std::less<>> statements_;
};

/// A statement being bound and stepped. Parameters and columns count from 1 and 0, as in SQLite.
class Query {
public:
    Query(Db& db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    ~Query();
    Query(const Query&) = delete;
    Query& operator=(const Query&) = delete;

    Query& bind(int index, std::int64_t value);
    /// Keys and values are BLOBs so that they compare bytewise, as etcd orders keys.
    Query& bind_blob(int index, std::string_view value);
    Query& bind_text(int index, std::string_view value);

    /// Advances to the next row; false when done. Throws SqliteError.
    bool step();
    /// step() for statements without rows.
    void run();

    std::int64_t integer(int column) const;
    std::string blob(int column) const;
    bool is_null(int column) const;

private:
    Db& db_;
    sqlite3_stmt* stmt_;
};

}  // namespace skiff::store
