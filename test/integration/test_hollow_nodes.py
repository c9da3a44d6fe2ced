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


def test_the_scheduler_places_pods_on_hollow_nodes(server, workdir):
    log = open(os.path.join(workdir, "hollow2.log"), "w")
    proc = subprocess.Popen([skiff_bin(), "hollow-nodes", "--kubeconfig", server.kubeconfig,
                             "--count", "2", "--cpu", "1"], stdout=log, stderr=subprocess.STDOUT)
    env = dict(os.environ, KUBECONFIG=server.kubeconfig)
    cache = os.path.join(server.workdir, "kcache")
    try:
        wait_for(lambda: kubectl(server, "get", "nodes", "--no-headers").count(" Ready ") == 2)
        pods = []
        for i in range(3):
            pods.append({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": f"s{i}"},
                         "spec": {"containers": [{"name": "c", "image": "busybox:1.36",
                                                  "resources": {"requests": {"cpu": "400m"}}}]}})
        too_big = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "huge"},
                   "spec": {"containers": [{"name": "c", "image": "busybox:1.36",
                                            "resources": {"requests": {"cpu": "2"}}}]}}
        for p in pods + [too_big]:
            subprocess.run([KUBECTL, "--cache-dir", cache, "create", "-f", "-"],
                           input=json.dumps(p), text=True, check=True, env=env,
                           capture_output=True)

        def all_running():
            out = kubectl(server, "get", "pods", "--no-headers")
            return sum(1 for line in out.splitlines() if "Running" in line) == 3
        wait_for(all_running)
        nodes = {json.loads(kubectl(server, "get", "pod", f"s{i}", "-o", "json"))["spec"]["nodeName"]
                 for i in range(3)}
        assert nodes == {"hollow-0", "hollow-1"}  # 400m each on 1-CPU nodes: spread over both
        huge = json.loads(kubectl(server, "get", "pod", "huge", "-o", "json"))
        assert "nodeName" not in huge["spec"]
        wait_for(lambda: "Insufficient cpu" in kubectl(server, "get", "events",
                                                       "--field-selector",
                                                       "involvedObject.name=huge"))
        huge = json.loads(kubectl(server, "get", "pod", "huge", "-o", "json"))
        cond = [c for c in huge["status"]["conditions"] if c["type"] == "PodScheduled"][0]
        assert cond["status"] == "False" and cond["reason"] == "Unschedulable"
        assert cond["message"] == "0/2 nodes are available: 2 Insufficient cpu. " \
            "preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."\
            or cond["message"].startswith("0/2 nodes are available: 2 Insufficient cpu.")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_deployments_roll_out_on_hollow_nodes(server, workdir):
    """Controllers, scheduler and hollow kubelets together: kubectl's rollout commands finish."""
    log = open(os.path.join(workdir, "hollow3.log"), "w")
    proc = subprocess.Popen([skiff_bin(), "hollow-nodes", "--kubeconfig", server.kubeconfig,
                             "--count", "2"], stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: kubectl(server, "get", "nodes", "--no-headers").count(" Ready ") == 2)
        kubectl(server, "create", "deployment", "web", "--image=nginx:1.27", "--replicas=3")
        assert "successfully rolled out" in kubectl(server, "rollout", "status",
                                                    "deployment/web", "--timeout=25s")
        assert kubectl(server, "get", "pods", "--no-headers").count("Running") == 3
        kubectl(server, "set", "image", "deployment/web", "nginx=nginx:1.28")
        assert "successfully rolled out" in kubectl(server, "rollout", "status",
                                                    "deployment/web", "--timeout=25s")
        rs = json.loads(kubectl(server, "get", "rs", "-o", "json"))["items"]
        replicas = sorted((r["spec"]["template"]["spec"]["containers"][0]["image"],
                           r["spec"]["replicas"]) for r in rs)
        assert replicas == [("nginx:1.27", 0), ("nginx:1.28", 3)]
        kubectl(server, "rollout", "undo", "deployment/web")
        kubectl(server, "rollout", "status", "deployment/web", "--timeout=25s")
        d = json.loads(kubectl(server, "get", "deployment", "web", "-o", "json"))
        assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
        assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
        kubectl(server, "scale", "deployment", "web", "--replicas=5")
        kubectl(server, "wait", "--for=condition=Available", "deployment/web", "--timeout=25s")
        wait_for(lambda: json.loads(kubectl(server, "get", "deployment", "web", "-o", "json"))
                 ["status"].get("availableReplicas") == 5)
        # Deleting cascades (background): the ReplicaSets and pods go too.
        kubectl(server, "delete", "deployment", "web")
        wait_for(lambda: kubectl(server, "get", "rs,pods", "-o", "name").strip() == "")
        # Orphaning keeps the ReplicaSet and its pods, without the owner reference.
        kubectl(server, "create", "deployment", "kept", "--image=nginx:1.27", "--replicas=2")
        kubectl(server, "rollout", "status", "deployment/kept", "--timeout=25s")
        kubectl(server, "delete", "deployment", "kept", "--cascade=orphan")
        wait_for(lambda: "kept" not in kubectl(server, "get", "deployments", "-o", "name"))
        rs = json.loads(kubectl(server, "get", "rs", "-o", "json"))["items"]
        assert len(rs) == 1 and not rs[0]["metadata"].get("ownerReferences")
        assert kubectl(server, "get", "pods", "--no-headers").count("Running") == 2
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
