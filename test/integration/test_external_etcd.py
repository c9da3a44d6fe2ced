"""`skiff server --datastore-endpoint`: an external etcd 3.4 cluster as the datastore."""
import os
import shutil
import signal
import subprocess
import time

import pytest

from conftest import free_port, run_skiff

ETCD = shutil.which("etcd")
ETCDCTL = shutil.which("etcdctl")

pytestmark = pytest.mark.skipif(not ETCD or not ETCDCTL,
                                reason="needs etcd and etcdctl (Debian etcd-server, etcd-client)")


@pytest.fixture
def etcd(workdir):
    """One etcd 3.4 member on free loopback ports, killed by PID afterwards."""
    client, peer = free_port(), free_port()
    url = f"http://127.0.0.1:{client}"
    log = open(os.path.join(workdir, "etcd.log"), "w")
    proc = subprocess.Popen(
        [ETCD, "--name=solo", f"--data-dir={workdir}/etcd", f"--listen-client-urls={url}",
         f"--advertise-client-urls={url}", f"--listen-peer-urls=http://127.0.0.1:{peer}",
         f"--initial-advertise-peer-urls=http://127.0.0.1:{peer}",
         f"--initial-cluster=solo=http://127.0.0.1:{peer}", "--logger=zap", "--log-level=warn"],
        stdout=log, stderr=subprocess.STDOUT)
    env = dict(os.environ, ETCDCTL_API="3")
    deadline = time.time() + 20
    while subprocess.run([ETCDCTL, "--endpoints", url, "endpoint", "health"], env=env,
                         capture_output=True).returncode != 0:
        assert time.time() < deadline, "etcd did not come up"
        time.sleep(0.1)
    yield url
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    log.close()


def test_server_runs_on_an_external_etcd(server_factory, etcd):
    # A dead first endpoint is skipped: calls fail over to the next one.
    dead = f"http://127.0.0.1:{free_port()}"
    s = server_factory("--datastore-endpoint", f"{dead},{etcd}").start()
    out = s.output()
    assert f"datastore={dead},{etcd}" in out
    assert "datastore-listen=-" in out  # the external etcd serves etcd clients itself
    assert not os.path.exists(os.path.join(s.data_dir, "server", "db", "state.db"))
    assert s.stop() == 0


@pytest.mark.parametrize("endpoint,says", [
    ("127.0.0.1:2379", "is not a URL"),
    ("http://127.0.0.1", "needs a host and a port"),
    ("https://127.0.0.1:2379", "--datastore-cafile"),
])
def test_bad_datastore_endpoints_are_named(workdir, endpoint, says):
    r = run_skiff("server", "--data-dir", os.path.join(workdir, "data"), "--bind-address",
                  "127.0.0.1", "--https-listen-port", str(free_port()), "--write-kubeconfig",
                  os.path.join(workdir, "kubeconfig"), "--datastore-endpoint", endpoint)
    assert r.returncode == 1
    assert says in r.stderr
