// Jittered exponential backoff.
#include "skiff/base/backoff.h"

#include <algorithm>

namespace skiff::base {

Backoff::Backoff(Options options, std::uint64_t seed)
    : options_(options), current_(options.initial), rng_(seed) {}

Backoff::Duration Backoff::next() {
    Duration delay = std::min(current_, options_.max);
    if (options_.jitter > 0) {
        std::uniform_real_distribution<double> dist(0.0, options_.jitter);
        delay += std::chrono::duration_cast<Duration>(delay * dist(rng_));
        delay = std::min(delay, options_.max);
    }
    if (current_ < options_.max) {
        auto grown = std::chrono::duration_cast<Duration>(current_ * options_.factor);
        current_ = std::min(std::max(grown, current_), options_.max);
    }
    ++attempts_;
    return delay;
}

void Backoff::reset() {
    current_ = options_.initial;
    attempts_ = 0;
}

}  // namespace skiff::base
