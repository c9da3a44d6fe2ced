#!/usr/bin/python3
"""Runs bench/store: skiff's etcd facade and etcd 3.4 side by side, prints ratios, updates docs.

Builds nothing: it needs `skiff` and `store_bench` already built (see bench/README.md). Each
server is started on free 127.0.0.1 ports with a fresh data dir under one temp parent (same
disk), driven by store_bench one phase at a time, stopped by PID, and its dir removed.
The phases before dbsize run in rounds on both servers at once, alternating which goes first;
each figure is the median over the rounds. dbsize runs once, on fresh servers.
"""
import argparse
import datetime
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from benchlib import (REPO, first_line, free_port, loadavg, machine, quoted,  # noqa: E402
                      update_docs)
DOCS = os.path.join(REPO, "docs", "benchmarks.md")
BEGIN = "<!-- bench/store: begin (written by bench/store/run.py) -->"
END = "<!-- bench/store: end -->"

# Client flags per mode. dbsize's count is asked of skiff first, within db-max-seconds; etcd
# then runs the count skiff reached, so both files hold the same history.
FULL = {
    "seq-puts": 3000,
    "writers": 16,
    "concurrent-puts": 32000,
    "value-size": 256,
    "range-keys": 10000,
    "ranges": 50,
    "walks": 20,
    "page-limit": 500,
    "watchers": 100,
    "watch-streams": 10,
    "watch-rate": 200,
    "watch-seconds": 10,
    "db-updates": 1000000,
    "db-keys": 1000,
    "db-value-size": 100,
    "db-writers": 16,
    "compact-every": 10000,
    "db-max-seconds": 200,
    "settle-seconds": 5,
}
QUICK = dict(FULL, **{
    "seq-puts": 500,
    "concurrent-puts": 8000,
    "ranges": 10,
    "walks": 5,
    "watch-rate": 100,
    "watch-seconds": 5,
    "db-updates": 30000,
    "compact-every": 3000,
    "db-max-seconds": 20,
    "settle-seconds": 3,
})
PHASES = ["seq_put", "concurrent", "range", "watch"]
PHASE_FLAGS = {
    "seq_put": ["seq-puts", "value-size"],
    "concurrent": ["writers", "concurrent-puts", "value-size"],
    "range": ["writers", "range-keys", "ranges", "walks", "page-limit", "value-size"],
    "watch": ["watchers", "watch-streams", "watch-rate", "watch-seconds", "value-size"],
    "dbsize": ["db-updates", "db-keys", "db-value-size", "db-writers", "compact-every",
               "db-max-seconds", "settle-seconds"],
}






def cpu_seconds(pid):
    """utime + stime of a process, from /proc (clock ticks → seconds)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """One server process (skiff or etcd) with its own data dir; stopped by PID."""

    def __init__(self, name, argv, workdir, endpoint, db_files, ready_text):
        self.name, self.argv, self.workdir = name, argv, workdir
        self.endpoint, self.db_files, self.ready_text = endpoint, db_files, ready_text
        self.log_path = os.path.join(workdir, f"{name}.log")
        self.proc = None

    def start(self, timeout=30):
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(self.argv, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        host, port = self.endpoint.rsplit(":", 1)
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited {self.proc.returncode}:\n{self.output()}")
            if self.ready_text in self.output():
                try:
                    socket.create_connection((host, int(port)), timeout=1).close()
                    return self
                except OSError:
                    pass
            time.sleep(0.05)
        raise RuntimeError(f"{self.name} did not come up:\n{self.output()[-4000:]}")

    def output(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def cpu(self):
        return cpu_seconds(self.proc.pid)

    def stop(self, timeout=20):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def skiff_server(binary, parent):
    work = tempfile.mkdtemp(prefix="skiff-", dir=parent)
    data = os.path.join(work, "data")
    config = os.path.join(work, "config.yaml")
    open(config, "w").close()
    endpoint = f"127.0.0.1:{free_port()}"
    argv = [binary, "server", "--data-dir", data, "--bind-address", "127.0.0.1",
            "--https-listen-port", str(free_port()),
            "--write-kubeconfig", os.path.join(work, "kubeconfig.yaml"), "--config", config,
            "--datastore-listen", endpoint, "--datastore-sync", "full", "--disable-agent"]
    db = os.path.join(data, "server", "db", "state.db")
    return Server("skiff", argv, work, endpoint, [db, db + "-wal"], "skiff server is serving")


def etcd_server(binary, parent):
    work = tempfile.mkdtemp(prefix="etcd-", dir=parent)
    data = os.path.join(work, "data")
    client, peer = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    argv = [binary, "--name", "default", "--data-dir", data,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", f"default={peer}",
            "--quota-backend-bytes", str(8 * 1024 ** 3),
            "--logger", "zap", "--log-outputs", "stderr"]
    return Server("etcd", argv, work, client[len("http://"):],
                  [os.path.join(data, "member", "snap", "db")], "serving client traffic")


def client_argv(client, server, phase, params, overrides=None):
    argv = [client, "--endpoint", server.endpoint, "--label", server.name, "--phases", phase]
    values = dict(params, **(overrides or {}))
    for flag in PHASE_FLAGS[phase]:
        argv += [f"--{flag}", str(values[flag])]
    if phase == "dbsize":
        for f in server.db_files:
            argv += ["--db-file", f]
    return argv




def run_phase(client, server, phase, params, commands, overrides=None):
    argv = client_argv(client, server, phase, params, overrides)
    commands.append(quoted(argv))
    cpu0 = server.cpu()
    out = subprocess.run(argv, stdout=subprocess.PIPE, text=True, timeout=1800)
    if out.returncode != 0:
        raise RuntimeError(f"store_bench {phase} against {server.name} failed "
                           f"({out.returncode}); server log: {server.log_path}\n"
                           f"{server.output()[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["server_cpu_s"] = round(server.cpu() - cpu0, 2)
    return result


def run_group(make_server, phases, client, params, commands, overrides=None):
    """Starts a fresh server, runs `phases` against it one client process each, stops it."""
    server = make_server()
    try:
        commands.append(quoted(server.argv))
        server.start()
        return {p: run_phase(client, server, p, params, commands, (overrides or {}).get(p))
                for p in phases}
    finally:
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)


def median_result(runs):
    """One result per field: the median of the rounds' numbers, the first round's text."""
    out = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = statistics.median(r[key] for r in runs)
    return out


def run_rounds(makers, phases, client, params, commands, rounds):
    """Both servers up at once; each phase runs on one then the other, `rounds` times, the
    order swapping every round, so that load from others on the machine hits both alike."""
    servers = {}
    runs = {name: {p: [] for p in phases} for name in makers}
    try:
        for name, make in makers.items():
            servers[name] = make()
            commands.append(quoted(servers[name].argv))
            servers[name].start()
        names = list(makers)
        for r in range(rounds):
            for p in phases:
                for name in (names if r % 2 == 0 else names[::-1]):
                    print(f"run.py: round {r + 1}/{rounds}: {name}: {p}", file=sys.stderr,
                          flush=True)
                    runs[name][p].append(run_phase(client, servers[name], p, params,
                                                   commands if r == 0 else []))
    finally:
        for server in servers.values():
            server.stop()
            shutil.rmtree(server.workdir, ignore_errors=True)
    return {name: {p: dict(median_result(rs), rounds=rs) for p, rs in by_phase.items()}
            for name, by_phase in runs.items()}




# (phase, key, label, unit, higher is better)
ROWS = [
    ("seq_put", "ops_per_s", "sequential put", "ops/s", True),
    ("seq_put", "p50_ms", "sequential put p50", "ms", False),
    ("seq_put", "p99_ms", "sequential put p99", "ms", False),
    ("concurrent", "ops_per_s", "16 writers put", "ops/s", True),
    ("concurrent", "p50_ms", "16 writers put p50", "ms", False),
    ("concurrent", "p99_ms", "16 writers put p99", "ms", False),
    ("range", "load_ops_per_s", "load 10k keys (16 writers)", "ops/s", True),
    ("range", "ranges_per_s", "full range of 10k keys", "ranges/s", True),
    ("range", "p99_ms", "full range p99", "ms", False),
    ("range", "walks_per_s", "limit=500 walk of 10k keys", "walks/s", True),
    ("range", "walk_p99_ms", "limit=500 walk p99", "ms", False),
    ("range", "page_p99_ms", "limit=500 page p99", "ms", False),
    ("watch", "p50_ms", "watch delivery p50 (put sent → event)", "ms", False),
    ("watch", "p99_ms", "watch delivery p99 (put sent → event)", "ms", False),
    ("watch", "after_ack_p99_ms", "watch p99 after the put's ack", "ms", False),
    ("watch", "put_p99_ms", "watch-phase put p99", "ms", False),
    ("dbsize", "ops_per_s", "dbsize put (16 writers, compacting)", "ops/s", True),
    ("dbsize", "p99_ms", "dbsize put p99", "ms", False),
    ("dbsize", "compact_p99_ms", "Compact call p99", "ms", False),
    ("dbsize", "end_bytes", "db file at end of writes", "bytes", False),
    ("dbsize", "peak_bytes", "db file peak", "bytes", False),
    ("dbsize", "settled_bytes", "db file after last compaction + settle", "bytes", False),
    ("dbsize", "settled_ratio", "settled db file / live data", "×", False),
]


def fmt(v):
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, int) or (isinstance(v, float) and v >= 1000):
        return f"{v:,.0f}"
    return f"{v:.3g}" if v < 10 else f"{v:.1f}"


def table(results):
    rows = []
    for phase, key, label, unit, higher in ROWS:
        s, e = results["skiff"].get(phase, {}).get(key), results["etcd"].get(phase, {}).get(key)
        if s is None or e is None:
            continue
        ratio = f"{s / e:.2f}" if e else "n/a"
        rows.append((label, unit, fmt(s), fmt(e), ratio, "higher" if higher else "lower"))
    for phase in list(PHASES) + ["dbsize"]:
        s, e = results["skiff"].get(phase), results["etcd"].get(phase)
        if s and e:
            ratio = f"{s['server_cpu_s'] / e['server_cpu_s']:.2f}" if e["server_cpu_s"] else "n/a"
            rows.append((f"server CPU in {phase}", "s", fmt(s["server_cpu_s"]),
                         fmt(e["server_cpu_s"]), ratio, "lower"))
    return rows


def per_round(results, phase, fn):
    """` (rounds: a, b, c)` with fn(skiff round, etcd round) per round, or ""."""
    s = results["skiff"].get(phase, {}).get("rounds", [])
    e = results["etcd"].get(phase, {}).get("rounds", [])
    if len(s) < 2 or len(s) != len(e):
        return ""
    return " (rounds: " + ", ".join(fn(a, b) for a, b in zip(s, e)) + ")"


def targets(results):
    s, e = results["skiff"], results["etcd"]
    out = []
    if "concurrent" in s:
        r = s["concurrent"]["ops_per_s"] / e["concurrent"]["ops_per_s"]
        rounds = per_round(results, "concurrent",
                           lambda a, b: f"{a['ops_per_s'] / b['ops_per_s']:.2f}×")
        out.append(("durable put throughput, 16 writers ≥ 1.5× etcd", f"{r:.2f}×{rounds}",
                    r >= 1.5))
    if "watch" in s:
        p = s["watch"]["p99_ms"]
        rounds = per_round(results, "watch", lambda a, b: f"{a['p99_ms']:.1f}")
        out.append(("watch delivery p99 ≤ 5 ms (100 watchers)",
                    f"{p:.2f} ms{rounds}; etcd {e['watch']['p99_ms']:.2f} ms", p <= 5))
    if "dbsize" in s:
        d, de = s["dbsize"], e.get("dbsize", {})
        r = d["settled_ratio"]
        etcd = ""
        if de:
            etcd = (f"; etcd {de['settled_ratio']:.1f}× (its pages in use: "
                    f"{de['status_db_size_in_use'] / de['live_bytes']:.1f}×)")
        out.append((f"db file ≤ 2× live data after {d['updates']:,} updates over "
                    f"{d['keys']} keys, compacting",
                    f"{r:.1f}× settled, {d['end_ratio']:.1f}× at the end of the writes, "
                    f"{d['peak_bytes'] / d['live_bytes']:.1f}× at the peak{etcd}", r <= 2))
    return out


def print_report(results, mach):
    rows = table(results)
    widths = [max(len(r[i]) for r in rows + [("metric", "unit", "skiff", "etcd", "skiff/etcd",
                                                "better")]) for i in range(6)]
    head = ("metric", "unit", "skiff", "etcd", "skiff/etcd", "better")
    for r in [head] + rows:
        print("  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in
                        enumerate(zip(r, widths))))
    print()
    for name, value, ok in targets(results):
        print(f"target {'met   ' if ok else 'MISSED'} {name}: {value}")
    for name in ("skiff", "etcd"):
        d = results[name].get("dbsize")
        if d and d["cut_short"]:
            print(f"note: {name} dbsize ran {d['updates']:,} of {d['updates_asked']:,} updates "
                  f"(cut short at its time budget)")
    print(f"\nmachine: {mach['nproc']} CPUs ({mach['cpu']}), {mach['fs']} under {mach['parent']}, "
          f"kernel {mach['kernel']}")


def markdown(results, mach, versions, commands, args, started, seconds):
    mode = "quick" if args.quick else "full"
    lines = [BEGIN, "## bench/store: skiff's etcd facade over SQLite vs etcd 3.4", ""]
    lines.append(f"Run {started} ({mode} mode, {seconds:.0f} s) with "
                 f"`{quoted([os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:])}`.")
    rounds = results["skiff"].get("seq_put", {}).get("rounds") or results["skiff"].get(
        "watch", {}).get("rounds")
    if rounds:
        lines += ["", f"The phases before dbsize ran {len(rounds)} rounds, each figure is "
                  "their median: in every round each phase runs on skiff and on etcd (both "
                  "servers up, one idle while the other runs), the order alternating between "
                  "rounds. dbsize runs once, on fresh servers."]
    lines += ["", "Machine:", "",
              f"- CPUs: {mach['nproc']} × {mach['cpu']} — **shared with other work during the "
              "run** "
              f"(load average at start: {mach['loadavg']}, at the end: {mach['loadavg_end']}); "
              "client and server share them too",
              f"- memory: {mach['memory_gib']} GiB; kernel {mach['kernel']}",
              f"- data dirs: fresh temp dirs under `{mach['parent']}` ({mach['fs']}), both servers "
              f"on the same disk",
              f"- skiff: {versions['skiff']}; `--datastore-sync full` (fsync per group commit)",
              f"- etcd: {versions['etcd']} (Debian etcd-server), single member, default "
              f"snapshot-count", "", "Results (ratio = skiff/etcd; the last column says which "
              "direction is better):", "",
              "| metric | unit | skiff | etcd | skiff/etcd | better |",
              "|---|---|---:|---:|---:|---|"]
    for r in table(results):
        lines.append("| " + " | ".join(r) + " |")
    lines += ["", "Targets (issue 3 item 6):", ""]
    for name, value, ok in targets(results):
        lines.append(f"- {'met' if ok else '**missed**'}: {name} — skiff {value}")
    for name in ("skiff", "etcd"):
        d = results[name].get("dbsize")
        if d and d["cut_short"]:
            lines.append(f"- {name}'s dbsize phase was cut short at its time budget: "
                         f"{d['updates']:,} of {d['updates_asked']:,} updates")
    d = results["skiff"].get("dbsize")
    if d:
        lines += ["", f"dbsize ran {d['updates']:,} updates ({d['updates_asked']:,} asked; "
                  f"skiff first within {args_db_budget(args)} s, etcd then ran skiff's count) "
                  f"over {d['keys']} keys of "
                  f"{d['live_bytes'] // d['keys']} B key+value (live data {d['live_bytes']:,} B), "
                  f"{d['writers']} writers, Compact every {d['compact_every']:,} writes to the "
                  "revision seen at the previous one (kube-apiserver's policy on a write count); "
                  "after the writes, one Compact to the last revision, then "
                  f"{d['settle_seconds']:g} s before the settled size. skiff's file is state.db + "
                  "state.db-wal, etcd's member/snap/db (bbolt never gives pages back without a "
                  "defrag)."]
        e = results["etcd"].get("dbsize", {})
        lines += ["", f"Files at the end of the writes: skiff {d['end_files']}; etcd "
                  f"{e.get('end_files', 'n/a')}. Settled: skiff {d['settled_files']}; etcd "
                  f"{e.get('settled_files', 'n/a')} (etcd's Status dbSizeInUse: "
                  f"{e.get('status_db_size_in_use', 'n/a'):,} B)."]
    w = results["skiff"].get("watch")
    if w:
        lines += ["", f"watch: {w['watchers']} watches on one prefix over {w['streams']} "
                  f"streams, {w['events']} puts at {w['write_rate']:.0f}/s; latency = event "
                  "received − put sent (so it includes the put's fsync); skiff delivered "
                  f"{w['delivered']:,} of {w['expected']:,}, etcd "
                  f"{results['etcd']['watch']['delivered']:,}."]
    lines += ["", "Commands (ports and temp dirs are picked per run):", "", "```"]
    lines += commands
    lines += ["```", END]
    return "\n".join(lines) + "\n"


def args_db_budget(args):
    return (QUICK if args.quick else FULL)["db-max-seconds"]




def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skiff", default=os.environ.get("SKIFF_BIN",
                                                      os.path.join(REPO, "build", "skiff")))
    ap.add_argument("--client", default=os.path.join(REPO, "build", "bench", "store",
                                                     "store_bench"))
    ap.add_argument("--etcd", default="/usr/bin/etcd")
    ap.add_argument("--quick", action="store_true", help="about a minute, smaller counts")
    ap.add_argument("--tmp", default=tempfile.gettempdir(),
                    help="parent of the servers' temp data dirs (default: %(default)s)")
    ap.add_argument("--phases", default=",".join(PHASES + ["dbsize"]))
    ap.add_argument("--rounds", type=int,
                    help="rounds of the phases before dbsize, medians reported (default: 3, "
                         "quick 1)")
    ap.add_argument("--docs", default=DOCS, help="markdown file to update (default: %(default)s)")
    ap.add_argument("--no-docs", action="store_true", help="print only")
    ap.add_argument("--json", help="also write the raw results here")
    args = ap.parse_args()

    for path in (args.skiff, args.client, args.etcd):
        if not os.access(path, os.X_OK):
            sys.exit(f"run.py: {path} is not an executable (build it first; see bench/README.md)")
    params = QUICK if args.quick else FULL
    if args.rounds is None:
        args.rounds = 1 if args.quick else 3
    phases = args.phases.split(",")
    group = [p for p in PHASES if p in phases]
    parent = tempfile.mkdtemp(prefix="skiff-bench-store-", dir=args.tmp)
    mach = machine(parent)
    versions = {"skiff": first_line([args.skiff, "--version"]),
                "etcd": first_line([args.etcd, "--version"])}
    started = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    t0 = time.time()
    results = {"skiff": {}, "etcd": {}}
    commands = []
    make = {"skiff": lambda: skiff_server(args.skiff, parent),
            "etcd": lambda: etcd_server(args.etcd, parent)}
    try:
        if group:
            for name, by_phase in run_rounds(make, group, args.client, params, commands,
                                             args.rounds).items():
                results[name].update(by_phase)
        if "dbsize" in phases:
            print("run.py: skiff: dbsize", file=sys.stderr, flush=True)
            results["skiff"].update(run_group(make["skiff"], ["dbsize"], args.client, params,
                                              commands))
            reached = results["skiff"]["dbsize"]["updates"]
            print(f"run.py: etcd: dbsize ({reached} updates, as skiff)", file=sys.stderr,
                  flush=True)
            results["etcd"].update(run_group(make["etcd"], ["dbsize"], args.client, params,
                                             commands, {"dbsize": {"db-updates": reached}}))
    finally:
        shutil.rmtree(parent, ignore_errors=True)
    seconds = time.time() - t0
    mach["loadavg_end"] = loadavg()
    print()
    print_report(results, mach)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": mach, "versions": versions, "started": started,
                       "seconds": seconds, "commands": commands, "results": results}, f,
                      indent=2)
    if not args.no_docs:
        update_docs(args.docs, markdown(results, mach, versions, commands, args, started,
                                        seconds), BEGIN, END)
        print(f"run.py: updated {args.docs}", file=sys.stderr)


if __name__ == "__main__":
    main()
