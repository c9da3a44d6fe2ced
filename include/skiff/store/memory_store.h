// MemoryStore: the complete Store in memory, for tests and as the reference of the semantics.
#pragma once

#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "skiff/base/clock.h"
#include "skiff/store/local_options.h"
#include "skiff/store/store.h"

namespace skiff::store {

/// Keeps every version until compaction. `clock` drives lease expiry and progress
/// notifications and must outlive the store.
class MemoryStore final : public Store {
public:
    MemoryStore(boost::asio::any_io_executor executor, base::Clock& clock,
                LocalOptions options = {});
    ~MemoryStore() override;

    void start() override;
    boost::asio::awaitable<void> stop() override;
    boost::asio::awaitable<base::Result<RangeResponse>> range(RangeRequest request) override;
    boost::asio::awaitable<base::Result<TxnResponse>> txn(TxnRequest request) override;
    boost::asio::awaitable<base::Result<std::unique_ptr<Watcher>>> watch(
        WatchRequest request) override;
    boost::asio::awaitable<base::Status> compact(std::int64_t revision) override;
    boost::asio::awaitable<base::Result<LeaseGrant>> lease_grant(std::int64_t ttl,
                                                                 std::int64_t id) override;
    boost::asio::awaitable<base::Status> lease_revoke(std::int64_t id) override;
    boost::asio::awaitable<base::Result<std::int64_t>> lease_keep_alive(std::int64_t id) override;
    boost::asio::awaitable<base::Result<LeaseTimeToLive>> lease_time_to_live(std::int64_t id,
                                                                             bool keys) override;
    std::int64_t current_revision() const override;
    std::int64_t compact_revision() const override;
    boost::asio::awaitable<base::Result<StoreStatus>> status() override;

    struct State;  // implementation detail

private:
    std::unique_ptr<State> state_;
};

}  // namespace skiff::store
