// Jittered exponential backoff, as client-go's wait.Backoff computes it.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace skiff::base {

class Backoff {
public:
    using Duration = std::chrono::steady_clock::duration;

    struct Options {
        Duration initial = std::chrono::seconds(1);
        Duration max = std::chrono::minutes(5);
        double factor = 2.0;
        /// Each delay grows by up to this fraction of itself, at random (0 = none).
        double jitter = 0.1;
    };

    explicit Backoff(Options options, std::uint64_t seed = std::random_device{}());

    /// The delay before the next attempt: initial, then multiplied by factor, never above max.
    Duration next();
    /// Starts over from the initial delay (after a success).
    void reset();
    /// How many delays next() has handed out since the last reset.
    int attempts() const { return attempts_; }

private:
    Options options_;
    Duration current_;
    int attempts_ = 0;
    std::mt19937_64 rng_;
};

}  // namespace skiff::base
