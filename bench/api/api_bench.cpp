// api_bench: creates, lists and watches pods through skiff's Client, over HTTPS or in-process.
//
// --mode http drives a running `skiff server` (--server, TLS material from --tls-dir or
// --ca/--cert/--key); --mode local opens a SqliteStore (sync full, as the server) in a temp
// dir under --data-dir and an ApiServer over it in this process, reached through LocalClient.
// Phases, in the order given by --phases; each prints one JSON object on a line of stdout
// (run.py reads them) and a summary on stderr:
//   create  --clients coroutines, each with a client of its own (an HttpClient: its own
//           connection), create --pods pods in --namespace; latency per create
//   list    full lists of every pod (no limit), timed through the Client (response parsed into
//           objects) and, over HTTP, as raw bytes; then limit=--page-limit walks
//   watch   --watchers watches from the list's resourceVersion, each its own client; a writer
//           merge-patches pods at --watch-rate/s with the send time in an annotation; latency
//           is receive time - send time (so it includes the patch's commit)
// Memory and CPU: --server-pid's /proc entries (this process's in local mode) after each phase.
// A failed call is counted and reported; a phase with failures ends the program with status 1.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json.hpp>

#include "skiff/apiserver/apiserver.h"
#include "skiff/base/clock.h"
#include "skiff/client/client.h"
#include "skiff/http/client.h"
#include "skiff/pki/files.h"
#include "skiff/store/sqlite_store.h"

namespace skiff::bench {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

struct Options {
    std::string mode = "http";
    std::string server;
    std::string tls_dir;
    std::string ca_file;
    std::string cert_file;
    std::string key_file;
    std::string data_dir = "/tmp";
    std::string label;
    int server_pid = 0;
    std::vector<std::string> phases = {"create", "list", "watch"};
    std::string ns = "bench";
    int pods = 10'000;
    int clients = 16;
    int threads = 1;
    int lists = 10;
    int walks = 5;
    int page_limit = 500;
    int watchers = 100;
    int watch_rate = 50;
    double watch_seconds = 10;
};

/// Ends the program at once: other threads may be mid-call, so no destructors run.
[[noreturn]] void fail(const std::string& what) {
    std::cerr << "api_bench: " << what << std::endl;
    std::cout.flush();
    std::_Exit(1);
}

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               SteadyClock::now().time_since_epoch())
        .count();
}

double seconds_since(SteadyClock::time_point start) {
    return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string part;
    while (std::getline(in, part, sep)) {
        if (!part.empty()) {
            out.push_back(part);
        }
    }
    return out;
}

/// Latency samples in nanoseconds; percentiles by nearest rank.
class Samples {
public:
    void add(std::int64_t ns) { ns_.push_back(ns); }
    void merge(const Samples& other) { ns_.insert(ns_.end(), other.ns_.begin(), other.ns_.end()); }
    std::size_t size() const { return ns_.size(); }
    double ms(double quantile) {
        if (ns_.empty()) {
            return 0;
        }
        std::sort(ns_.begin(), ns_.end());
        auto rank = static_cast<std::size_t>(quantile * static_cast<double>(ns_.size()));
        rank = std::min(rank, ns_.size() - 1);
        return static_cast<double>(ns_[rank]) / 1e6;
    }
    double max_ms() { return ms(1.0); }

private:
    std::vector<std::int64_t> ns_;
};

/// One phase's results: an ordered list of fields printed as a JSON object.
class Report {
public:
    Report(const Options& o, const std::string& phase) {
        str("label", o.label);
        str("mode", o.mode);
        str("phase", phase);
    }
    Report& str(const std::string& k, const std::string& v) {
        fields_.emplace_back(k, json::serialize(json::value(v)));
        return *this;
    }
    Report& num(const std::string& k, double v) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6g", v);
        fields_.emplace_back(k, buf);
        return *this;
    }
    Report& integer(const std::string& k, std::int64_t v) {
        fields_.emplace_back(k, std::to_string(v));
        return *this;
    }
    void print() const {
        std::string out = "{";
        std::string text;
        for (const auto& [k, v] : fields_) {
            out += (out.size() > 1 ? ", \"" : "\"") + k + "\": " + v;
            text += " " + k + "=" + v;
        }
        std::cout << out << "}" << std::endl;
        std::cerr << "api_bench:" << text << std::endl;
    }

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

/// What /proc says about a process: resident memory now and at its peak, CPU time so far.
struct ProcSample {
    double rss_mb = 0;
    double hwm_mb = 0;
    double cpu_s = 0;
};

ProcSample sample_process(int pid) {
    const std::string dir = pid > 0 ? "/proc/" + std::to_string(pid) : "/proc/self";
    ProcSample s;
    std::ifstream status(dir + "/status");
    std::string line;
    while (std::getline(status, line)) {
        std::istringstream in(line);
        std::string key;
        double kb = 0;
        in >> key >> kb;
        if (key == "VmRSS:") {
            s.rss_mb = kb / 1024;
        } else if (key == "VmHWM:") {
            s.hwm_mb = kb / 1024;
        }
    }
    std::ifstream stat(dir + "/stat");
    std::string all((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    const auto paren = all.rfind(')');
    if (paren != std::string::npos) {
        std::istringstream in(all.substr(paren + 2));
        std::vector<std::string> fields;
        std::string f;
        while (in >> f) {
            fields.push_back(f);
        }
        // After the command: state is field 3, utime 14 and stime 15 (1-based, proc(5)).
        if (fields.size() > 12) {
            s.cpu_s = static_cast<double>(std::stoll(fields[11]) + std::stoll(fields[12])) /
                      static_cast<double>(sysconf(_SC_CLK_TCK));
        }
    }
    return s;
}

double self_cpu_s() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/// CPU-seconds every CPU of the machine spent busy so far (/proc/stat's first line).
double machine_busy_s() {
    std::ifstream stat("/proc/stat");
    std::string cpu;
    long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
    stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
    return static_cast<double>(user + nice + system + irq + softirq + steal) /
           static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// CPU of the server, of this process and of everything else on the machine over a phase,
/// and the server's memory at its end.
class PhaseMeter {
public:
    explicit PhaseMeter(const Options& o) : pid_(o.server_pid), start_(SteadyClock::now()) {
        server0_ = sample_process(pid_).cpu_s;
        self0_ = self_cpu_s();
        busy0_ = machine_busy_s();
    }
    void add_to(Report& r, bool local) const {
        const auto s = sample_process(pid_);
        const double server = local ? 0 : s.cpu_s - server0_;
        const double self = self_cpu_s() - self0_;
        if (!local) {
            r.num("server_cpu_s", server);
        }
        r.num("client_cpu_s", self);
        // What other work on the machine took meanwhile, in CPUs (busy jiffies of every CPU
        // less ours, over the phase's wall time).
        const double wall = seconds_since(start_);
        r.num("others_cpus", std::max(0.0, machine_busy_s() - busy0_ - server - self) / wall);
        // Local mode: client and server are this one process.
        r.num("rss_mb", s.rss_mb).num("hwm_mb", s.hwm_mb);
    }

private:
    int pid_;
    SteadyClock::time_point start_;
    double server0_ = 0;
    double self0_ = 0;
    double busy0_ = 0;
};

const api::Registry& registry() {
    static const auto r = api::Registry::builtin();
    return r;
}

const api::ResourceType& pods_type() {
    static const auto* t = registry().find({"", "v1"}, "pods");
    return *t;
}

const api::ResourceType& namespaces_type() {
    static const auto* t = registry().find({"", "v1"}, "namespaces");
    return *t;
}

std::string pod_name(int i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "bench-%05d", i);
    return buf;
}

/// A pod as a Deployment's template would make it: labels, one container with image, ports,
/// env, resources, a probe and a volume mount.
json::object make_pod(const std::string& ns, int i) {
    const std::string name = pod_name(i);
    json::array env;
    for (const char* k : {"LOG_LEVEL", "HTTP_PORT", "CACHE_SIZE", "REGION", "FEATURE_FLAGS"}) {
        env.push_back(json::object{{"name", k},
                                   {"value", std::string(k) + "-value-" + std::to_string(i % 7)}});
    }
    env.push_back(json::object{
        {"name", "POD_NAME"},
        {"valueFrom", json::object{{"fieldRef", json::object{{"fieldPath", "metadata.name"}}}}}});
    json::object container{
        {"name", "app"},
        {"image", "registry.example.com/team/web-frontend:1.24.3"},
        {"args", json::array{"--config=/etc/app/config.yaml", "--listen=:8080"}},
        {"ports", json::array{json::object{{"name", "http"}, {"containerPort", 8080}},
                              json::object{{"name", "metrics"}, {"containerPort", 9090}}}},
        {"env", std::move(env)},
        {"resources", json::object{{"requests", json::object{{"cpu", "100m"}, {"memory", "128Mi"}}},
                                   {"limits", json::object{{"cpu", "500m"}, {"memory", "256Mi"}}}}},
        {"readinessProbe",
         json::object{{"httpGet", json::object{{"path", "/healthz"}, {"port", 8080}}},
                      {"periodSeconds", 5}}},
        {"volumeMounts", json::array{json::object{{"name", "config"}, {"mountPath", "/etc/app"}}}}};
    return json::object{
        {"apiVersion", "v1"},
        {"kind", "Pod"},
        {"metadata", json::object{{"name", name},
                                  {"namespace", ns},
                                  {"labels", json::object{{"app", "web-frontend"},
                                                          {"tier", "frontend"},
                                                          {"pod-template-hash", "7d9c8b6f5"},
                                                          {"shard", std::to_string(i % 16)}}}}},
        {"spec", json::object{{"containers", json::array{std::move(container)}},
                              {"volumes",
                               json::array{json::object{
                                   {"name", "config"},
                                   {"configMap", json::object{{"name", "web-frontend-config"}}}}}},
                              {"terminationGracePeriodSeconds", 30}}}};
}

/// Where clients come from: a fresh HttpClient per call, or LocalClients over an in-process
/// ApiServer.
class Api {
public:
    virtual ~Api() = default;
    /// A client for coroutines on `executor`.
    virtual std::unique_ptr<client::Client> make_client(asio::io_context& ctx) = 0;
    /// A raw HTTP client and the server's URL (HTTP mode only).
    virtual std::optional<std::pair<http::Client, std::string>> make_raw(asio::io_context& ctx) {
        (void)ctx;
        return std::nullopt;
    }
};

std::string read_or_fail(const std::string& path) {
    auto text = pki::read_file(path);
    if (!text.ok()) {
        fail(text.status().message());
    }
    return std::move(*text);
}

class HttpApi final : public Api {
public:
    explicit HttpApi(const Options& o) {
        config_.server = o.server;
        const fs::path dir = o.tls_dir;
        config_.http.tls.ca_pem =
            read_or_fail(o.ca_file.empty() ? (dir / "server-ca.crt").string() : o.ca_file);
        config_.http.tls.cert_pem =
            read_or_fail(o.cert_file.empty() ? (dir / "client-admin.crt").string() : o.cert_file);
        config_.http.tls.key_pem =
            read_or_fail(o.key_file.empty() ? (dir / "client-admin.key").string() : o.key_file);
        config_.http.request_timeout = std::chrono::seconds(120);
    }
    std::unique_ptr<client::Client> make_client(asio::io_context& ctx) override {
        auto c = client::make_http_client(ctx.get_executor(), config_);
        if (!c.ok()) {
            fail("http client: " + c.status().message());
        }
        return std::move(*c);
    }
    std::optional<std::pair<http::Client, std::string>> make_raw(asio::io_context& ctx) override {
        auto c = http::Client::create(ctx.get_executor(), config_.http);
        if (!c.ok()) {
            fail("http client: " + c.status().message());
        }
        return std::make_pair(std::move(*c), config_.server);
    }

private:
    client::HttpClientConfig config_;
};

/// Runs `n` io_contexts, one thread each, until destroyed.
class Runner {
public:
    explicit Runner(int n) {
        for (int i = 0; i < n; ++i) {
            contexts_.push_back(std::make_unique<asio::io_context>(1));
            guards_.emplace_back(contexts_.back()->get_executor());
        }
    }
    ~Runner() {
        guards_.clear();
        for (auto& t : threads_) {
            t.join();
        }
    }
    void start() {
        for (auto& c : contexts_) {
            threads_.emplace_back([ctx = c.get()] { ctx->run(); });
        }
    }
    int size() const { return static_cast<int>(contexts_.size()); }
    asio::io_context& ctx(int i) {
        return *contexts_[static_cast<std::size_t>(i) % contexts_.size()];
    }

    /// Spawns each task on its context and waits for all; rethrows the first exception.
    void run(std::vector<std::pair<int, asio::awaitable<void>>> tasks) {
        std::vector<std::future<void>> done;
        for (auto& [i, task] : tasks) {
            done.push_back(asio::co_spawn(ctx(i), std::move(task), asio::use_future));
        }
        for (auto& f : done) {
            f.get();
        }
    }
    void run(int i, asio::awaitable<void> task) {
        std::vector<std::pair<int, asio::awaitable<void>>> one;
        one.emplace_back(i, std::move(task));
        run(std::move(one));
    }

private:
    std::vector<std::unique_ptr<asio::io_context>> contexts_;
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
    std::vector<std::thread> threads_;
};

/// Destroys `c` on its own context (HttpClient's pooled connections belong to it).
asio::awaitable<void> drop(std::unique_ptr<client::Client> c) {
    c.reset();
    co_return;
}

asio::awaitable<void> drop_http(http::Client c) {
    (void)c;
    co_return;
}

void drop_all(Runner& runner, std::vector<std::unique_ptr<client::Client>>& clients,
              const std::vector<int>& where) {
    std::vector<std::pair<int, asio::awaitable<void>>> tasks;
    for (std::size_t i = 0; i < clients.size(); ++i) {
        tasks.emplace_back(where[i], drop(std::move(clients[i])));
    }
    runner.run(std::move(tasks));
    clients.clear();
}

/// The in-process server of --mode local: a SqliteStore in a temp dir, an ApiServer over it.
class LocalApi final : public Api {
public:
    LocalApi(const Options& o, asio::io_context& ctx) {
        char tmpl[4096];
        std::snprintf(tmpl, sizeof tmpl, "%s/api-bench-local-XXXXXX", o.data_dir.c_str());
        if (!mkdtemp(tmpl)) {
            fail(std::string("mkdtemp under ") + o.data_dir + " failed");
        }
        dir_ = tmpl;
        store::SqliteOptions options;
        options.path = (dir_ / "state.db").string();
        options.sync = store::SqliteOptions::Sync::Full;
        options.local.progress_interval = std::chrono::minutes(10);  // as skiff server
        auto opened =
            store::SqliteStore::open(ctx.get_executor(), base::SystemClock::instance(), options);
        if (!opened.ok()) {
            fail("open " + options.path + ": " + opened.status().message());
        }
        store_ = std::move(*opened);
        store_->start();
        server_ = std::make_unique<apiserver::ApiServer>(*store_, base::SystemClock::instance(),
                                                         apiserver::ApiServerOptions{});
    }
    std::unique_ptr<client::Client> make_client(asio::io_context& ctx) override {
        (void)ctx;  // everything runs on the store's context
        return client::make_local_client(*server_);
    }
    apiserver::ApiServer& server() { return *server_; }
    store::Store& store() { return *store_; }
    void remove_files() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    fs::path dir() const { return dir_; }

private:
    fs::path dir_;
    std::unique_ptr<store::SqliteStore> store_;
    std::unique_ptr<apiserver::ApiServer> server_;
};

asio::awaitable<void> bootstrap(apiserver::ApiServer& server) {  // server outlives the call
    auto st = co_await server.bootstrap();
    if (!st.ok()) {
        fail("bootstrap: " + st.message());
    }
}

asio::awaitable<void> stop_store(store::Store& store) {  // store outlives the call
    co_await store.stop();
}

/// Creates the benchmark's namespace unless it exists. `c` outlives the call.
asio::awaitable<void> ensure_namespace(client::Client& c, std::string ns) {
    json::object object{
        {"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", json::object{{"name", ns}}}};
    api::WriteOptions options;
    std::string no_ns;
    auto r = co_await c.create(namespaces_type(), std::move(no_ns), std::move(object),
                               std::move(options));
    if (!r.ok() && r.status().reason() != base::Reason::AlreadyExists) {
        fail("create namespace " + ns + ": " + r.status().message());
    }
}

/// A first call on a client, so that connection setup is not timed.
asio::awaitable<void> warm_up(client::Client& c, std::string ns) {  // c outlives the call
    std::string name = ns;
    std::string no_ns;
    std::string sub;
    auto r = co_await c.get(namespaces_type(), std::move(no_ns), std::move(name), std::move(sub));
    if (!r.ok()) {
        fail("get namespace " + ns + ": " + r.status().message());
    }
}

struct Outcome {
    Samples latency;
    int errors = 0;
    std::string first_error;
    std::size_t object_bytes = 0;

    void error(const std::string& what) {
        if (errors++ == 0) {
            first_error = what;
        }
    }
};

/// Creates pods first, first + clients, ... below o.pods. `c`, `o` and `out` outlive it.
asio::awaitable<void> creator(client::Client& c, const Options& o, int first, Outcome& out) {
    for (int i = first; i < o.pods; i += o.clients) {
        auto object = make_pod(o.ns, i);
        std::string ns = o.ns;
        api::WriteOptions options;
        const auto t0 = now_ns();
        auto r =
            co_await c.create(pods_type(), std::move(ns), std::move(object), std::move(options));
        out.latency.add(now_ns() - t0);
        if (!r.ok()) {
            out.error("create " + pod_name(i) + ": " + r.status().message());
        } else if (out.object_bytes == 0) {
            out.object_bytes = json::serialize(*r).size();
        }
    }
}

bool is_local(const Options& o) {
    return o.mode == "local";
}

void fail_on_errors(const std::string& phase, const std::vector<Outcome>& outs) {
    int errors = 0;
    for (const auto& out : outs) {
        if (out.errors > 0) {
            std::cerr << "api_bench: " << phase << ": " << out.errors
                      << " failed, first: " << out.first_error << "\n";
            errors += out.errors;
        }
    }
    if (errors > 0) {
        fail(phase + ": " + std::to_string(errors) + " calls failed");
    }
}

void create_phase(const Options& o, Api& api, Runner& runner) {
    std::vector<std::unique_ptr<client::Client>> clients;
    std::vector<int> where;
    for (int k = 0; k < o.clients; ++k) {
        clients.push_back(api.make_client(runner.ctx(k)));
        where.push_back(k % runner.size());
    }
    runner.run(0, ensure_namespace(*clients[0], o.ns));
    std::vector<std::pair<int, asio::awaitable<void>>> warm;
    for (int k = 0; k < o.clients; ++k) {
        warm.emplace_back(where[k], warm_up(*clients[k], o.ns));
    }
    runner.run(std::move(warm));

    std::vector<Outcome> outs(static_cast<std::size_t>(o.clients));
    PhaseMeter meter(o);
    std::vector<std::pair<int, asio::awaitable<void>>> tasks;
    for (int k = 0; k < o.clients; ++k) {
        tasks.emplace_back(where[k], creator(*clients[k], o, k, outs[k]));
    }
    const auto start = SteadyClock::now();
    runner.run(std::move(tasks));
    const double secs = seconds_since(start);
    Report report(o, "create");
    meter.add_to(report, is_local(o));
    drop_all(runner, clients, where);
    fail_on_errors("create", outs);
    Samples all;
    for (const auto& out : outs) {
        all.merge(out.latency);
    }
    report.integer("pods", o.pods)
        .integer("clients", o.clients)
        .integer("threads", runner.size())
        .integer("pod_bytes", static_cast<std::int64_t>(outs[0].object_bytes))
        .num("seconds", secs)
        .num("creates_per_s", o.pods / secs)
        .num("p50_ms", all.ms(0.50))
        .num("p90_ms", all.ms(0.90))
        .num("p99_ms", all.ms(0.99))
        .num("max_ms", all.max_ms())
        .print();
}

struct ListOutcome {
    Outcome full;  // whole lists through the Client
    Outcome raw;   // whole lists as HTTP bytes, unparsed
    Outcome walk;  // limit=page_limit walks
    Samples page;  // one page of a walk
    std::int64_t items = 0;
    std::int64_t pages_per_walk = 0;
    std::size_t list_bytes = 0;
    std::string resource_version;
};

/// Full lists, then paginated walks. `c`, `o` and `out` outlive it.
asio::awaitable<void> lister(client::Client& c, const Options& o, ListOutcome& out) {
    // The first list is not timed: it warms the connection, the page cache and the allocator.
    for (int run = -1; run < o.lists; ++run) {
        std::string ns = o.ns;
        api::ListOptions options;
        const auto t0 = now_ns();
        auto r = co_await c.list(pods_type(), std::move(ns), std::move(options));
        const auto t1 = now_ns();
        if (!r.ok()) {
            out.full.error("list: " + r.status().message());
            continue;
        }
        out.items = static_cast<std::int64_t>(r->at("items").as_array().size());
        if (out.items != o.pods) {
            out.full.error("list: " + std::to_string(out.items) + " items, want " +
                           std::to_string(o.pods));
        }
        out.resource_version =
            std::string(r->at("metadata").as_object().at("resourceVersion").as_string());
        if (run >= 0) {
            out.full.latency.add(t1 - t0);
        }
    }
    for (int walk = 0; walk < o.walks; ++walk) {
        std::string token;
        std::int64_t items = 0;
        std::int64_t pages = 0;
        const auto w0 = now_ns();
        for (;;) {
            std::string ns = o.ns;
            api::ListOptions options;
            options.limit = o.page_limit;
            options.continue_token = token;
            const auto t0 = now_ns();
            auto r = co_await c.list(pods_type(), std::move(ns), std::move(options));
            out.page.add(now_ns() - t0);
            if (!r.ok()) {
                out.walk.error("list page: " + r.status().message());
                break;
            }
            ++pages;
            items += static_cast<std::int64_t>(r->at("items").as_array().size());
            const auto* next = r->at("metadata").as_object().if_contains("continue");
            if (!next || !next->is_string() || next->as_string().empty()) {
                break;
            }
            token = std::string(next->as_string());
        }
        out.walk.latency.add(now_ns() - w0);
        out.pages_per_walk = pages;
        if (items != o.pods) {
            out.walk.error("walk: " + std::to_string(items) + " items, want " +
                           std::to_string(o.pods));
        }
    }
}

/// Whole lists as bytes (no JSON parsing on this side). `c`, `o`, `out` outlive it.
asio::awaitable<void> raw_lister(http::Client& c, std::string url, const Options& o,
                                 ListOutcome& out) {
    const std::string target = "/api/v1/namespaces/" + o.ns + "/pods";
    for (int run = -1; run < o.lists; ++run) {
        auto request = http::Request::make("GET", target);
        request.headers.set("Accept", "application/json");
        const auto t0 = now_ns();
        auto r = co_await c.request(url, std::move(request));
        const auto t1 = now_ns();
        if (!r.ok() || r->status != 200) {
            out.raw.error("raw list: " +
                          (r.ok() ? std::to_string(r->status) + " " + r->body.substr(0, 200)
                                  : r.status().message()));
            continue;
        }
        out.list_bytes = r->body.size();
        if (run >= 0) {
            out.raw.latency.add(t1 - t0);
        }
    }
}

/// Returns the list's resourceVersion, where the watch phase starts.
std::string list_phase(const Options& o, Api& api, Runner& runner) {
    std::vector<std::unique_ptr<client::Client>> clients;
    clients.push_back(api.make_client(runner.ctx(0)));
    ListOutcome out;
    PhaseMeter meter(o);
    const auto start = SteadyClock::now();
    runner.run(0, lister(*clients[0], o, out));
    const double client_secs = seconds_since(start);
    if (auto raw = api.make_raw(runner.ctx(0))) {
        runner.run(0, raw_lister(raw->first, raw->second, o, out));
        // Its pooled connection belongs to context 0: drop it there.
        runner.run(0, drop_http(std::move(raw->first)));
    }
    Report report(o, "list");
    meter.add_to(report, is_local(o));
    drop_all(runner, clients, {0});
    fail_on_errors("list", {out.full, out.raw, out.walk});
    report.integer("items", out.items)
        .integer("lists", o.lists)
        .num("client_seconds", client_secs)
        .num("full_p50_ms", out.full.latency.ms(0.50))
        .num("full_min_ms", out.full.latency.ms(0.0))
        .num("full_max_ms", out.full.latency.max_ms());
    if (out.raw.latency.size() > 0) {
        report.integer("list_bytes", static_cast<std::int64_t>(out.list_bytes))
            .num("raw_p50_ms", out.raw.latency.ms(0.50))
            .num("raw_min_ms", out.raw.latency.ms(0.0))
            .num("raw_max_ms", out.raw.latency.max_ms());
    }
    report.integer("walks", o.walks)
        .integer("page_limit", o.page_limit)
        .integer("pages_per_walk", out.pages_per_walk)
        .num("walk_p50_ms", out.walk.latency.ms(0.50))
        .num("walk_max_ms", out.walk.latency.max_ms())
        .num("page_p50_ms", out.page.ms(0.50))
        .num("page_p99_ms", out.page.ms(0.99))
        .print();
    return out.resource_version;
}

/// What the writer and the watchers share; the vectors are read only after both finished.
struct WatchShared {
    std::atomic<int> ready{0};
    std::atomic<int> failed{0};
    std::vector<std::int64_t> ack_ns;  // by sequence number, written by the writer
};

struct WatcherOutcome {
    Outcome out;
    std::vector<std::pair<int, std::int64_t>> received;  // (seq, receive ns)
    std::set<int> seen;                                  // stamps already counted
    Samples latency;                                     // receive - sent (annotation)
};

constexpr const char* kSeq = "skiff.bench/seq";
constexpr const char* kSent = "skiff.bench/sent-ns";

/// The annotations of an event's object, or nullptr.
const json::object* annotations_of(const json::object& object) {
    const auto* meta = object.if_contains("metadata");
    if (!meta || !meta->is_object()) {
        return nullptr;
    }
    const auto* a = meta->as_object().if_contains("annotations");
    return a && a->is_object() ? &a->as_object() : nullptr;
}

/// One watch until the writer's "end" event. `c`, `o`, `shared`, `out` outlive it.
asio::awaitable<void> watcher(client::Client& c, const Options& o, std::string rv,
                              WatchShared& shared, WatcherOutcome& out) {
    std::string ns = o.ns;
    api::ListOptions options;
    options.resource_version = rv;
    options.timeout = std::chrono::seconds(static_cast<int>(o.watch_seconds) + 120);
    auto stream = co_await c.watch(pods_type(), std::move(ns), std::move(options));
    if (!stream.ok()) {
        out.out.error("watch: " + stream.status().message());
        ++shared.failed;
        co_return;
    }
    ++shared.ready;
    for (;;) {
        auto event = co_await (*stream)->next();
        const auto received = now_ns();
        if (!event.ok()) {
            out.out.error("watch ended: " + event.status().message());
            break;
        }
        if (event->type == "ERROR") {
            out.out.error("watch error event: " + json::serialize(event->object));
            break;
        }
        if (event->type != "MODIFIED") {
            continue;
        }
        const auto* a = annotations_of(event->object);
        const auto* seq = a ? a->if_contains(kSeq) : nullptr;
        const auto* sent = a ? a->if_contains(kSent) : nullptr;
        if (!seq || !seq->is_string() || !sent || !sent->is_string()) {
            continue;
        }
        if (seq->as_string() == "end") {
            break;
        }
        // Other writers (the scheduler marking a pod) also make MODIFIED events that still
        // carry an old stamp: count each stamp once.
        const int n = std::stoi(std::string(seq->as_string()));
        if (!out.seen.insert(n).second) {
            continue;
        }
        out.received.emplace_back(n, received);
        out.latency.add(received - std::stoll(std::string(sent->as_string())));
    }
    (*stream)->cancel();
}

struct WriterOutcome {
    Outcome out;
    int updates = 0;
    double seconds = 0;
};

/// Merge-patches one annotation pair on `name`. `c` outlives it.
asio::awaitable<base::Status> stamp(client::Client& c, std::string ns, std::string name,
                                    std::string seq) {
    const std::string patch = std::string(R"({"metadata":{"annotations":{")") + kSeq + R"(":")" +
                              seq + R"(",")" + kSent + R"(":")" + std::to_string(now_ns()) +
                              R"("}}})";
    std::string sub;
    api::WriteOptions options;
    auto r = co_await c.patch(pods_type(), std::move(ns), std::move(name), api::PatchType::Merge,
                              patch, std::move(sub), std::move(options));
    co_return r.ok() ? base::Status() : r.status();
}

/// Waits for every watch, patches at o.watch_rate for o.watch_seconds, then the "end" patch.
/// `c`, `o`, `shared`, `out` outlive it.
asio::awaitable<void> writer(client::Client& c, const Options& o, WatchShared& shared,
                             WriterOutcome& out) {
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer timer(executor);
    const auto ready_by = SteadyClock::now() + std::chrono::seconds(60);
    while (shared.ready.load() + shared.failed.load() < o.watchers) {
        if (SteadyClock::now() > ready_by) {
            fail("watch: only " + std::to_string(shared.ready.load()) + " of " +
                 std::to_string(o.watchers) + " watches started within 60 s");
        }
        timer.expires_after(std::chrono::milliseconds(5));
        co_await timer.async_wait(asio::use_awaitable);
    }
    const int n = static_cast<int>(o.watch_rate * o.watch_seconds);
    shared.ack_ns.assign(static_cast<std::size_t>(n), 0);
    const auto period = std::chrono::nanoseconds(1'000'000'000LL / std::max(o.watch_rate, 1));
    const auto start = SteadyClock::now();
    for (int i = 0; i < n; ++i) {
        timer.expires_at(start + i * period);
        co_await timer.async_wait(asio::use_awaitable);
        const auto t0 = now_ns();
        auto st = co_await stamp(c, o.ns, pod_name(i % o.pods), std::to_string(i));
        const auto t1 = now_ns();
        out.out.latency.add(t1 - t0);
        shared.ack_ns[static_cast<std::size_t>(i)] = t1;
        if (!st.ok()) {
            out.out.error("patch: " + st.message());
        }
    }
    out.seconds = seconds_since(start);
    out.updates = n;
    auto st = co_await stamp(c, o.ns, pod_name(0), "end");
    if (!st.ok()) {
        fail("watch: the end patch failed: " + st.message());
    }
}

void watch_phase(const Options& o, Api& api, Runner& runner, const std::string& from) {
    if (from.empty()) {
        fail("watch: run the list phase first (it gives the resourceVersion)");
    }
    // The writer on context 0, the watchers on the others when there are others.
    std::vector<std::unique_ptr<client::Client>> clients;
    std::vector<int> where;
    for (int k = 0; k < o.watchers; ++k) {
        const int at = runner.size() > 1 ? 1 + k % (runner.size() - 1) : 0;
        clients.push_back(api.make_client(runner.ctx(at)));
        where.push_back(at);
    }
    clients.push_back(api.make_client(runner.ctx(0)));
    where.push_back(0);
    client::Client& writer_client = *clients.back();
    runner.run(0, warm_up(writer_client, o.ns));

    WatchShared shared;
    std::vector<WatcherOutcome> outs(static_cast<std::size_t>(o.watchers));
    WriterOutcome wrote;
    PhaseMeter meter(o);
    std::vector<std::pair<int, asio::awaitable<void>>> tasks;
    for (int k = 0; k < o.watchers; ++k) {
        tasks.emplace_back(where[k], watcher(*clients[k], o, from, shared, outs[k]));
    }
    tasks.emplace_back(0, writer(writer_client, o, shared, wrote));
    runner.run(std::move(tasks));
    Report report(o, "watch");
    meter.add_to(report, is_local(o));
    drop_all(runner, clients, where);

    std::vector<Outcome> failures;
    Samples latency;
    Samples after_ack;
    std::int64_t delivered = 0;
    for (auto& w : outs) {
        failures.push_back(w.out);
        latency.merge(w.latency);
        delivered += static_cast<std::int64_t>(w.received.size());
        for (const auto& [seq, at] : w.received) {
            if (seq >= 0 && static_cast<std::size_t>(seq) < shared.ack_ns.size()) {
                after_ack.add(std::max<std::int64_t>(0, at - shared.ack_ns[seq]));
            }
        }
    }
    failures.push_back(wrote.out);
    fail_on_errors("watch", failures);
    report.integer("watchers", o.watchers)
        .integer("updates", wrote.updates)
        .num("write_rate", wrote.updates / std::max(wrote.seconds, 1e-9))
        .integer("expected", static_cast<std::int64_t>(wrote.updates) * o.watchers)
        .integer("delivered", delivered)
        .num("p50_ms", latency.ms(0.50))
        .num("p99_ms", latency.ms(0.99))
        .num("max_ms", latency.max_ms())
        .num("after_ack_p99_ms", after_ack.ms(0.99))
        .num("patch_p50_ms", wrote.out.latency.ms(0.50))
        .num("patch_p99_ms", wrote.out.latency.ms(0.99))
        .print();
}

const char* const kUsage =
    "usage: api_bench --mode http --server https://HOST:PORT (--tls-dir DIR | --ca F --cert F "
    "--key F)\n"
    "                 [--server-pid PID] [options]\n"
    "       api_bench --mode local [--data-dir DIR] [options]\n"
    "phases: create list watch (default: all, in that order; watch needs list)\n"
    "options (default):\n"
    "  --tls-dir DIR              a server's <data-dir>/server/tls: server-ca.crt,\n"
    "                             client-admin.crt and client-admin.key\n"
    "  --server-pid PID           whose /proc CPU and memory to report (http mode)\n"
    "  --data-dir DIR (/tmp)      local mode: parent of the SQLite store's temp dir\n"
    "  --label NAME               copied into the output\n"
    "  --namespace NS (bench)     created when missing\n"
    "  --pods N (10000) --clients N (16)\n"
    "  --threads N (1)            io_context threads the clients are spread over (http mode;\n"
    "                             with more than one the watchers avoid the writer's)\n"
    "  --lists N (10) --walks N (5) --page-limit N (500)\n"
    "  --watchers N (100) --watch-rate N/s (50) --watch-seconds S (10)\n";

Options parse(int argc, char** argv) {
    Options o;
    std::map<std::string, std::function<void(const std::string&)>> set = {
        {"mode", [&](const std::string& v) { o.mode = v; }},
        {"server", [&](const std::string& v) { o.server = v; }},
        {"tls-dir", [&](const std::string& v) { o.tls_dir = v; }},
        {"ca", [&](const std::string& v) { o.ca_file = v; }},
        {"cert", [&](const std::string& v) { o.cert_file = v; }},
        {"key", [&](const std::string& v) { o.key_file = v; }},
        {"server-pid", [&](const std::string& v) { o.server_pid = std::stoi(v); }},
        {"data-dir", [&](const std::string& v) { o.data_dir = v; }},
        {"label", [&](const std::string& v) { o.label = v; }},
        {"phases", [&](const std::string& v) { o.phases = split(v, ','); }},
        {"namespace", [&](const std::string& v) { o.ns = v; }},
        {"pods", [&](const std::string& v) { o.pods = std::stoi(v); }},
        {"clients", [&](const std::string& v) { o.clients = std::stoi(v); }},
        {"threads", [&](const std::string& v) { o.threads = std::stoi(v); }},
        {"lists", [&](const std::string& v) { o.lists = std::stoi(v); }},
        {"walks", [&](const std::string& v) { o.walks = std::stoi(v); }},
        {"page-limit", [&](const std::string& v) { o.page_limit = std::stoi(v); }},
        {"watchers", [&](const std::string& v) { o.watchers = std::stoi(v); }},
        {"watch-rate", [&](const std::string& v) { o.watch_rate = std::stoi(v); }},
        {"watch-seconds", [&](const std::string& v) { o.watch_seconds = std::stod(v); }},
    };
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            std::cout << kUsage;
            std::exit(0);
        }
        if (!arg.starts_with("--")) {
            fail("unexpected argument \"" + arg + "\"\n" + kUsage);
        }
        arg = arg.substr(2);
        std::string value;
        if (auto eq = arg.find('='); eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        } else if (i + 1 < argc) {
            value = argv[++i];
        } else {
            fail("flag --" + arg + " needs a value");
        }
        auto it = set.find(arg);
        if (it == set.end()) {
            fail("unknown flag --" + arg + "\n" + kUsage);
        }
        try {
            it->second(value);
        } catch (const std::exception&) {
            fail("invalid value \"" + value + "\" for --" + arg);
        }
    }
    if (o.mode != "http" && o.mode != "local") {
        fail("--mode must be http or local");
    }
    if (o.mode == "http" && o.server.empty()) {
        fail("--mode http needs --server");
    }
    if (o.mode == "http" && o.tls_dir.empty() &&
        (o.ca_file.empty() || o.cert_file.empty() || o.key_file.empty())) {
        fail("--mode http needs --tls-dir or --ca, --cert and --key");
    }
    if (o.pods < 1 || o.clients < 1 || o.threads < 1 || o.watchers < 1 || o.page_limit < 1 ||
        o.lists < 1 || o.watch_rate < 1) {
        fail(
            "--pods, --clients, --threads, --watchers, --page-limit, --lists and --watch-rate "
            "must be positive");
    }
    if (o.mode == "local") {
        o.threads = 1;  // the ApiServer runs on its store's executor only
    }
    if (o.label.empty()) {
        o.label = o.mode;
    }
    return o;
}

void run_phases(const Options& o, Api& api, Runner& runner) {
    std::string resource_version;
    for (const auto& phase : o.phases) {
        if (phase == "create") {
            create_phase(o, api, runner);
        } else if (phase == "list") {
            resource_version = list_phase(o, api, runner);
        } else if (phase == "watch") {
            watch_phase(o, api, runner, resource_version);
        } else {
            fail("unknown phase \"" + phase + "\"\n" + kUsage);
        }
    }
}

}  // namespace
}  // namespace skiff::bench

int main(int argc, char** argv) {
    using namespace skiff::bench;
    const Options o = parse(argc, argv);
    Runner runner(o.threads);
    if (o.mode == "http") {
        HttpApi api(o);
        runner.start();
        run_phases(o, api, runner);
        return 0;
    }
    LocalApi api(o, runner.ctx(0));
    runner.start();
    runner.run(0, bootstrap(api.server()));
    run_phases(o, api, runner);
    runner.run(0, stop_store(api.store()));
    api.remove_files();
    return 0;
}
