// EtcdCluster: fork/exec of three etcd members on free loopback ports.
#include "etcd_cluster.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <catch2/catch.hpp>

namespace skiff::store::testing {

namespace {

/// Loopback ports nobody listens on right now, all different: each socket stays bound until
/// every port is chosen (closing one at a time lets the kernel hand the same port out twice).
std::vector<int> free_ports(int count) {
    std::vector<int> fds;
    std::vector<int> ports;
    for (int i = 0; i < count; ++i) {
        const int fd = socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        socklen_t len = sizeof addr;
        REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
        fds.push_back(fd);
        ports.push_back(ntohs(addr.sin_port));
    }
    for (int fd : fds) {
        close(fd);
    }
    return ports;
}

std::string url(int port) {
    return "http://127.0.0.1:" + std::to_string(port);
}

}  // namespace

std::string etcd_binary() {
    if (const char* env = std::getenv("SKIFF_ETCD_BIN"); env && *env) {
        return env;
    }
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "/usr/bin";
    std::size_t pos = 0;
    while (pos <= dirs.size()) {
        auto end = dirs.find(':', pos);
        if (end == std::string::npos) {
            end = dirs.size();
        }
        auto candidate = dirs.substr(pos, end - pos) + "/etcd";
        if (access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        pos = end + 1;
    }
    return {};
}

EtcdCluster::EtcdCluster(const std::string& dir, int members) {
    const auto binary = etcd_binary();
    REQUIRE(!binary.empty());
    const auto ports = free_ports(2 * members);
    std::vector<int> peer_ports;
    std::string initial;
    for (int i = 0; i < members; ++i) {
        peer_ports.push_back(ports[2 * i]);
        endpoints_.push_back(url(ports[2 * i + 1]));
        initial += (i ? "," : "") + ("m" + std::to_string(i)) + "=" + url(peer_ports.back());
    }
    for (int i = 0; i < members; ++i) {
        const auto name = "m" + std::to_string(i);
        std::vector<std::string> args = {
            binary,
            "--name=" + name,
            "--data-dir=" + dir + "/" + name,
            "--listen-client-urls=" + endpoints_[i],
            "--advertise-client-urls=" + endpoints_[i],
            "--listen-peer-urls=" + url(peer_ports[i]),
            "--initial-advertise-peer-urls=" + url(peer_ports[i]),
            "--initial-cluster=" + initial,
            "--initial-cluster-state=new",
            "--initial-cluster-token=skiff-test",
            // etcd's defaults: shorter timeouts make a loaded machine hold needless elections.
            "--heartbeat-interval=100",
            "--election-timeout=1000",
            "--logger=zap",
            "--log-level=warn",
        };
        const auto log = dir + "/" + name + ".log";
        const pid_t pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            // The member dies with the test, even when the test is killed.
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd >= 0) {
                dup2(fd, 1);
                dup2(fd, 2);
            }
            std::vector<char*> argv;
            for (auto& a : args) {
                argv.push_back(a.data());
            }
            argv.push_back(nullptr);
            execv(argv[0], argv.data());
            _exit(127);
        }
        pids_.push_back(pid);
    }
}

EtcdCluster::~EtcdCluster() {
    for (std::size_t i = 0; i < pids_.size(); ++i) {
        kill(static_cast<int>(i));
    }
}

void EtcdCluster::kill(int i) {
    auto& pid = pids_.at(i);
    if (pid > 0) {
        ::kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        pid = 0;
    }
}

}  // namespace skiff::store::testing
