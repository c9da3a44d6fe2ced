// EtcdCluster: a real etcd 3.4 cluster of three members on loopback ports, for EtcdStore tests.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace skiff::store::testing {

/// The etcd binary ($SKIFF_ETCD_BIN, else `etcd` on PATH); empty when there is none.
std::string etcd_binary();

/// Starts the members in `dir` (which must outlive the cluster) with short election timeouts;
/// they are SIGKILLed and reaped when the object ends. Members log to `dir`/mN.log.
class EtcdCluster {
public:
    explicit EtcdCluster(const std::string& dir, int members = 3);
    ~EtcdCluster();
    EtcdCluster(const EtcdCluster&) = delete;
    EtcdCluster& operator=(const EtcdCluster&) = delete;

    /// Client URLs, member 0 first.
    const std::vector<std::string>& endpoints() const { return endpoints_; }
    /// SIGKILLs member `i` and reaps it.
    void kill(int i);

private:
    std::vector<std::string> endpoints_;
    std::vector<pid_t> pids_;
};

}  // namespace skiff::store::testing
