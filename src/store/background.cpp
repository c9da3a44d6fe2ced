// spawn_background.
#include "background.h"

namespace skiff::store {

void spawn_background(base::TaskGroup& tasks, Store& store, LeaseTable& leases, WatchHub& hub,
                      base::Clock& clock, const LocalOptions& options) {
    tasks.spawn(lease_expiry_loop(store, leases, clock, options.lease_check_interval),
                "store lease expiry");
    if (options.progress_interval.count() > 0) {
        tasks.spawn(progress_loop(hub, clock, options.progress_interval), "store watch progress");
    }
}

}  // namespace skiff::store
