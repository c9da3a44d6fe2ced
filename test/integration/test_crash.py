"""Acknowledged writes survive `kill -9` of skiff server under a write load, 20 times over."""
import os
import signal
import subprocess
import threading
import time

import pytest

from conftest import Server, free_port
from test_etcdctl import ETCDCTL, Etcd

pytestmark = pytest.mark.skipif(
    ETCDCTL is None, reason="etcdctl is not installed (Debian package etcd-client)")

ROUNDS = 20


def write_until_refused(etcd, prefix, acked, stop):
    """Puts keys one after another; a key counts as acknowledged when etcdctl exits 0."""
    n = 0
    while not stop.is_set():
        key = f"{prefix}/{n:05d}"
        # Short timeouts: once the server is killed, etcdctl should give up quickly.
        r = subprocess.run([ETCDCTL, "--endpoints", etcd.endpoint, "--dial-timeout=1s",
                            "--command-timeout=2s", "put", key, f"value-{n}"],
                           capture_output=True, text=True, timeout=15,
                           env=dict(os.environ, ETCDCTL_API="3"))
        if r.returncode == 0:
            acked.append(key)
        elif stop.is_set():
            break
        n += 1


def test_acknowledged_writes_survive_sigkill(workdir):
    data_dir = os.path.join(workdir, "data")
    port, etcd_port = free_port(), free_port()
    all_acked = []
    for round_ in range(ROUNDS):
        server = Server(workdir, data_dir=data_dir, port=port,
                        datastore_listen=f"127.0.0.1:{etcd_port}").start()
        etcd = Etcd(server)
        try:
            # Everything acknowledged in earlier rounds is still there.
            keys = etcd.run("get", "/crash/", "--prefix", "--keys-only").stdout.split()
            missing = set(all_acked) - set(keys)
            assert not missing, f"round {round_}: lost {len(missing)} acknowledged writes"
            acked, stop = [], threading.Event()
            writers = [threading.Thread(target=write_until_refused,
                                        args=(etcd, f"/crash/{round_}-{w}", acked, stop))
                       for w in range(3)]
            for t in writers:
                t.start()
            time.sleep(0.4 + 0.05 * (round_ % 5))
            server.proc.send_signal(signal.SIGKILL)
            server.proc.wait()
            stop.set()
            for t in writers:
                t.join(timeout=30)
            assert acked, f"round {round_}: no write was acknowledged before the kill"
            all_acked.extend(acked)
        finally:
            server.stop(signal.SIGKILL)
    server = Server(workdir, data_dir=data_dir, port=port,
                    datastore_listen=f"127.0.0.1:{etcd_port}").start()
    try:
        keys = Etcd(server).run("get", "/crash/", "--prefix", "--keys-only").stdout.split()
        assert set(all_acked) <= set(keys)
    finally:
        server.stop()
