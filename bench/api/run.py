#!/usr/bin/python3
"""Runs bench/api: pods created, listed and watched over HTTPS and in-process vs issue 4's targets.

Builds nothing: it needs `skiff` and `api_bench` already built (see bench/README.md). HTTP mode
starts `skiff server` on free 127.0.0.1 ports with a fresh data dir under a temp parent, runs
api_bench against it (16 creators, each its own HttpClient and connection), samples the server's
CPU and memory from /proc by PID, and stops it. Local mode runs api_bench alone: the same phases
through LocalClient over an in-process ApiServer and SqliteStore (sync full) under the same
parent. Every mode runs --rounds times (fresh server and store each time, the order of the modes
alternating) and each figure is the median. Prints the table, replaces its section of
docs/benchmarks.md, removes the temp dirs.
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
BEGIN = "<!-- bench:api -->"
END = "<!-- /bench:api -->"

FULL = {
    "pods": 10000,
    "clients": 16,
    "lists": 10,
    "walks": 5,
    "page-limit": 500,
    "watchers": 100,
    "watch-rate": 50,
    "watch-seconds": 10,
}
QUICK = dict(FULL, **{"pods": 1000, "lists": 5, "walks": 3, "watch-seconds": 5})

# Issue 4's targets, for 10k pods over HTTPS on 2 cores.
TARGET_CREATES_PER_S = 2000
TARGET_CREATE_P99_MS = 50
TARGET_LIST_MS = 150
TARGET_RSS_MB = 120






def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class SkiffServer:
    """`skiff server` with its own data dir under `parent`; stopped by PID."""

    def __init__(self, binary, parent):
        self.workdir = tempfile.mkdtemp(prefix="skiff-", dir=parent)
        self.data = os.path.join(self.workdir, "data")
        config = os.path.join(self.workdir, "config.yaml")
        open(config, "w").close()
        self.port = free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.argv = [binary, "server", "--data-dir", self.data, "--bind-address", "127.0.0.1",
                     "--https-listen-port", str(self.port),
                     "--write-kubeconfig", os.path.join(self.workdir, "kubeconfig.yaml"),
                     "--config", config, "--datastore-listen", f"127.0.0.1:{free_port()}",
                     "--datastore-sync", "full", "--disable-agent"]
        self.log_path = os.path.join(self.workdir, "skiff.log")
        self.proc = None

    @property
    def tls_dir(self):
        return os.path.join(self.data, "server", "tls")

    def start(self, timeout=30):
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(self.argv, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"skiff exited {self.proc.returncode}:\n{self.output()}")
            if "skiff server is serving" in self.output():
                try:
                    socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                    return self
                except OSError:
                    pass
            time.sleep(0.05)
        raise RuntimeError(f"skiff did not come up:\n{self.output()[-4000:]}")

    def output(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

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




def bench_argv(client, mode, params, extra):
    argv = [client, "--mode", mode, "--label", mode]
    for flag, value in params.items():
        argv += [f"--{flag}", str(value)]
    return argv + extra


def run_bench(argv, commands, server=None):
    """Runs api_bench; returns {phase: result}."""
    commands.append(quoted(argv))
    print(f"run.py: {quoted(argv)}", file=sys.stderr, flush=True)
    out = subprocess.run(argv, stdout=subprocess.PIPE, text=True, timeout=3600)
    if out.returncode != 0:
        log = f"; server log: {server.log_path}\n{server.output()[-3000:]}" if server else ""
        raise RuntimeError(f"api_bench --mode {argv[argv.index('--mode') + 1]} failed "
                           f"({out.returncode}){log}")
    results = {}
    for line in out.stdout.splitlines():
        if line.startswith("{"):
            r = json.loads(line)
            results[r["phase"]] = r
    return results


def run_http(args, params, parent, commands):
    server = SkiffServer(args.skiff, parent)
    try:
        commands.append(quoted(server.argv))
        server.start()
        time.sleep(1)  # let startup's allocations settle before the idle sample
        idle = rss_mb(server.proc.pid)
        extra = ["--server", server.url, "--tls-dir", server.tls_dir,
                 "--server-pid", str(server.proc.pid), "--threads", str(args.threads)]
        results = run_bench(bench_argv(args.client, "http", params, extra), commands, server)
        results["idle_rss_mb"] = idle
        return results
    finally:
        server.stop()
        shutil.rmtree(server.workdir, ignore_errors=True)


def run_local(args, params, parent, commands):
    return run_bench(bench_argv(args.client, "local", params, ["--data-dir", parent]), commands)


def median_result(runs):
    """Per field, the median of the rounds' numbers (the first round's text)."""
    out = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            m = statistics.median(r[key] for r in runs)
            out[key] = round(m) if isinstance(value, int) else m
    return out


def run_rounds(args, params, parent, commands):
    """Each round runs every mode once (HTTP on a fresh server), the order alternating, so
    that load from others on the machine hits both alike; figures are the rounds' medians."""
    runs = {mode: [] for mode in args.modes}
    for r in range(args.rounds):
        for mode in (args.modes if r % 2 == 0 else args.modes[::-1]):
            print(f"run.py: round {r + 1}/{args.rounds}: {mode}", file=sys.stderr, flush=True)
            run = run_http if mode == "http" else run_local
            runs[mode].append(run(args, params, parent, commands if r == 0 else []))
    results = {}
    for mode, rounds in runs.items():
        merged = {}
        for key in rounds[0]:
            if isinstance(rounds[0][key], dict):
                merged[key] = dict(median_result([r[key] for r in rounds]),
                                   rounds=[r[key] for r in rounds])
            else:
                merged[key] = statistics.median(r[key] for r in rounds)
        results[mode] = merged
    return results


def per_round(results, phase, key, fmt_one):
    """" (rounds: a, b, c)" for a figure of the HTTPS runs, each with the CPUs other work took
    meanwhile, or "" with one round."""
    rounds = results.get("http", {}).get(phase, {}).get("rounds", [])
    if len(rounds) < 2:
        return ""
    return " (rounds: " + ", ".join(
        f"{fmt_one(r[key])} with others at {r['others_cpus']:.2f} CPUs" for r in rounds) + ")"






def fmt(v):
    if v is None:
        return "–"
    if isinstance(v, int) or v >= 1000:
        return f"{v:,.0f}"
    return f"{v:.3g}" if v < 10 else f"{v:.1f}"


# (phase, key, label, unit, target text)
ROWS = [
    ("create", "creates_per_s", "create pods, 16 clients", "creates/s",
     f"≥ {TARGET_CREATES_PER_S:,}"),
    ("create", "p50_ms", "create p50", "ms", ""),
    ("create", "p99_ms", "create p99", "ms", f"≤ {TARGET_CREATE_P99_MS}"),
    ("create", "max_ms", "create max", "ms", ""),
    ("create", "server_cpu_s", "server CPU during the creates", "s", ""),
    ("create", "client_cpu_s", "api_bench CPU during the creates", "s", ""),
    ("create", "others_cpus", "other work on the machine during the creates", "CPUs", ""),
    ("create", "pod_bytes", "a created pod as JSON", "bytes", ""),
    ("list", "full_p50_ms", "full list through the Client, p50", "ms", f"≤ {TARGET_LIST_MS}"),
    ("list", "full_max_ms", "full list through the Client, max", "ms", ""),
    ("list", "raw_p50_ms", "full list as HTTP bytes (not parsed), p50", "ms", ""),
    ("list", "raw_max_ms", "full list as HTTP bytes, max", "ms", ""),
    ("list", "server_cpu_s", "server CPU during the list phase", "s", ""),
    ("list", "others_cpus", "other work on the machine during the lists", "CPUs", ""),
    ("list", "list_bytes", "full list response", "bytes", ""),
    ("list", "walk_p50_ms", "limit=500 walk of every pod, p50", "ms", ""),
    ("list", "page_p50_ms", "limit=500 page p50", "ms", ""),
    ("list", "page_p99_ms", "limit=500 page p99", "ms", ""),
    ("watch", "p50_ms", "watch delivery p50 (patch sent → event)", "ms", ""),
    ("watch", "p99_ms", "watch delivery p99 (patch sent → event)", "ms", ""),
    ("watch", "after_ack_p99_ms", "watch p99 after the patch's answer", "ms", ""),
    ("watch", "patch_p99_ms", "watch-phase patch p99", "ms", ""),
    ("watch", "server_cpu_s", "server CPU during the watch phase", "s", ""),
    ("watch", "client_cpu_s", "api_bench CPU during the watch phase", "s", ""),
    ("watch", "others_cpus", "other work on the machine during the watches", "CPUs", ""),
    ("create", "rss_mb", "server RSS after the creates", "MB", f"≤ {TARGET_RSS_MB}"),
    ("list", "rss_mb", "server RSS after the lists", "MB", ""),
    ("watch", "rss_mb", "server RSS after the watch phase", "MB", ""),
    ("watch", "hwm_mb", "server peak RSS (VmHWM)", "MB", ""),
]


def table(results):
    rows = []
    h, l = results.get("http", {}), results.get("local", {})
    if "idle_rss_mb" in h:
        rows.append(("server RSS idle, before the creates", "MB", fmt(h["idle_rss_mb"]), "–", ""))
    for phase, key, label, unit, target in ROWS:
        hv, lv = h.get(phase, {}).get(key), l.get(phase, {}).get(key)
        if hv is None and lv is None:
            continue
        rows.append((label, unit, fmt(hv), fmt(lv), target))
    return rows


def targets(results, quick):
    h = results.get("http", {})
    out = []
    if "create" in h:
        c = h["create"]
        out.append((f"≥ {TARGET_CREATES_PER_S:,} creates/s over HTTPS (16 clients)",
                    f"{c['creates_per_s']:,.0f}/s"
                    + per_round(results, "create", "creates_per_s", lambda v: f"{v:,.0f}"),
                    c["creates_per_s"] >= TARGET_CREATES_PER_S))
        out.append((f"create p99 ≤ {TARGET_CREATE_P99_MS} ms", f"{c['p99_ms']:.1f} ms"
                    + per_round(results, "create", "p99_ms", lambda v: f"{v:.1f}"),
                    c["p99_ms"] <= TARGET_CREATE_P99_MS))
    if "list" in h:
        li = h["list"]
        out.append((f"full list of {li['items']:,} pods ≤ {TARGET_LIST_MS} ms",
                    f"p50 {li['full_p50_ms']:.0f} ms"
                    + per_round(results, "list", "full_p50_ms", lambda v: f"{v:.0f}")
                    + f", max {li['full_max_ms']:.0f} ms through HttpClient; "
                    f"p50 {li.get('raw_p50_ms', 0):.0f} ms as bytes",
                    li["full_p50_ms"] <= TARGET_LIST_MS))
    if "create" in h:
        # With the pods stored, after each phase: what the server keeps, not its transient peak.
        after = [(p, h[p]["rss_mb"]) for p in ("create", "list", "watch") if p in h]
        worst = max(v for _, v in after)
        rss = ", ".join(f"{v:.0f} MB after the {p} phase" for p, v in after)
        if "watch" in h or "list" in h:
            rss += f"; peak {h.get('watch', h.get('list'))['hwm_mb']:.0f} MB"
        out.append((f"server RSS ≤ {TARGET_RSS_MB} MB with {h['create']['pods']:,} pods stored "
                    "(the highest of the after-phase samples)", rss, worst <= TARGET_RSS_MB))
    if quick:
        out = [(n + " (quick run: 1k pods, not the target's size)", v, ok) for n, v, ok in out]
    return out


def print_report(results, mach, quick):
    head = ("metric", "unit", "https", "local", "target")
    rows = table(results)
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(5)]
    for r in [head] + rows:
        print("  ".join(c.ljust(w) if i in (0, 1, 4) else c.rjust(w)
                        for i, (c, w) in enumerate(zip(r, widths))))
    print()
    for name, value, ok in targets(results, quick):
        print(f"target {'met   ' if ok else 'MISSED'} {name}: {value}")
    w = results.get("http", {}).get("watch")
    if w:
        print(f"watch (https): {w['delivered']:,} of {w['expected']:,} events delivered")
    print(f"\nmachine: {mach['nproc']} CPUs ({mach['cpu']}), load average {mach['loadavg']} at "
          f"start, {mach['loadavg_end']} at the end")


def markdown(results, mach, version, commands, args, started, seconds):
    mode = "quick" if args.quick else "full"
    params = QUICK if args.quick else FULL
    lines = [BEGIN, "## bench/api: pods through the Client, over HTTPS and in-process", ""]
    lines.append(f"Run {started} ({mode} mode, {seconds:.0f} s) with "
                 f"`{quoted([os.path.relpath(sys.argv[0], REPO)] + sys.argv[1:])}`.")
    if args.rounds > 1:
        lines += ["", f"Each mode ran {args.rounds} times (a fresh server and store each "
                  "time; the order of the modes alternating between rounds); each figure is "
                  "the median of the rounds."]
    lines += ["", "Machine:", "",
              f"- CPUs: {mach['nproc']} × {mach['cpu']} — **shared with other work during the "
              f"run** (load average at start: {mach['loadavg']}, at the end: "
              f"{mach['loadavg_end']}); api_bench and the server share them too",
              f"- memory: {mach['memory_gib']} GiB; kernel {mach['kernel']}",
              f"- data dirs: fresh temp dirs under `{mach['parent']}` ({mach['fs']})",
              f"- skiff: {version}; `--datastore-sync full` (fsync per group commit); local "
              "mode opens the same SqliteStore (sync full) in api_bench's process", "",
              f"What runs: {params['clients']} clients (coroutines on one thread of api_bench, "
              "each its own HttpClient and TLS connection; in local mode each a LocalClient) "
              f"create {params['pods']:,} pods in one namespace; each pod is a Deployment-style "
              "pod (4 labels, one container with image, args, 2 ports, 6 env vars, requests "
              "and limits, a readiness probe, a volume mount). Then "
              f"{params['lists']} full lists (no limit; one untimed first) and "
              f"{params['walks']} walks with limit={params['page-limit']}; then "
              f"{params['watchers']} watches (each its own connection) from the list's "
              f"resourceVersion while a writer merge-patches pods at {params['watch-rate']}/s "
              f"for {params['watch-seconds']} s with its send time in an annotation. Server CPU "
              "and memory are the server process's /proc figures (HTTPS column); in the local "
              "column they are api_bench's own process, client and server together.", "",
              "| metric | unit | https | local | target |", "|---|---|---:|---:|---|"]
    for r in table(results):
        lines.append("| " + " | ".join(r) + " |")
    lines += ["", "Targets (issue 4):", ""]
    for name, value, ok in targets(results, args.quick):
        lines.append(f"- {'met' if ok else '**missed**'}: {name} — {value}")
    for mode_name in ("http", "local"):
        w = results.get(mode_name, {}).get("watch")
        if w:
            lines.append(f"- watch ({mode_name}, no target): {w['delivered']:,} of "
                         f"{w['expected']:,} events delivered, {w['updates']} patches at "
                         f"{w['write_rate']:.0f}/s, delivery p99 {w['p99_ms']:.1f} ms"
                         + (per_round(results, "watch", "p99_ms", lambda v: f"{v:.1f}")
                            if mode_name == "http" else ""))
    if args.notes and os.path.exists(args.notes):
        with open(args.notes) as f:
            lines += ["", f.read().strip()]
    lines += ["", "Commands (ports and temp dirs are picked per run):", "", "```"]
    lines += commands
    lines += ["```", END]
    return "\n".join(lines) + "\n"




def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skiff", default=os.environ.get("SKIFF_BIN",
                                                      os.path.join(REPO, "build", "skiff")))
    ap.add_argument("--client", default=os.path.join(REPO, "build", "bench", "api", "api_bench"))
    ap.add_argument("--quick", action="store_true", help="1k pods, shorter watch (~20 s)")
    ap.add_argument("--modes", default="http,local", help="http, local or both (default)")
    ap.add_argument("--rounds", type=int,
                    help="runs of every mode, medians reported (default: 3, quick 1)")
    ap.add_argument("--threads", type=int, default=1,
                    help="api_bench's client threads in http mode (default: %(default)s)")
    ap.add_argument("--tmp", default=tempfile.gettempdir(),
                    help="parent of the temp data dirs (default: %(default)s)")
    ap.add_argument("--docs", default=DOCS, help="markdown file to update (default: %(default)s)")
    ap.add_argument("--notes", help="a markdown file whose text goes into the docs section "
                                    "(findings about the figures)")
    ap.add_argument("--no-docs", action="store_true", help="print only")
    ap.add_argument("--json", help="also write the raw results here")
    args = ap.parse_args()

    args.modes = [m for m in args.modes.split(",") if m]
    if not args.modes or any(m not in ("http", "local") for m in args.modes):
        sys.exit("run.py: --modes takes http, local or both")
    if args.rounds is None:
        args.rounds = 1 if args.quick else 3
    needed = [args.client] + ([args.skiff] if "http" in args.modes else [])
    for path in needed:
        if not os.access(path, os.X_OK):
            sys.exit(f"run.py: {path} is not an executable (build it first; see bench/README.md)")
    params = QUICK if args.quick else FULL
    parent = tempfile.mkdtemp(prefix="skiff-bench-api-", dir=args.tmp)
    mach = machine(parent)
    version = first_line([args.skiff, "--version"])
    started = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    t0 = time.time()
    commands = []
    try:
        results = run_rounds(args, params, parent, commands)
    finally:
        shutil.rmtree(parent, ignore_errors=True)
    seconds = time.time() - t0
    mach["loadavg_end"] = loadavg()
    print()
    print_report(results, mach, args.quick)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": mach, "version": version, "started": started,
                       "seconds": seconds, "commands": commands, "results": results}, f,
                      indent=2)
    if not args.no_docs:
        update_docs(args.docs, markdown(results, mach, version, commands, args, started,
                                        seconds), BEGIN, END)
        print(f"run.py: updated {args.docs}", file=sys.stderr)


if __name__ == "__main__":
    main()
