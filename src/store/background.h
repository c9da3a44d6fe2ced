// The background tasks of an in-process store: lease expiry and periodic watch progress.
#pragma once

#include "lease_table.h"
#include "watch_hub.h"

#include "skiff/base/clock.h"
#include "skiff/base/task_group.h"
#include "skiff/store/local_options.h"

namespace skiff::store {

class Store;

/// Spawns into `tasks` the loop revoking `leases` through `store` when they expire and, when
/// `options` ask for it, periodic progress notifications from `hub`.
void spawn_background(base::TaskGroup& tasks, Store& store, LeaseTable& leases, WatchHub& hub,
                      base::Clock& clock, const LocalOptions& options);

}  // namespace skiff::store
