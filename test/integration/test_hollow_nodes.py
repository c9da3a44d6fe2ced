"""`skiff hollow-nodes`: hollow nodes joining a real `skiff server`, seen through kubectl."""
import json
import os
import shutil
import signal
import subprocess
import time

import pytest

from conftest import skiff_bin

KUBECTL = shutil.which("kubectl")
pytestmark = pytest.mark.skipif(not KUBECTL, reason="kubectl is not installed")


def kubectl(server, *args):
    env = dict(os.environ, KUBECONFIG=server.kubeconfig)
    r = subprocess.run([KUBECTL, "--cache-dir", os.path.join(server.workdir, "kcache"), *args],
                       capture_output=True, text=True, env=env, timeout=30)
    assert r.returncode == 0, r.stderr
    return r.stdout


def wait_for(check, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_hollow_nodes_register_and_run_bound_pods(server, workdir):
    log = open(os.path.join(workdir, "hollow.log"), "w")
    proc = subprocess.Popen([skiff_bin(), "hollow-nodes", "--kubeconfig", server.kubeconfig,
                             "--count", "2", "--cpu", "8"], stdout=log, stderr=subprocess.STDOUT)
    try:
        def nodes_ready():
            out = kubectl(server, "get", "nodes", "--no-headers")
            return out.count(" Ready ") == 2
        wait_for(nodes_ready)
        node = json.loads(kubectl(server, "get", "node", "hollow-1", "-o", "json"))
        assert node["status"]["capacity"]["cpu"] == "8"
        leases = kubectl(server, "get", "leases", "-n", "kube-node-lease", "-o", "name")
        assert "lease.coordination.k8s.io/hollow-0" in leases
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
               "spec": {"nodeName": "hollow-0",
                        "containers": [{"name": "c", "image": "busybox:1.36"}]}}
        subprocess.run([KUBECTL, "--cache-dir", os.path.join(server.workdir, "kcache"),
                        "create", "-f", "-"], input=json.dumps(pod), text=True, check=True,
                       env=dict(os.environ, KUBECONFIG=server.kubeconfig), capture_output=True)
        wait_for(lambda: "Running" in kubectl(server, "get", "pod", "p", "--no-headers"))
        row = kubectl(server, "get", "pod", "p", "--no-headers").split()
        assert row[:3] == ["p", "1/1", "Running"]
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
