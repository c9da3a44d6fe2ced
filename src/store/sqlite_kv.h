// The SQL form of the data model: schema, reads at a revision, history pages, and the KvState
// the committer applies txns to.
#pragma once

#include "key_interval.h"
#include "mvcc.h"
#include "sqlite_db.h"
#include "watch_hub.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace skiff::store::sql {

/// Creates the schema in a new database, or checks that an existing one is ours. Throws.
void prepare_schema(Db& db, const std::string& path);

struct Meta {
    std::int64_t revision = 1;
    std::int64_t compact_revision = 0;
    std::int64_t compact_progress = 0;  // history ids up to this one are compacted
};
Meta load_meta(Db& db);
void save_meta(Db& db, const char* name, std::int64_t value);

/// A range against a connection whose state is at revision `current`: the latest table when
/// the request is at `current`, the history table below it. Revision checks are the caller's.
RangeResponse range(Db& db, const RangeRequest& request, std::int64_t current);

/// Every event in revisions [from, upto] touching `keys`, with prev_kv where it still exists.
std::vector<Event> history(Db& db, std::int64_t from, std::int64_t upto, const KeyInterval& keys);

std::vector<std::string> keys_with_lease(Db& db, std::int64_t lease);
/// (id, ttl) of every persisted lease.
std::vector<std::pair<std::int64_t, std::int64_t>> load_leases(Db& db);

/// The committer's view: the write connection inside its open transaction.
class SqlKvState final : public KvState {
public:
    explicit SqlKvState(Db& db) : db_(db) {}
    std::optional<KeyValue> get(const std::string& key) override;
    RangeResponse range(const RangeRequest& request, std::int64_t current) override;
    bool lease_exists(std::int64_t lease) override;
    std::vector<std::string> keys_with_lease(std::int64_t lease) override;
    void write(const Event& event) override;

private:
    Db& db_;
};

/// The id of the newest history row below `revision`: where compacting to it ends.
std::int64_t compaction_end(Db& db, std::int64_t revision);

/// Deletes, among history ids (progress, end], the rows compaction to `revision` drops,
/// `window` ids at a time until `budget` ids were examined or `deadline` passed. Returns the
/// new progress. Runs inside the caller's transaction.
std::int64_t compact_some(Db& db, std::int64_t revision, std::int64_t progress, std::int64_t end,
                          std::int64_t budget, std::chrono::steady_clock::time_point deadline);

}  // namespace skiff::store::sql
