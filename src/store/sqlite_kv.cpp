// Schema and statements of the SQLite store.
//
// history: one row per change (append-only, tombstones included), id ordered like revisions.
// latest:  the live version of every key, changed in the same transaction as history, so
//          reads at the current revision never search history (kine's MAX(id) GROUP BY scan).
// leases:  granted leases. meta: revision, compact revision, compaction progress.
#include "sqlite_kv.h"

#include "skiff/store/errors.h"

namespace skiff::store::sql {
namespace {

// 2: `latest` indexes the live version of each key without a copy of its value (which stays
// in `history` alone), so the file holds the live data once.
constexpr std::int64_t kSchemaVersion = 2;

constexpr const char* kSchema = R"(
CREATE TABLE meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    rev INTEGER NOT NULL,
    key BLOB NOT NULL,
    value BLOB NOT NULL,
    create_rev INTEGER NOT NULL,
    version INTEGER NOT NULL,
    lease INTEGER NOT NULL,
    deleted INTEGER NOT NULL,
    prev_rev INTEGER NOT NULL);
CREATE UNIQUE INDEX history_key ON history (key, rev);
CREATE INDEX history_rev ON history (rev);
CREATE TABLE latest (
    key BLOB PRIMARY KEY,
    create_rev INTEGER NOT NULL,
    rev INTEGER NOT NULL,
    version INTEGER NOT NULL,
    lease INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX latest_lease ON latest (lease) WHERE lease != 0;
CREATE TABLE leases (id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL);
INSERT INTO meta VALUES ('revision', 1), ('compact_revision', 0), ('compact_progress', 0);
)";

// Schema 1 kept each live value twice (in `latest` too).
constexpr const char* kMigrateFrom1 = R"(
CREATE TABLE latest2 (
    key BLOB PRIMARY KEY,
    create_rev INTEGER NOT NULL,
    rev INTEGER NOT NULL,
    version INTEGER NOT NULL,
    lease INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO latest2 SELECT key, create_rev, rev, version, lease FROM latest;
DROP TABLE latest;
ALTER TABLE latest2 RENAME TO latest;
CREATE INDEX latest_lease ON latest (lease) WHERE lease != 0;
)";

// The live rows of `latest` with their values, as range() and get() read them.
constexpr const char* kLatestColumns =
    "SELECT l.key, h.value, l.create_rev, l.rev, l.version, l.lease";
constexpr const char* kLatestJoin =
    " FROM latest l JOIN history h INDEXED BY history_key ON h.key = l.key AND h.rev = l.rev";

// Columns key, value, create_rev, rev, version, lease from `q` starting at `first`.
KeyValue read_kv(const Query& q, int first) {
    return KeyValue{.key = q.blob(first),
                    .value = q.blob(first + 1),
                    .create_revision = q.integer(first + 2),
                    .mod_revision = q.integer(first + 3),
                    .version = q.integer(first + 4),
                    .lease = q.integer(first + 5)};
}

// Binds ?1 (begin) and, for a bounded interval, ?2 (end).
void bind_interval(Query& q, const KeyInterval& keys) {
    q.bind_blob(1, keys.begin);
    if (keys.end) {
        q.bind_blob(2, *keys.end);
    }
}

std::string key_condition(const KeyInterval& keys, const char* column) {
    std::string c = std::string(column) + " >= ?1";
    if (keys.end) {
        c += std::string(" AND ") + column + " < ?2";
    }
    return c;
}

// The matches of a range as SQL: from latest, or from history at revision ?4.
std::string range_from(const KeyInterval& keys, bool at_history) {
    if (!at_history) {
        return std::string(kLatestJoin) + " WHERE " + key_condition(keys, "l.key");
    }
    return " FROM history h WHERE " + key_condition(keys, "h.key") +
           " AND h.rev <= ?4 AND h.deleted = 0 AND NOT EXISTS (SELECT 1 FROM history n"
           " WHERE n.key = h.key AND n.rev > h.rev AND n.rev <= ?4)";
}

}  // namespace

void prepare_schema(Db& db, const std::string& path) {
    const auto version = db.scalar("PRAGMA user_version");
    if (version == kSchemaVersion) {
        return;
    }
    if (version == 1) {
        db.exec("BEGIN IMMEDIATE");
        db.exec(kMigrateFrom1);
        db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
        db.exec("COMMIT");
        return;
    }
    if (version != 0 || db.scalar("SELECT COUNT(*) FROM sqlite_schema") != 0) {
        throw SqliteError(path + " is not a skiff store (schema version " +
                          std::to_string(version) + ")");
    }
    // auto_vacuum must be chosen before the first table exists.
    db.exec("PRAGMA auto_vacuum = INCREMENTAL");
    db.exec("BEGIN IMMEDIATE");
    db.exec(kSchema);
    db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    db.exec("COMMIT");
}

Meta load_meta(Db& db) {
    Meta m;
    auto q = db.query("SELECT name, value FROM meta");
    while (q.step()) {
        const auto name = q.blob(0);
        if (name == "revision") {
            m.revision = q.integer(1);
        } else if (name == "compact_revision") {
            m.compact_revision = q.integer(1);
        } else if (name == "compact_progress") {
            m.compact_progress = q.integer(1);
        }
    }
    return m;
}

void save_meta(Db& db, const char* name, std::int64_t value) {
    auto q = db.query("UPDATE meta SET value = ?2 WHERE name = ?1");
    q.bind_text(1, name).bind(2, value).run();
}

RangeResponse range(Db& db, const RangeRequest& request, std::int64_t current) {
    const auto keys = KeyInterval::of(request.key, request.range_end);
    RangeResponse resp;
    resp.revision = current;
    if (keys.empty()) {
        return resp;
    }
    const bool at_history = request.revision > 0 && request.revision < current;
    const auto from = range_from(keys, at_history);
    auto bind = [&](Query& q) {
        bind_interval(q, keys);
        if (at_history) {
            q.bind(4, request.revision);
        }
    };
    auto count = [&] {
        // The current count needs no values: latest alone.
        auto q = db.query("SELECT COUNT(*)" +
                          (at_history ? from : " FROM latest l WHERE " + key_condition(keys, "l.key")));
        bind(q);
        return q.step() ? q.integer(0) : 0;
    };
    if (request.count_only) {
        resp.count = count();
        return resp;
    }
    const std::string columns =
        at_history ? "SELECT h.key, h.value, h.create_rev, h.rev, h.version, h.lease"
                   : kLatestColumns;
    {
        auto q = db.query(columns + from + (at_history ? " ORDER BY h.key" : " ORDER BY l.key") +
                          " LIMIT ?3");
        bind(q);
        // One row more than the limit tells whether there are more.
        q.bind(3, request.limit > 0 ? request.limit + 1 : -1);
        while (q.step()) {
            resp.kvs.push_back(read_kv(q, 0));
            if (request.keys_only) {
                resp.kvs.back().value.clear();
            }
        }
    }
    if (request.limit > 0 && static_cast<std::int64_t>(resp.kvs.size()) > request.limit) {
        resp.kvs.pop_back();
        resp.more = true;
        resp.count = count();
    } else {
        resp.count = static_cast<std::int64_t>(resp.kvs.size());
    }
    return resp;
}

std::vector<Event> history(Db& db, std::int64_t from, std::int64_t upto, const KeyInterval& keys) {
    std::vector<Event> events;
    // The rev index drives the scan: a replay reads a window of revisions, whatever the keys.
    auto q = db.query(
        "SELECT h.key, h.value, h.create_rev, h.rev, h.version, h.lease, h.deleted,"
        " p.key, p.value, p.create_rev, p.rev, p.version, p.lease, p.deleted"
        " FROM history h INDEXED BY history_rev"
        " LEFT JOIN history p ON p.key = h.key AND p.rev = h.prev_rev"
        " WHERE h.rev >= ?3 AND h.rev <= ?4 AND " +
        key_condition(keys, "h.key") + " ORDER BY h.rev, h.id");
    bind_interval(q, keys);
    q.bind(3, from).bind(4, upto);
    while (q.step()) {
        Event e;
        e.kv = read_kv(q, 0);
        if (q.integer(6) != 0) {
            e.type = Event::Type::Delete;
        }
        if (!q.is_null(7) && q.integer(13) == 0) {
            e.prev_kv = read_kv(q, 7);
        }
        events.push_back(std::move(e));
    }
    return events;
}

std::vector<std::string> keys_with_lease(Db& db, std::int64_t lease) {
    std::vector<std::string> keys;
    auto q = db.query("SELECT key FROM latest WHERE lease = ?1 AND lease != 0 ORDER BY key");
    q.bind(1, lease);
    while (q.step()) {
        keys.push_back(q.blob(0));
    }
    return keys;
}

std::vector<std::pair<std::int64_t, std::int64_t>> load_leases(Db& db) {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    auto q = db.query("SELECT id, ttl FROM leases");
    while (q.step()) {
        out.emplace_back(q.integer(0), q.integer(1));
    }
    return out;
}

std::optional<KeyValue> SqlKvState::get(const std::string& key) {
    auto q = db_.query(std::string(kLatestColumns) + kLatestJoin + " WHERE l.key = ?1");
    q.bind_blob(1, key);
    if (!q.step()) {
        return std::nullopt;
    }
    return read_kv(q, 0);
}

RangeResponse SqlKvState::range(const RangeRequest& request, std::int64_t current) {
    return sql::range(db_, request, current);
}

bool SqlKvState::lease_exists(std::int64_t lease) {
    auto q = db_.query("SELECT 1 FROM leases WHERE id = ?1");
    q.bind(1, lease);
    return q.step();
}

std::vector<std::string> SqlKvState::keys_with_lease(std::int64_t lease) {
    return sql::keys_with_lease(db_, lease);
}

void SqlKvState::write(const Event& event) {
    const auto& kv = event.kv;
    const bool deleted = event.type == Event::Type::Delete;
    {
        auto q = db_.query(
            "INSERT INTO history (rev, key, value, create_rev, version, lease, deleted, prev_rev)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        q.bind(1, kv.mod_revision).bind_blob(2, kv.key).bind_blob(3, kv.value);
        q.bind(4, kv.create_revision).bind(5, kv.version).bind(6, kv.lease);
        q.bind(7, deleted ? 1 : 0).bind(8, event.prev_kv ? event.prev_kv->mod_revision : 0);
        q.run();
    }
    if (deleted) {
        auto q = db_.query("DELETE FROM latest WHERE key = ?1");
        q.bind_blob(1, kv.key).run();
        return;
    }
    auto q = db_.query(
        "INSERT OR REPLACE INTO latest (key, create_rev, rev, version, lease)"
        " VALUES (?1, ?2, ?3, ?4, ?5)");
    q.bind_blob(1, kv.key).bind(2, kv.create_revision);
    q.bind(3, kv.mod_revision).bind(4, kv.version).bind(5, kv.lease);
    q.run();
}

std::int64_t compaction_end(Db& db, std::int64_t revision) {
    auto q = db.query("SELECT id FROM history WHERE rev < ?1 ORDER BY rev DESC, id DESC LIMIT 1");
    q.bind(1, revision);
    return q.step() ? q.integer(0) : 0;
}

std::int64_t compact_some(Db& db, std::int64_t revision, std::int64_t progress, std::int64_t end,
                          std::int64_t budget, std::chrono::steady_clock::time_point deadline) {
    // Below `revision` a row is dropped when it is a tombstone or a newer version at or below
    // `revision` supersedes it; what a read at `revision` or later needs stays.
    constexpr std::int64_t kWindow = 256;
    const std::int64_t stop = std::min(end, progress + budget);
    while (progress < stop && std::chrono::steady_clock::now() < deadline) {
        const std::int64_t hi = std::min(stop, progress + kWindow);
        auto q = db.query(
            "DELETE FROM history WHERE id > ?1 AND id <= ?2 AND rev < ?3 AND (deleted = 1 OR"
            " EXISTS (SELECT 1 FROM history n WHERE n.key = history.key AND n.rev > history.rev"
            " AND n.rev <= ?3))");
        q.bind(1, progress).bind(2, hi).bind(3, revision).run();
        progress = hi;
    }
    return progress;
}

}  // namespace skiff::store::sql
