// store_bench: drives one etcd v3 endpoint (skiff's facade or etcd) through the store benchmark.
//
// Each phase prints one JSON object on a line of stdout (run.py reads them) and a summary line
// on stderr. Phases, in the order given by --phases:
//   seq_put     one client, --seq-puts puts of distinct keys, one at a time
//   concurrent  --writers threads, each with its own stub, --concurrent-puts puts in all
//   range       loads --range-keys keys, then times full ranges and limit=500 paginated walks
//   watch       --watchers watches on one prefix over --watch-streams streams; a writer puts at
//               --watch-rate/s and every event's latency is receive time - send time (the send
//               time travels in the value)
//   dbsize      --db-updates puts over --db-keys keys from --db-writers threads, compacting
//               every --compact-every writes to the revision seen at the previous compaction
//               (kube-apiserver's policy, on a write count instead of a timer); reports the sizes
//               of --db-file files against the live data
// Every RPC has a deadline; a failed RPC ends the program with exit status 1.
#include "rpc.grpc.pb.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

namespace skiff::bench {
namespace {

namespace pb = etcdserverpb;
using Clock = std::chrono::steady_clock;

constexpr auto kRpcTimeout = std::chrono::seconds(60);
constexpr const char* kPrefix = "/bench/";

struct Options {
    std::string endpoint = "127.0.0.1:2379";
    std::string label = "server";
    std::vector<std::string> phases = {"seq_put", "concurrent", "range", "watch"};
    int channels = 1;
    int value_size = 256;
    int seq_puts = 2'000;
    int writers = 16;
    int concurrent_puts = 32'000;
    int range_keys = 10'000;
    int ranges = 50;
    int page_limit = 500;
    int walks = 20;
    int watchers = 100;
    int watch_streams = 10;
    int watch_rate = 200;
    double watch_seconds = 10;
    std::int64_t db_updates = 1'000'000;
    int db_keys = 1'000;
    int db_value_size = 100;
    int db_writers = 16;
    std::int64_t compact_every = 10'000;
    double db_max_seconds = 0;
    double settle_seconds = 5;
    std::vector<std::string> db_files;
};

[[noreturn]] void fail(const std::string& what) {
    std::cerr << "store_bench: " << what << "\n";
    std::exit(1);
}

std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
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

/// The key after every key with `prefix` as a prefix: etcd's range_end for a prefix.
std::string prefix_end(std::string prefix) {
    while (!prefix.empty()) {
        auto& last = reinterpret_cast<unsigned char&>(prefix.back());
        if (last < 0xff) {
            ++last;
            return prefix;
        }
        prefix.pop_back();
    }
    return std::string(1, '\0');
}

std::string numbered(const std::string& prefix, std::int64_t n, int width) {
    char digits[32];
    std::snprintf(digits, sizeof digits, "%0*" PRId64, width, n);
    return prefix + digits;
}

/// Printable filler of `size` bytes, from a fixed seed (neither store compresses values).
std::string filler(std::size_t size, std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::string s(size, 'x');
    for (auto& c : s) {
        c = static_cast<char>('a' + rng() % 26);
    }
    return s;
}

/// A value of `size` bytes that starts with "<seq> <send_ns> ".
std::string stamped_value(std::int64_t seq, std::int64_t send_ns, const std::string& pad,
                          std::size_t size) {
    std::string v = std::to_string(seq) + " " + std::to_string(send_ns) + " ";
    if (v.size() < size) {
        v.append(pad, 0, size - v.size());
    }
    return v;
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

private:
    std::vector<std::int64_t> ns_;
};

/// One phase's results: an ordered list of fields printed as a JSON object.
class Report {
public:
    Report(const Options& o, const std::string& phase) {
        str("label", o.label);
        str("phase", phase);
    }
    Report& str(const std::string& k, const std::string& v) {
        fields_.emplace_back(k, "\"" + v + "\"");
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
    Report& boolean(const std::string& k, bool v) {
        fields_.emplace_back(k, v ? "true" : "false");
        return *this;
    }
    void print() const {
        std::string json = "{";
        std::string text;
        for (const auto& [k, v] : fields_) {
            json += (json.size() > 1 ? ", \"" : "\"") + k + "\": " + v;
            text += " " + k + "=" + v;
        }
        std::cout << json << "}" << std::endl;
        std::cerr << "store_bench:" << text << std::endl;
    }

private:
    std::vector<std::pair<std::string, std::string>> fields_;
};

class Client {
public:
    explicit Client(const Options& o) {
        grpc::ChannelArguments args;
        args.SetMaxReceiveMessageSize(256 * 1024 * 1024);
        args.SetMaxSendMessageSize(16 * 1024 * 1024);
        for (int i = 0; i < std::max(o.channels, 1); ++i) {
            // A distinct argument keeps gRPC from sharing one subchannel between channels.
            args.SetInt("skiff.bench.channel", i);
            channels_.push_back(
                grpc::CreateCustomChannel(o.endpoint, grpc::InsecureChannelCredentials(), args));
        }
    }

    /// The i-th stubs spread over the channels (a stub is cheap; its channel is the connection).
    std::unique_ptr<pb::KV::Stub> kv(int i = 0) const {
        return pb::KV::NewStub(channels_[static_cast<std::size_t>(i) % channels_.size()]);
    }
    std::unique_ptr<pb::Watch::Stub> watch(int i = 0) const {
        return pb::Watch::NewStub(channels_[static_cast<std::size_t>(i) % channels_.size()]);
    }
    std::unique_ptr<pb::Maintenance::Stub> maintenance() const {
        return pb::Maintenance::NewStub(channels_[0]);
    }

    /// Waits (up to 30 s) until the endpoint answers a range.
    void wait_ready() const {
        auto stub = kv();
        const auto deadline = Clock::now() + std::chrono::seconds(30);
        for (;;) {
            grpc::ClientContext ctx;
            ctx.set_wait_for_ready(true);
            ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
            pb::RangeRequest req;
            req.set_key("/bench-ready");
            pb::RangeResponse resp;
            auto st = stub->Range(&ctx, req, &resp);
            if (st.ok()) {
                return;
            }
            if (Clock::now() > deadline) {
                fail("endpoint not ready: " + st.error_message());
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }

private:
    std::vector<std::shared_ptr<grpc::Channel>> channels_;
};

void set_deadline(grpc::ClientContext& ctx) {
    ctx.set_deadline(std::chrono::system_clock::now() + kRpcTimeout);
}

/// One durable put; returns the revision it created.
std::int64_t put(pb::KV::Stub& stub, const std::string& key, const std::string& value) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    pb::PutRequest req;
    req.set_key(key);
    req.set_value(value);
    pb::PutResponse resp;
    auto st = stub.Put(&ctx, req, &resp);
    if (!st.ok()) {
        fail("put " + key + ": " + st.error_message());
    }
    return resp.header().revision();
}

pb::RangeResponse range(pb::KV::Stub& stub, const pb::RangeRequest& req) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    pb::RangeResponse resp;
    auto st = stub.Range(&ctx, req, &resp);
    if (!st.ok()) {
        fail("range " + req.key() + ": " + st.error_message());
    }
    return resp;
}

/// Runs `body(i)` on `n` threads released together; returns the seconds until the last ends.
double run_threads(int n, const std::function<void(int)>& body) {
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < n; ++i) {
        threads.emplace_back([&, i] {
            ++ready;
            while (!go.load()) {
                std::this_thread::yield();
            }
            body(i);
        });
    }
    while (ready.load() < n) {
        std::this_thread::yield();
    }
    const auto start = Clock::now();
    go = true;
    for (auto& t : threads) {
        t.join();
    }
    return seconds_since(start);
}

void seq_put(const Options& o, const Client& client) {
    auto stub = client.kv();
    const std::string pad = filler(static_cast<std::size_t>(o.value_size), 1);
    const std::string prefix = std::string(kPrefix) + "seq/";
    put(*stub, prefix + "warmup", pad);
    Samples lat;
    const auto start = Clock::now();
    for (int i = 0; i < o.seq_puts; ++i) {
        const auto t0 = now_ns();
        put(*stub, numbered(prefix, i, 8), pad);
        lat.add(now_ns() - t0);
    }
    const double secs = seconds_since(start);
    Report(o, "seq_put")
        .integer("ops", o.seq_puts)
        .integer("value_bytes", o.value_size)
        .num("seconds", secs)
        .num("ops_per_s", o.seq_puts / secs)
        .num("p50_ms", lat.ms(0.50))
        .num("p99_ms", lat.ms(0.99))
        .print();
}

void concurrent(const Options& o, const Client& client) {
    const int writers = o.writers;
    const int per_writer = o.concurrent_puts / writers;
    const std::string pad = filler(static_cast<std::size_t>(o.value_size), 2);
    std::vector<std::unique_ptr<pb::KV::Stub>> stubs;
    for (int w = 0; w < writers; ++w) {
        stubs.push_back(client.kv(w));
        put(*stubs.back(), numbered(std::string(kPrefix) + "conc-warmup/", w, 2), pad);
    }
    std::vector<Samples> lat(static_cast<std::size_t>(writers));
    const double secs = run_threads(writers, [&](int w) {
        const std::string prefix = numbered(std::string(kPrefix) + "conc/", w, 2) + "/";
        auto& mine = lat[static_cast<std::size_t>(w)];
        for (int i = 0; i < per_writer; ++i) {
            const auto t0 = now_ns();
            put(*stubs[static_cast<std::size_t>(w)], numbered(prefix, i, 8), pad);
            mine.add(now_ns() - t0);
        }
    });
    Samples all;
    for (auto& s : lat) {
        all.merge(s);
    }
    const std::int64_t ops = static_cast<std::int64_t>(per_writer) * writers;
    Report(o, "concurrent")
        .integer("writers", writers)
        .integer("ops", ops)
        .integer("value_bytes", o.value_size)
        .num("seconds", secs)
        .num("ops_per_s", static_cast<double>(ops) / secs)
        .num("p50_ms", all.ms(0.50))
        .num("p99_ms", all.ms(0.99))
        .print();
}

void range_phase(const Options& o, const Client& client) {
    const std::string prefix = std::string(kPrefix) + "range/";
    const std::string pad = filler(static_cast<std::size_t>(o.value_size), 3);
    std::atomic<int> next{0};
    std::vector<std::unique_ptr<pb::KV::Stub>> stubs;
    for (int w = 0; w < o.writers; ++w) {
        stubs.push_back(client.kv(w));
    }
    const double load_secs = run_threads(o.writers, [&](int w) {
        for (int i = next++; i < o.range_keys; i = next++) {
            put(*stubs[static_cast<std::size_t>(w)], numbered(prefix, i, 6), pad);
        }
    });

    auto stub = client.kv();
    pb::RangeRequest full;
    full.set_key(prefix);
    full.set_range_end(prefix_end(prefix));
    std::int64_t bytes = 0;
    const auto first = range(*stub, full);  // a warm-up, and the size of what a range returns
    for (const auto& kv : first.kvs()) {
        bytes += static_cast<std::int64_t>(kv.key().size() + kv.value().size());
    }
    Samples full_lat;
    const auto start = Clock::now();
    for (int i = 0; i < o.ranges; ++i) {
        const auto t0 = now_ns();
        auto resp = range(*stub, full);
        full_lat.add(now_ns() - t0);
        if (resp.kvs_size() != o.range_keys) {
            fail("range returned " + std::to_string(resp.kvs_size()) + " keys, want " +
                 std::to_string(o.range_keys));
        }
    }
    const double full_secs = seconds_since(start);

    // The apiserver's paginated list: limit, then from the last key + "\0" at the first
    // page's revision.
    Samples walk_lat, page_lat;
    std::int64_t pages = 0;
    const auto walk_start = Clock::now();
    for (int i = 0; i < o.walks; ++i) {
        const auto w0 = now_ns();
        pb::RangeRequest req = full;
        req.set_limit(o.page_limit);
        std::int64_t seen = 0;
        for (;;) {
            const auto t0 = now_ns();
            auto resp = range(*stub, req);
            page_lat.add(now_ns() - t0);
            ++pages;
            seen += resp.kvs_size();
            if (!resp.more() || resp.kvs_size() == 0) {
                break;
            }
            req.set_key(resp.kvs(resp.kvs_size() - 1).key() + std::string(1, '\0'));
            req.set_revision(resp.header().revision());
        }
        walk_lat.add(now_ns() - w0);
        if (seen != o.range_keys) {
            fail("paginated walk saw " + std::to_string(seen) + " keys, want " +
                 std::to_string(o.range_keys));
        }
    }
    const double walk_secs = seconds_since(walk_start);
    Report(o, "range")
        .integer("keys", o.range_keys)
        .integer("range_bytes", bytes)
        .num("load_seconds", load_secs)
        .num("load_ops_per_s", o.range_keys / load_secs)
        .integer("ranges", o.ranges)
        .num("ranges_per_s", o.ranges / full_secs)
        .num("p50_ms", full_lat.ms(0.50))
        .num("p99_ms", full_lat.ms(0.99))
        .integer("page_limit", o.page_limit)
        .integer("walks", o.walks)
        .num("walks_per_s", o.walks / walk_secs)
        .num("walk_p50_ms", walk_lat.ms(0.50))
        .num("walk_p99_ms", walk_lat.ms(0.99))
        .integer("pages", pages)
        .num("page_p50_ms", page_lat.ms(0.50))
        .num("page_p99_ms", page_lat.ms(0.99))
        .print();
}

using WatchRw = grpc::ClientReaderWriter<pb::WatchRequest, pb::WatchResponse>;

struct WatchStreamState {
    grpc::ClientContext ctx;
    std::unique_ptr<pb::Watch::Stub> stub;
    std::unique_ptr<WatchRw> rw;
    int watches = 0;
    // (seq, receive ns) for every event received, read after the reader thread ends.
    std::vector<std::pair<std::int64_t, std::int64_t>> received;
};

void watch_phase(const Options& o, const Client& client) {
    const std::string prefix = std::string(kPrefix) + "watch/";
    const int events = static_cast<int>(o.watch_rate * o.watch_seconds);
    const int nstreams = std::max(1, std::min(o.watch_streams, o.watchers));
    std::vector<std::unique_ptr<WatchStreamState>> streams;
    for (int s = 0; s < nstreams; ++s) {
        auto st = std::make_unique<WatchStreamState>();
        st->watches = o.watchers / nstreams + (s < o.watchers % nstreams ? 1 : 0);
        st->stub = client.watch(s);
        st->rw = st->stub->Watch(&st->ctx);
        streams.push_back(std::move(st));
    }
    // Create every watch and wait for each to be confirmed before writing.
    for (auto& st : streams) {
        for (int w = 0; w < st->watches; ++w) {
            pb::WatchRequest req;
            req.mutable_create_request()->set_key(prefix);
            req.mutable_create_request()->set_range_end(prefix_end(prefix));
            if (!st->rw->Write(req)) {
                fail("watch stream closed while creating watches");
            }
        }
    }
    const auto create_start = Clock::now();
    for (auto& st : streams) {
        int created = 0;
        pb::WatchResponse resp;
        while (created < st->watches) {
            if (!st->rw->Read(&resp)) {
                fail("watch stream closed before its watches were created");
            }
            if (resp.created()) {
                if (resp.canceled()) {
                    fail("watch creation refused: " + resp.cancel_reason());
                }
                ++created;
            }
        }
    }
    const double create_secs = seconds_since(create_start);

    const std::int64_t expected = static_cast<std::int64_t>(events) * o.watchers;
    std::atomic<std::int64_t> delivered{0};
    std::vector<std::thread> readers;
    for (auto& st : streams) {
        readers.emplace_back([&delivered, s = st.get()] {
            pb::WatchResponse resp;
            while (s->rw->Read(&resp)) {
                const auto t = now_ns();
                for (const auto& ev : resp.events()) {
                    s->received.emplace_back(std::atoll(ev.kv().value().c_str()), t);
                }
                delivered += resp.events_size();
            }
        });
    }

    auto stub = client.kv();
    const std::string pad = filler(static_cast<std::size_t>(o.value_size), 4);
    std::vector<std::int64_t> sent(static_cast<std::size_t>(events));
    std::vector<std::int64_t> acked(static_cast<std::size_t>(events));
    Samples put_lat;
    const auto start = Clock::now();
    const auto period = std::chrono::nanoseconds(1'000'000'000LL / std::max(o.watch_rate, 1));
    for (int i = 0; i < events; ++i) {
        std::this_thread::sleep_until(start + period * i);
        const auto t0 = now_ns();
        sent[static_cast<std::size_t>(i)] = t0;
        put(*stub, numbered(prefix, i % 100, 3),
            stamped_value(i, t0, pad, static_cast<std::size_t>(o.value_size)));
        const auto t1 = now_ns();
        acked[static_cast<std::size_t>(i)] = t1;
        put_lat.add(t1 - t0);
    }
    const double write_secs = seconds_since(start);
    const auto drain_deadline = Clock::now() + std::chrono::seconds(10);
    while (delivered.load() < expected && Clock::now() < drain_deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    for (auto& st : streams) {
        st->ctx.TryCancel();
    }
    for (auto& t : readers) {
        t.join();
    }
    for (auto& st : streams) {
        st->rw->Finish();  // cancelled by us: the status says so and is not an error
    }

    Samples lat, after_ack;
    std::int64_t foreign = 0;
    for (auto& st : streams) {
        for (auto [seq, t] : st->received) {
            if (seq < 0 || seq >= events) {
                ++foreign;
                continue;
            }
            lat.add(t - sent[static_cast<std::size_t>(seq)]);
            after_ack.add(t - acked[static_cast<std::size_t>(seq)]);
        }
    }
    Report(o, "watch")
        .integer("watchers", o.watchers)
        .integer("streams", nstreams)
        .num("create_seconds", create_secs)
        .integer("events", events)
        .num("write_rate", events / write_secs)
        .integer("expected", expected)
        .integer("delivered", static_cast<std::int64_t>(lat.size()))
        .integer("foreign", foreign)
        .num("p50_ms", lat.ms(0.50))
        .num("p99_ms", lat.ms(0.99))
        .num("max_ms", lat.ms(1.0))
        .num("put_p50_ms", put_lat.ms(0.50))
        .num("put_p99_ms", put_lat.ms(0.99))
        .num("after_ack_p50_ms", after_ack.ms(0.50))
        .num("after_ack_p99_ms", after_ack.ms(0.99))
        .print();
}

std::int64_t file_size(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? static_cast<std::int64_t>(st.st_size) : 0;
}

std::int64_t files_size(const std::vector<std::string>& files) {
    std::int64_t total = 0;
    for (const auto& f : files) {
        total += file_size(f);
    }
    return total;
}

/// "name=bytes" for each file, by base name, comma-separated.
std::string files_detail(const std::vector<std::string>& files) {
    std::string out;
    for (const auto& f : files) {
        out += (out.empty() ? "" : ",") + f.substr(f.rfind('/') + 1) + "=" +
               std::to_string(file_size(f));
    }
    return out;
}

void compact(pb::KV::Stub& stub, std::int64_t revision) {
    grpc::ClientContext ctx;
    set_deadline(ctx);
    pb::CompactionRequest req;
    req.set_revision(revision);
    pb::CompactionResponse resp;
    auto st = stub.Compact(&ctx, req, &resp);
    // A revision already compacted is not a failure of the benchmark.
    if (!st.ok() && st.error_message().find("compacted") == std::string::npos) {
        fail("compact to " + std::to_string(revision) + ": " + st.error_message());
    }
}

void dbsize_phase(const Options& o, const Client& client) {
    const std::string prefix = std::string(kPrefix) + "db/";
    const std::string pad = filler(static_cast<std::size_t>(o.db_value_size), 5);
    std::vector<std::unique_ptr<pb::KV::Stub>> stubs;
    for (int w = 0; w < o.db_writers; ++w) {
        stubs.push_back(client.kv(w));
    }
    std::atomic<std::int64_t> next{0}, done{0}, latest_revision{0};
    std::atomic<bool> writing{true}, out_of_time{false};
    std::atomic<std::int64_t> peak{files_size(o.db_files)};
    const auto start = Clock::now();

    // Beside the writers: the compactor, and a sampler of the files' size and the time budget
    // (its own thread: skiff's Compact returns only once the space is reclaimed).
    Samples compact_lat;
    std::int64_t compactions = 0;
    std::thread compactor([&] {
        auto stub = client.kv();
        std::int64_t next_trigger = o.compact_every, previous = 0;
        while (writing.load()) {
            if (done.load() >= next_trigger) {
                if (previous > 0) {
                    const auto t0 = now_ns();
                    compact(*stub, previous);
                    compact_lat.add(now_ns() - t0);
                    ++compactions;
                }
                previous = latest_revision.load();
                next_trigger += o.compact_every;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    });
    std::thread sampler([&] {
        while (writing.load()) {
            peak = std::max(peak.load(), files_size(o.db_files));
            if (o.db_max_seconds > 0 && seconds_since(start) > o.db_max_seconds) {
                out_of_time = true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    std::vector<Samples> lat(static_cast<std::size_t>(o.db_writers));
    const double secs = run_threads(o.db_writers, [&](int w) {
        auto& stub = *stubs[static_cast<std::size_t>(w)];
        auto& mine = lat[static_cast<std::size_t>(w)];
        for (std::int64_t i = next++; i < o.db_updates && !out_of_time.load(); i = next++) {
            const auto t0 = now_ns();
            const std::int64_t rev = put(stub, numbered(prefix, i % o.db_keys, 4), pad);
            mine.add(now_ns() - t0);
            std::int64_t seen = latest_revision.load();
            while (rev > seen && !latest_revision.compare_exchange_weak(seen, rev)) {
            }
            ++done;
        }
    });
    writing = false;
    compactor.join();
    sampler.join();
    const std::int64_t end_size = files_size(o.db_files);
    const std::string end_detail = files_detail(o.db_files);
    peak = std::max(peak.load(), end_size);
    Samples put_lat;
    for (auto& s : lat) {
        put_lat.merge(s);
    }

    // Writes have stopped: the next periodic compaction reaches the last revision.
    auto stub = client.kv();
    const auto t0 = now_ns();
    compact(*stub, latest_revision.load());
    compact_lat.add(now_ns() - t0);
    ++compactions;
    std::this_thread::sleep_for(std::chrono::duration<double>(o.settle_seconds));
    const std::int64_t settled_size = files_size(o.db_files);
    const std::string settled_detail = files_detail(o.db_files);

    pb::RangeRequest all;
    all.set_key(prefix);
    all.set_range_end(prefix_end(prefix));
    std::int64_t live = 0, keys = 0;
    const auto remaining = range(*stub, all);
    for (const auto& kv : remaining.kvs()) {
        live += static_cast<std::int64_t>(kv.key().size() + kv.value().size());
        ++keys;
    }
    std::int64_t status_db_size = -1, status_in_use = -1;
    {
        grpc::ClientContext ctx;
        set_deadline(ctx);
        pb::StatusResponse resp;
        if (client.maintenance()->Status(&ctx, pb::StatusRequest(), &resp).ok()) {
            status_db_size = resp.dbsize();
            status_in_use = resp.dbsizeinuse();
        }
    }
    const std::int64_t updates = done.load();
    Report(o, "dbsize")
        .integer("updates", updates)
        .integer("updates_asked", o.db_updates)
        .boolean("cut_short", updates < o.db_updates)
        .integer("keys", keys)
        .integer("writers", o.db_writers)
        .integer("compact_every", o.compact_every)
        .integer("compactions", compactions)
        .num("compact_p99_ms", compact_lat.ms(0.99))
        .num("seconds", secs)
        .num("ops_per_s", static_cast<double>(updates) / secs)
        .num("p50_ms", put_lat.ms(0.50))
        .num("p99_ms", put_lat.ms(0.99))
        .integer("live_bytes", live)
        .integer("end_bytes", end_size)
        .str("end_files", end_detail)
        .integer("peak_bytes", peak.load())
        .integer("settled_bytes", settled_size)
        .str("settled_files", settled_detail)
        .num("settle_seconds", o.settle_seconds)
        .integer("status_db_size", status_db_size)
        .integer("status_db_size_in_use", status_in_use)
        .num("end_ratio", static_cast<double>(end_size) / static_cast<double>(live))
        .num("settled_ratio", static_cast<double>(settled_size) / static_cast<double>(live))
        .print();
}

const char* const kUsage =
    "usage: store_bench --endpoint HOST:PORT [--label NAME] [--phases a,b,...] [options]\n"
    "phases: seq_put concurrent range watch dbsize (default: all but dbsize)\n"
    "options (default):\n"
    "  --channels N (1)           gRPC connections the stubs are spread over\n"
    "  --value-size B (256)       value size of seq_put, concurrent, range and watch\n"
    "  --seq-puts N (2000)\n"
    "  --writers N (16)           threads of concurrent and of range's load\n"
    "  --concurrent-puts N (32000)\n"
    "  --range-keys N (10000) --ranges N (50) --page-limit N (500) --walks N (20)\n"
    "  --watchers N (100) --watch-streams N (10) --watch-rate N/s (200) --watch-seconds S (10)\n"
    "  --db-updates N (1000000) --db-keys N (1000) --db-value-size B (100) --db-writers N (16)\n"
    "  --compact-every N (10000)  writes between compactions (to the previous one's revision)\n"
    "  --db-max-seconds S (0)     stop dbsize's writes after S seconds (0: never); reported\n"
    "  --settle-seconds S (5)     wait after the final compaction before the last size\n"
    "  --db-file PATH             a database file to size (repeat; missing files count 0)\n";

Options parse(int argc, char** argv) {
    Options o;
    std::map<std::string, std::function<void(const std::string&)>> set = {
        {"endpoint", [&](const std::string& v) { o.endpoint = v; }},
        {"label", [&](const std::string& v) { o.label = v; }},
        {"phases", [&](const std::string& v) { o.phases = split(v, ','); }},
        {"channels", [&](const std::string& v) { o.channels = std::stoi(v); }},
        {"value-size", [&](const std::string& v) { o.value_size = std::stoi(v); }},
        {"seq-puts", [&](const std::string& v) { o.seq_puts = std::stoi(v); }},
        {"writers", [&](const std::string& v) { o.writers = std::stoi(v); }},
        {"concurrent-puts", [&](const std::string& v) { o.concurrent_puts = std::stoi(v); }},
        {"range-keys", [&](const std::string& v) { o.range_keys = std::stoi(v); }},
        {"ranges", [&](const std::string& v) { o.ranges = std::stoi(v); }},
        {"page-limit", [&](const std::string& v) { o.page_limit = std::stoi(v); }},
        {"walks", [&](const std::string& v) { o.walks = std::stoi(v); }},
        {"watchers", [&](const std::string& v) { o.watchers = std::stoi(v); }},
        {"watch-streams", [&](const std::string& v) { o.watch_streams = std::stoi(v); }},
        {"watch-rate", [&](const std::string& v) { o.watch_rate = std::stoi(v); }},
        {"watch-seconds", [&](const std::string& v) { o.watch_seconds = std::stod(v); }},
        {"db-updates", [&](const std::string& v) { o.db_updates = std::stoll(v); }},
        {"db-keys", [&](const std::string& v) { o.db_keys = std::stoi(v); }},
        {"db-value-size", [&](const std::string& v) { o.db_value_size = std::stoi(v); }},
        {"db-writers", [&](const std::string& v) { o.db_writers = std::stoi(v); }},
        {"compact-every", [&](const std::string& v) { o.compact_every = std::stoll(v); }},
        {"db-max-seconds", [&](const std::string& v) { o.db_max_seconds = std::stod(v); }},
        {"settle-seconds", [&](const std::string& v) { o.settle_seconds = std::stod(v); }},
        {"db-file", [&](const std::string& v) { o.db_files.push_back(v); }},
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
    if (o.writers < 1 || o.db_writers < 1 || o.db_keys < 1 || o.watchers < 1 ||
        o.compact_every < 1 || o.page_limit < 1) {
        fail(
            "--writers, --db-writers, --db-keys, --watchers, --compact-every and --page-limit "
            "must be positive");
    }
    return o;
}

}  // namespace
}  // namespace skiff::bench

int main(int argc, char** argv) {
    using namespace skiff::bench;
    const Options o = parse(argc, argv);
    Client client(o);
    client.wait_ready();
    for (const auto& phase : o.phases) {
        if (phase == "seq_put") {
            seq_put(o, client);
        } else if (phase == "concurrent") {
            concurrent(o, client);
        } else if (phase == "range") {
            range_phase(o, client);
        } else if (phase == "watch") {
            watch_phase(o, client);
        } else if (phase == "dbsize") {
            dbsize_phase(o, client);
        } else {
            fail("unknown phase \"" + phase + "\"\n" + kUsage);
        }
    }
    return 0;
}
