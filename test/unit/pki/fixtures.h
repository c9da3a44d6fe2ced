// Shared fixtures of the pki tests: a fixed "now", unwrapping Results, a temporary directory.
#pragma once

#include <chrono>
#include <filesystem>
#include <utility>

#include <catch2/catch.hpp>

#include "skiff/base/status.h"
#include "skiff/pki/certificate.h"
#include "skiff/pki/digest.h"

namespace skiff::pki::testing {

using namespace std::chrono_literals;

// 2025-01-01T00:00:00Z.
inline const Clock::time_point kNow = Clock::from_time_t(1735689600);
inline constexpr std::chrono::hours kDay{24};

// The value of `result`, failing the test (with the status) if there is none.
template <typename T>
T take(base::Result<T> result) {
    INFO(base::to_string(result.status()));
    REQUIRE(result.ok());
    return std::move(result).value();
}

// A fresh directory under the system temp directory, removed with its contents at the end.
class TempDir {
public:
    TempDir()
        : path_(std::filesystem::temp_directory_path() / ("skiff-pki-test-" + random_hex(8))) {
        std::filesystem::create_directory(path_);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() { std::filesystem::remove_all(path_); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

}  // namespace skiff::pki::testing
