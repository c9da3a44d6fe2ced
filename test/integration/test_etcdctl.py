"""The etcd v3 facade of `skiff server`, driven by the real etcdctl 3.4."""
import base64
import json
import os
import queue
import shutil
import signal
import subprocess
import threading
import time

import pytest

from conftest import Server, free_port

ETCDCTL = shutil.which("etcdctl")
pytestmark = pytest.mark.skipif(
    ETCDCTL is None, reason="etcdctl is not installed (Debian package etcd-client)")


class Etcd:
    """A skiff server with its datastore on a free loopback port, and etcdctl against it."""

    def __init__(self, server):
        self.server = server
        self.endpoint = server.datastore_listen

    def run(self, *args, input=None, check=True, timeout=20):
        env = dict(os.environ, ETCDCTL_API="3")
        r = subprocess.run([ETCDCTL, "--endpoints", self.endpoint, "--command-timeout=10s",
                            *args], input=input, capture_output=True, text=True, env=env,
                           timeout=timeout)
        if check:
            assert r.returncode == 0, f"etcdctl {args}: {r.stdout}{r.stderr}"
        return r

    def json(self, *args):
        return json.loads(self.run(*args, "-w", "json").stdout)

    def get(self, *args):
        """The kvs of `etcdctl get`, keys and values decoded, plus the whole response."""
        resp = self.json("get", *args)
        kvs = [(b64(kv["key"]), b64(kv.get("value", ""))) for kv in resp.get("kvs", [])]
        return kvs, resp

    def put(self, key, value, *args):
        assert self.run("put", key, value, *args).stdout.strip() == "OK"

    def revision(self):
        return self.json("get", "nothing-here")["header"]["revision"]


def b64(text):
    return base64.b64decode(text).decode()


def start_server(workdir, data_dir=None):
    return Server(workdir, data_dir=data_dir, datastore_listen=f"127.0.0.1:{free_port()}").start()


@pytest.fixture
def etcd(workdir):
    s = start_server(workdir)
    yield Etcd(s)
    s.stop(signal.SIGKILL)


def test_put_get_del(etcd):
    base = etcd.revision()  # the API server's bootstrap objects come first
    etcd.put("/a/1", "one")
    etcd.put("/a/2", "two")
    etcd.put("/a/3", "three")
    etcd.put("/b", "bee")
    assert etcd.run("get", "/a/1").stdout == "/a/1\none\n"
    kvs, resp = etcd.get("/a/", "--prefix")
    assert kvs == [("/a/1", "one"), ("/a/2", "two"), ("/a/3", "three")]
    assert resp["count"] == 3
    assert resp["header"]["revision"] == base + 4
    kvs, resp = etcd.get("/a/", "--prefix", "--limit", "2")
    assert kvs == [("/a/1", "one"), ("/a/2", "two")]
    assert resp["more"] is True and resp["count"] == 3
    kvs, _ = etcd.get("/a/", "--prefix", "--keys-only")
    assert kvs == [("/a/1", ""), ("/a/2", ""), ("/a/3", "")]

    etcd.put("/a/1", "uno")
    kvs, _ = etcd.get("/a/1", "--rev", str(base + 1))
    assert kvs == [("/a/1", "one")]
    kvs, resp = etcd.get("/a/1")
    assert kvs == [("/a/1", "uno")]
    assert resp["kvs"][0]["version"] == 2 and resp["kvs"][0]["create_revision"] == base + 1

    assert etcd.run("del", "/b").stdout.strip() == "1"
    assert etcd.run("del", "/b").stdout.strip() == "0"
    out = etcd.run("del", "/a/", "--prefix", "--prev-kv").stdout
    assert out.splitlines()[0] == "3" and "uno" in out
    assert etcd.get("/a/", "--prefix")[0] == [] and etcd.get("/b")[0] == []

    r = etcd.run("get", "/a/1", "--rev", "1000", check=False)
    assert r.returncode != 0
    assert "required revision is a future revision" in r.stderr
    r = etcd.run("get", "/a/", "--prefix", "--order", "DESCEND", check=False)
    assert r.returncode != 0 and "DESCEND" in r.stderr


def test_put_prev_kv(etcd):
    etcd.put("k", "v1")
    out = etcd.run("put", "k", "v2", "--prev-kv").stdout
    assert out.splitlines() == ["OK", "k", "v1"]
    r = etcd.run("put", "k", "--ignore-value", check=False)
    assert r.returncode != 0 and "ignore_value" in r.stderr


class LineReader:
    """Collects a process's stdout lines on a thread, so reads can time out."""

    def __init__(self, proc):
        self.lines = queue.Queue()
        self.thread = threading.Thread(target=self._run, args=(proc.stdout,), daemon=True)
        self.thread.start()

    def _run(self, stream):
        for line in stream:
            self.lines.put(line.rstrip("\n"))

    def until(self, want, timeout=10):
        """Lines read until each of `want` has been seen."""
        seen = []
        deadline = time.time() + timeout
        while not all(w in seen for w in want):
            left = deadline - time.time()
            try:
                seen.append(self.lines.get(timeout=max(left, 0.01)))
            except queue.Empty:
                raise AssertionError(f"watch output {seen} lacks {want}")
        return seen


def test_watch_prev_kv(etcd):
    etcd.put("/w/x", "old")
    # Watching from the next revision makes the test independent of when the watch is set up.
    start = etcd.revision() + 1
    env = dict(os.environ, ETCDCTL_API="3")
    proc = subprocess.Popen([ETCDCTL, "--endpoints", etcd.endpoint, "watch", "/w/", "--prefix",
                             "--prev-kv", "--rev", str(start)], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=env)
    reader = LineReader(proc)
    try:
        etcd.put("/w/x", "new")
        seen = reader.until(["PUT", "/w/x", "old", "new"])
        assert seen == ["PUT", "/w/x", "old", "/w/x", "new"], seen
        etcd.run("del", "/w/x")
        seen = reader.until(["DELETE", "/w/x", "new"])
        assert seen[:3] == ["DELETE", "/w/x", "new"], seen
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        reader.thread.join(timeout=5)
        proc.stdout.close()


def test_watch_from_revision_and_compacted(etcd):
    etcd.put("/r", "1")
    first = etcd.revision()
    etcd.put("/r", "2")
    env = dict(os.environ, ETCDCTL_API="3")
    r = subprocess.run(["timeout", "3", ETCDCTL, "--endpoints", etcd.endpoint, "watch", "/r",
                        "--rev", str(first)], capture_output=True, text=True, env=env)
    assert r.stdout.splitlines()[:6] == ["PUT", "/r", "1", "PUT", "/r", "2"], r.stdout
    etcd.run("compaction", str(first + 1))
    r = subprocess.run(["timeout", "3", ETCDCTL, "--endpoints", etcd.endpoint, "watch", "/r",
                        "--rev", str(first)], capture_output=True, text=True, env=env)
    assert "required revision has been compacted" in r.stdout + r.stderr


def test_txn(etcd):
    etcd.put("key1", "val1")
    script = ('value("key1") = "val1"\n\n'
              "put key2 val2\nget key1\n\n"
              "get key1\n\n")
    out = etcd.run("txn", input=script).stdout.splitlines()
    assert out[0] == "SUCCESS" and "OK" in out and "val1" in out
    assert etcd.get("key2")[0] == [("key2", "val2")]
    script = ('mod("key1") > "1000"\n\n'
              "put key3 val3\n\n"
              "get key2\n\n")
    out = etcd.run("txn", input=script).stdout.splitlines()
    assert out[0] == "FAILURE" and out[-2:] == ["key2", "val2"]
    assert etcd.get("key3")[0] == []


def lease_id(grant_output):
    # "lease 694d7a8f3ec5d40b granted with TTL(2s)"
    return grant_output.split()[1]


def test_lease_expiry(etcd):
    lease = lease_id(etcd.run("lease", "grant", "2").stdout)
    etcd.put("/leased", "v", "--lease", lease)
    assert etcd.get("/leased")[0] == [("/leased", "v")]
    deadline = time.time() + 10
    while time.time() < deadline and etcd.get("/leased")[0]:
        time.sleep(0.2)
    assert etcd.get("/leased")[0] == []
    out = etcd.run("lease", "timetolive", lease).stdout
    assert "already expired" in out
    r = etcd.run("put", "/leased", "v", "--lease", lease, check=False)
    assert r.returncode != 0 and "requested lease not found" in r.stderr


def test_lease_keepalive_ttl_revoke(etcd):
    lease = lease_id(etcd.run("lease", "grant", "60").stdout)
    etcd.put("/l/1", "a", "--lease", lease)
    etcd.put("/l/2", "b", "--lease", lease)
    out = etcd.run("lease", "keep-alive", "--once", lease).stdout
    assert f"lease {lease} keepalived with TTL(60)" in out
    out = etcd.run("lease", "timetolive", lease, "--keys").stdout
    assert "granted with TTL(60s)" in out and "/l/1" in out and "/l/2" in out
    assert "revoked" in etcd.run("lease", "revoke", lease).stdout
    assert etcd.get("/l/", "--prefix")[0] == []
    r = etcd.run("lease", "revoke", lease, check=False)
    assert r.returncode != 0 and "requested lease not found" in r.stderr


def test_compaction(etcd):
    for i in range(5):
        etcd.put("/c", str(i))
    rev = etcd.revision()
    assert etcd.run("compaction", str(rev - 1)).stdout.strip() == f"compacted revision {rev - 1}"
    r = etcd.run("get", "/c", "--rev", str(rev - 2), check=False)
    assert r.returncode != 0
    assert "etcdserver: mvcc: required revision has been compacted" in r.stderr
    assert etcd.get("/c", "--rev", str(rev - 1))[0] == [("/c", "3")]
    assert etcd.get("/c")[0] == [("/c", "4")]


def test_endpoint_status(etcd):
    base = etcd.revision()
    etcd.put("x", "y")
    [status] = etcd.json("endpoint", "status")
    assert status["Endpoint"] == etcd.endpoint
    st = status["Status"]
    assert st["version"] == "3.5.13"
    assert st["dbSize"] > 0
    assert st["header"]["revision"] == base + 1
    assert st["header"]["member_id"] == st["leader"] != 0
    assert st["header"]["cluster_id"] != 0


def test_unsupported_methods_are_named(etcd):
    r = etcd.run("member", "list", check=False)
    assert r.returncode != 0
    assert "Unimplemented" in r.stderr and "MemberList is not supported" in r.stderr
    r = etcd.run("lease", "list", check=False)
    assert r.returncode != 0 and "LeaseLeases" in r.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_values_survive_restart(workdir, sig):
    data_dir = os.path.join(workdir, "data")
    s = start_server(workdir, data_dir=data_dir)
    try:
        etcd = Etcd(s)
        etcd.put("/keep/a", "1")
        etcd.put("/keep/b", "2")
        rev = etcd.revision()
        code = s.stop(sig)
        if sig == signal.SIGTERM:
            assert code == 0, s.output()
            assert "stopped" in s.output()
    finally:
        s.stop(signal.SIGKILL)
    s = start_server(workdir, data_dir=data_dir)
    try:
        etcd = Etcd(s)
        assert etcd.get("/keep/", "--prefix")[0] == [("/keep/a", "1"), ("/keep/b", "2")]
        assert etcd.revision() == rev
    finally:
        s.stop(signal.SIGKILL)


def test_sigterm_with_open_watch(etcd):
    env = dict(os.environ, ETCDCTL_API="3")
    proc = subprocess.Popen([ETCDCTL, "--endpoints", etcd.endpoint, "watch", "/x"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        time.sleep(0.5)
        started = time.time()
        assert etcd.server.stop(signal.SIGTERM) == 0
        assert time.time() - started < 1.5  # streams are cancelled, not waited for
    finally:
        proc.kill()
        proc.wait()


def test_unix_socket(workdir):
    sock = os.path.join(workdir, "etcd.sock")
    s = Server(workdir, ("--datastore-listen", sock)).start()
    try:
        env = dict(os.environ, ETCDCTL_API="3")
        r = subprocess.run([ETCDCTL, "--endpoints", f"unix://{sock}", "put", "u", "v"],
                           capture_output=True, text=True, env=env, timeout=20)
        assert r.returncode == 0, r.stderr
    finally:
        s.stop(signal.SIGKILL)
