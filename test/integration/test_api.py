"""The Kubernetes API of `skiff server`, driven by the real kubectl."""
import json
import os
import shutil
import subprocess
import time

import pytest

KUBECTL = shutil.which("kubectl")
pytestmark = pytest.mark.skipif(not KUBECTL, reason="kubectl is not installed")


class Kubectl:
    def __init__(self, server, workdir):
        self.env = dict(os.environ, KUBECONFIG=server.kubeconfig)
        self.cache = os.path.join(workdir, "kube-cache")  # fresh discovery per test

    def run(self, *args, input=None, check=True, timeout=30):
        r = subprocess.run([KUBECTL, "--cache-dir", self.cache, *args], input=input,
                           capture_output=True, text=True, env=self.env, timeout=timeout)
        if check:
            assert r.returncode == 0, f"kubectl {' '.join(args)}:\n{r.stdout}{r.stderr}"
        return r

    def json(self, *args):
        return json.loads(self.run(*args, "-o", "json").stdout)

    def fails(self, *args, input=None):
        r = self.run(*args, input=input, check=False)
        assert r.returncode != 0, f"kubectl {' '.join(args)} succeeded:\n{r.stdout}"
        return r.stderr


@pytest.fixture
def k(server, workdir):
    return Kubectl(server, workdir)


CM = """apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  labels: {app: web}
data:
  color: blue
"""


def test_system_namespaces_exist(k):
    names = k.run("get", "namespaces", "-o", "name").stdout.split()
    for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
        assert f"namespace/{ns}" in names


def test_create_get_list_and_delete_a_configmap(k):
    assert "configmap/settings created" in k.run("create", "-f", "-", input=CM).stdout
    cm = k.json("get", "configmap", "settings")
    assert cm["kind"] == "ConfigMap" and cm["apiVersion"] == "v1"
    assert cm["data"] == {"color": "blue"}
    meta = cm["metadata"]
    assert meta["namespace"] == "default" and meta["uid"] and meta["creationTimestamp"]
    assert int(meta["resourceVersion"]) > 0
    listed = k.json("get", "configmaps", "-l", "app=web")
    assert [i["metadata"]["name"] for i in listed["items"]] == ["settings"]
    assert k.json("get", "configmaps", "-l", "app=db")["items"] == []
    err = k.fails("create", "-f", "-", input=CM)
    assert 'configmaps "settings" already exists' in err
    assert 'configmap "settings" deleted' in k.run("delete", "configmap", "settings").stdout
    assert 'configmaps "settings" not found' in k.fails("get", "configmap", "settings")


def test_apply_creates_changes_and_reapplies(k):
    assert "configmap/settings created" in k.run("apply", "-f", "-", input=CM).stdout
    assert "unchanged" in k.run("apply", "-f", "-", input=CM).stdout
    changed = CM.replace("color: blue", "color: green")
    assert "configmap/settings configured" in k.run("apply", "-f", "-", input=changed).stdout
    cm = k.json("get", "configmap", "settings")
    assert cm["data"]["color"] == "green"
    last = cm["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"]
    assert json.loads(last)["data"] == {"color": "green"}


def test_server_side_apply_creates_and_updates(k):
    out = k.run("apply", "--server-side", "-f", "-", input=CM).stdout
    assert "serverside-applied" in out
    k.run("apply", "--server-side", "-f", "-", input=CM.replace("blue", "red"))
    assert k.json("get", "configmap", "settings")["data"]["color"] == "red"


def test_patch_label_annotate(k):
    k.run("create", "-f", "-", input=CM)
    k.run("patch", "configmap", "settings", "-p", '{"data":{"size":"L"}}')
    k.run("patch", "configmap", "settings", "--type=merge", "-p", '{"data":{"color":null}}')
    k.run("patch", "configmap", "settings", "--type=json",
          "-p", '[{"op":"add","path":"/data/shape","value":"round"}]')
    assert k.json("get", "configmap", "settings")["data"] == {"size": "L", "shape": "round"}
    k.run("label", "configmap", "settings", "tier=front")
    k.run("annotate", "configmap", "settings", "note=hello")
    meta = k.json("get", "configmap", "settings")["metadata"]
    assert meta["labels"] == {"app": "web", "tier": "front"}
    assert meta["annotations"]["note"] == "hello"
    err = k.fails("patch", "configmap", "settings", "--type=json",
                  "-p", '[{"op":"remove","path":"/data/nothing"}]')
    assert "nothing" in err


def test_replace_with_a_stale_resource_version_conflicts(k, workdir):
    k.run("create", "-f", "-", input=CM)
    old = k.json("get", "configmap", "settings")
    k.run("label", "configmap", "settings", "x=y")
    old["data"]["color"] = "stale"
    err = k.fails("replace", "-f", "-", input=json.dumps(old))
    assert "Operation cannot be fulfilled on configmaps \"settings\"" in err
    assert k.json("get", "configmap", "settings")["data"]["color"] == "blue"
    fresh = k.json("get", "configmap", "settings")
    fresh["data"]["color"] = "fresh"
    assert "replaced" in k.run("replace", "-f", "-", input=json.dumps(fresh)).stdout
    assert k.json("get", "configmap", "settings")["data"]["color"] == "fresh"


def test_bad_input_gets_clear_errors_and_stores_nothing(k):
    err = k.fails("create", "-n", "nowhere", "-f", "-", input=CM)
    assert 'namespaces "nowhere" not found' in err
    bad_name = CM.replace("name: settings", "name: Not_Valid")
    err = k.fails("create", "-f", "-", input=bad_name)
    assert "is invalid" in err and "metadata.name" in err
    assert k.json("get", "configmaps")["items"] == []


def test_watch_sees_changes(k, server):
    k.run("create", "-f", "-", input=CM)
    proc = subprocess.Popen([KUBECTL, "--cache-dir", k.cache, "get", "configmaps", "-w",
                             "-o", "name"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=k.env)
    try:
        time.sleep(1.5)
        k.run("label", "configmap", "settings", "round=2")
        k.run("delete", "configmap", "settings")
        time.sleep(1.5)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    # The initial list, the label change and the deletion.
    assert out.split().count("configmap/settings") >= 3, out


def test_wait_for_delete_and_namespaces(k):
    k.run("create", "namespace", "team-a")
    k.run("create", "-n", "team-a", "-f", "-", input=CM)
    k.run("delete", "namespace", "team-a", "--wait=true")
    assert 'namespaces "team-a" not found' in k.fails("get", "namespace", "team-a")
    err = k.fails("get", "-n", "team-a", "configmap", "settings")
    assert "not found" in err


DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: busybox
"""


def test_scale_and_status_subresources(k):
    k.run("create", "-f", "-", input=DEPLOY)
    d = k.json("get", "deployment", "web")
    assert d["metadata"]["generation"] == 1
    assert "deployment.apps/web scaled" in k.run("scale", "deployment", "web",
                                                 "--replicas=3").stdout
    d = k.json("get", "deployment", "web")
    assert d["spec"]["replicas"] == 3 and d["metadata"]["generation"] == 2
    scale = json.loads(k.run("get", "--raw",
                             "/apis/apps/v1/namespaces/default/deployments/web/scale").stdout)
    assert scale["kind"] == "Scale" and scale["spec"]["replicas"] == 3
    assert scale["status"]["selector"] == "app=web"
    k.run("scale", "deployment", "web", "--current-replicas=3", "--replicas=2")
    assert k.json("get", "deployment", "web")["spec"]["replicas"] == 2
    # Status goes through /status only; spec changes there are ignored.
    k.run("patch", "deployment", "web", "--subresource=status", "--type=merge",
          "-p", '{"status":{"replicas":2},"spec":{"replicas":9}}')
    d = k.json("get", "deployment", "web")
    assert d["status"]["replicas"] == 2 and d["spec"]["replicas"] == 2
    k.run("patch", "deployment", "web", "--type=merge", "-p", '{"status":{"replicas":7}}')
    assert k.json("get", "deployment", "web")["status"]["replicas"] == 2


def test_get_prints_upstream_columns(k):
    k.run("create", "-f", "-", input=DEPLOY)
    k.run("create", "-f", "-", input=CM)
    out = k.run("get", "deployments", "-o", "wide").stdout.splitlines()
    assert out[0].split() == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS",
                              "IMAGES", "SELECTOR"]
    assert out[1].split()[:2] == ["web", "0/1"] and "app=web" in out[1]
    out = k.run("get", "configmaps").stdout.splitlines()
    assert out[0].split() == ["NAME", "DATA", "AGE"]
    assert any(line.split()[:2] == ["settings", "1"] for line in out[1:])
    out = k.run("get", "namespaces", "--show-labels").stdout
    assert "STATUS" in out and "Active" in out
    resources = k.run("api-resources").stdout
    for line in ("deployments", "deploy", "apps/v1"):
        assert line in resources
    assert "apps/v1" in k.run("api-versions").stdout.split()


CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Spec, type: string, jsonPath: .spec.cronSpec}
    - {name: Replicas, type: integer, jsonPath: .spec.replicas}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              cronSpec: {type: string}
              replicas: {type: integer}
"""

CRONTAB = """apiVersion: stable.example.com/v1
kind: CronTab
metadata: {name: nightly}
spec: {cronSpec: "0 3 * * *", replicas: 2}
"""


def test_custom_resources_are_served_printed_and_deleted_with_their_definition(k):
    k.run("apply", "-f", "-", input=CRD)
    k.run("wait", "--for=condition=established", "crd/crontabs.stable.example.com",
          "--timeout=20s")
    assert "crontab.stable.example.com/nightly created" in k.run("apply", "-f", "-",
                                                                 input=CRONTAB).stdout
    out = k.run("get", "ct").stdout.splitlines()
    assert out[0].split() == ["NAME", "SPEC", "REPLICAS", "AGE"]
    assert out[1].split()[:6] == ["nightly", "0", "3", "*", "*", "*"]
    k.run("patch", "crontab", "nightly", "--type=merge", "-p", '{"spec":{"replicas":5}}')
    assert k.json("get", "crontab", "nightly")["spec"]["replicas"] == 5
    err = k.fails("patch", "crontab", "nightly", "-p", '{"spec":{"replicas":6}}')
    assert "strategic merge patch is not supported" in err
    assert "crontabs" in k.run("api-resources", "--api-group=stable.example.com").stdout
    k.run("delete", "crd", "crontabs.stable.example.com")
    err = k.fails("get", "--raw", "/apis/stable.example.com/v1/namespaces/default/crontabs")
    assert "NotFound" in err or "not found" in err
    # Defined again: the old objects are gone with the old definition.
    k.run("apply", "-f", "-", input=CRD)
    k.run("wait", "--for=condition=established", "crd/crontabs.stable.example.com",
          "--timeout=20s")
    listed = json.loads(k.run("get", "--raw",
                              "/apis/stable.example.com/v1/namespaces/default/crontabs").stdout)
    assert listed["items"] == []


def test_custom_resource_definitions_survive_a_restart(server, k):
    k.run("apply", "-f", "-", input=CRD)
    k.run("apply", "-f", "-", input=CRONTAB)
    server.stop()
    server.start()
    assert k.json("get", "crontab", "nightly")["spec"]["replicas"] == 2


SVC = """apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""


def test_services_get_cluster_ips_and_node_ports(k):
    svc = k.json("get", "service", "kubernetes")
    assert svc["spec"]["clusterIP"] == "10.43.0.1"
    assert svc["spec"]["ports"][0]["port"] == 443
    k.run("create", "-f", "-", input=SVC)
    web = k.json("get", "service", "web")
    ip = web["spec"]["clusterIP"]
    assert ip.startswith("10.43.") and ip != "10.43.0.1"
    assert web["spec"]["clusterIPs"] == [ip]
    assert web["spec"]["type"] == "ClusterIP" and web["spec"]["sessionAffinity"] == "None"
    assert web["spec"]["ports"][0] == {"port": 80, "protocol": "TCP", "targetPort": 80}
    # The address is kept across updates and may not change.
    k.run("apply", "-f", "-", input=SVC.replace("port: 80", "port: 81"))
    assert k.json("get", "service", "web")["spec"]["clusterIP"] == ip
    taken = SVC.replace("name: web", "name: copy").replace(
        "selector:", f"clusterIP: {ip}\n  selector:")
    err = k.fails("create", "-f", "-", input=taken)
    assert "provided IP is already allocated" in err
    outside = taken.replace(ip, "192.168.0.10")
    assert "not in the valid range" in k.fails("create", "-f", "-", input=outside)
    nodeport = SVC.replace("name: web", "name: np").replace("spec:", "spec:\n  type: NodePort")
    k.run("create", "-f", "-", input=nodeport)
    port = k.json("get", "service", "np")["spec"]["ports"][0]["nodePort"]
    assert 30000 <= port <= 32767
    out = k.run("get", "service", "np").stdout
    assert f"80:{port}/TCP" in out
    # Deleting a service frees its address.
    k.run("delete", "service", "web")
    k.run("create", "-f", "-", input=taken)
    assert k.json("get", "service", "copy")["spec"]["clusterIP"] == ip


def raw(server, method, path, body, content_type="application/json"):
    """A request with curl and the admin certificate: status code and parsed body."""
    cert, key = server.client_cert()
    r = subprocess.run(["curl", "-sS", "--cacert", server.ca_path(), "--cert", cert, "--key", key,
                        "-X", method, "-H", f"Content-Type: {content_type}",
                        "--data-binary", "@-", "-w", "\n%{http_code}", server.url + path],
                       input=body, capture_output=True, timeout=30)
    out, _, code = r.stdout.decode().rpartition("\n")
    return int(code), json.loads(out) if out.strip().startswith("{") else out


def test_malformed_and_mismatched_bodies_are_refused_with_a_status(server, k):
    path = "/api/v1/namespaces/default/configmaps"
    code, body = raw(server, "POST", path, b'{"apiVersion": "v1", "kind": ')
    assert code == 400 and body["reason"] == "BadRequest" and body["kind"] == "Status"
    code, body = raw(server, "POST", path, b"a: [1, 2\n", "application/yaml")
    assert code == 400 and "YAML" in body["message"]
    code, body = raw(server, "POST", path,
                     b'{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}')
    assert code == 400 and "does not match the expected kind" in body["message"]
    code, body = raw(server, "POST", "/api/v1/namespaces/other/configmaps",
                     b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x",'
                     b'"namespace":"default"}}')
    assert code == 400 and "does not match the namespace" in body["message"]
    code, body = raw(server, "POST", path, b"[]")
    assert code == 400
    code, body = raw(server, "POST", path, b"x" * (4 << 20))
    assert code == 413
    code, body = raw(server, "POST", path, b"<xml/>", "application/xml")
    assert code == 415 and body["reason"] == "UnsupportedMediaType"
    assert k.json("get", "configmaps")["items"] == []
    # Unauthenticated requests get 401.
    r = subprocess.run(["curl", "-sS", "--cacert", server.ca_path(), "-w", "\n%{http_code}",
                        server.url + path], capture_output=True, text=True, timeout=30)
    assert r.stdout.rstrip().endswith("401")


def test_edit_with_an_editor_script(k, workdir):
    k.run("create", "-f", "-", input=CM)
    editor = os.path.join(workdir, "editor.sh")
    with open(editor, "w") as f:
        f.write("#!/bin/sh\nsed -i 's/color: blue/color: purple/' \"$1\"\n")
    os.chmod(editor, 0o755)
    env = dict(k.env, EDITOR=editor, KUBE_EDITOR=editor)
    r = subprocess.run([KUBECTL, "--cache-dir", k.cache, "edit", "configmap", "settings"],
                       capture_output=True, text=True, env=env, timeout=30)
    assert r.returncode == 0, r.stderr
    assert "edited" in r.stdout
    assert k.json("get", "configmap", "settings")["data"]["color"] == "purple"


def test_delete_cascade_variants_and_dry_run(k):
    k.run("create", "-f", "-", input=CM)
    k.run("delete", "configmap", "settings", "--dry-run=server")
    assert k.json("get", "configmap", "settings")["data"]["color"] == "blue"
    # Orphan and foreground deletion leave the object to the garbage collector, marked.
    k.run("delete", "configmap", "settings", "--cascade=orphan", "--wait=false")
    cm = k.json("get", "configmap", "settings")
    assert cm["metadata"]["deletionTimestamp"]
    assert cm["metadata"]["finalizers"] == ["orphan"]
    # Removing the last finalizer completes the deletion.
    k.run("patch", "configmap", "settings", "--type=merge", "-p",
          '{"metadata":{"finalizers":null}}')
    assert "not found" in k.fails("get", "configmap", "settings")
    k.run("create", "-f", "-", input=CM)
    k.run("delete", "configmap", "settings", "--cascade=background")
    assert "not found" in k.fails("get", "configmap", "settings")
    for i in range(3):
        k.run("create", "configmap", f"bulk{i}", "--from-literal=a=b", "--dry-run=client",
              "-o", "yaml")
        k.run("apply", "-f", "-", input=CM.replace("settings", f"bulk{i}"))
    k.run("delete", "configmaps", "-l", "app=web")
    assert k.json("get", "configmaps")["items"] == []


def test_explain_uses_the_served_openapi(k):
    out = k.run("explain", "deployment.spec").stdout
    assert "KIND:" in out and "Deployment" in out


def test_typed_create_commands_send_protobuf(k):
    """kubectl 1.32's `create <kind>` commands send protobuf bodies."""
    k.run("create", "namespace", "proto")
    k.run("create", "configmap", "cm", "-n", "proto", "--from-literal=a=b")
    k.run("create", "secret", "generic", "s", "-n", "proto", "--from-literal=k=v")
    k.run("create", "deployment", "d", "-n", "proto", "--image=nginx:1.25", "--replicas=2")
    k.run("create", "job", "j", "-n", "proto", "--image=busybox")
    k.run("create", "serviceaccount", "sa", "-n", "proto")
    assert k.json("get", "configmap", "cm", "-n", "proto")["data"] == {"a": "b"}
    assert k.json("get", "secret", "s", "-n", "proto")["data"] == {"k": "dg=="}
    d = k.json("get", "deployment", "d", "-n", "proto")
    assert d["spec"]["replicas"] == 2
    container = d["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "nginx:1.25" and container["imagePullPolicy"] == "IfNotPresent"
    assert k.json("get", "job", "j", "-n", "proto")["spec"]["template"]["spec"]["containers"]
    assert k.json("get", "serviceaccount", "sa", "-n", "proto")["metadata"]["name"] == "sa"


POD = """apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: busybox}]
"""


def test_upstream_defaults_and_schema_validation(k):
    k.run("create", "-f", "-", input=POD)
    pod = k.json("get", "pod", "p")
    spec = pod["spec"]
    assert spec["restartPolicy"] == "Always" and spec["dnsPolicy"] == "ClusterFirst"
    assert spec["terminationGracePeriodSeconds"] == 30
    assert spec["schedulerName"] == "default-scheduler"
    c = spec["containers"][0]
    assert c["terminationMessagePath"] == "/dev/termination-log"
    assert c["imagePullPolicy"] == "Always"  # no tag means :latest
    k.run("create", "-f", "-", input=DEPLOY)
    d = k.json("get", "deployment", "web")["spec"]
    assert d["revisionHistoryLimit"] == 10 and d["progressDeadlineSeconds"] == 600
    assert d["strategy"]["type"] == "RollingUpdate"
    bad = DEPLOY.replace("name: web\nspec:", "name: bad\nspec:").replace("replicas: 1",
                                                                        "replicas: many")
    err = k.fails("create", "-f", "-", input=bad)
    assert "spec.replicas" in err and "integer" in err
    bad_policy = POD.replace("name: p}", "name: q}").replace(
        "spec:\n", "spec:\n  restartPolicy: Sometimes\n")
    err = k.fails("create", "-f", "-", input=bad_policy)
    assert "Unsupported value" in err and "Sometimes" in err
    assert "not found" in k.fails("get", "pod", "q")


def test_unknown_fields_strict_warn_and_ignore(k):
    typo = CM.replace("\ndata:", "\ndataa:\n  x: y\ndata:")
    err = k.fails("create", "-f", "-", input=typo)
    assert 'unknown field "dataa"' in err
    assert "not found" in k.fails("get", "configmap", "settings")
    r = k.run("create", "--validate=warn", "-f", "-", input=typo)
    assert 'unknown field "dataa"' in r.stderr
    assert "dataa" not in k.json("get", "configmap", "settings")
    k.run("delete", "configmap", "settings")
    k.run("create", "--validate=false", "-f", "-", input=typo)
    assert k.json("get", "configmap", "settings")["data"] == {"color": "blue"}


def test_custom_resources_are_validated_against_their_schema(k):
    k.run("apply", "-f", "-", input=CRD)
    k.run("wait", "--for=condition=established", "crd/crontabs.stable.example.com",
          "--timeout=20s")
    bad = CRONTAB.replace("replicas: 2", 'replicas: "two"')
    err = k.fails("apply", "-f", "-", input=bad)
    assert "spec.replicas" in err and "integer" in err
    extra = CRONTAB.replace("replicas: 2}", "replicas: 2, colour: red}")
    assert 'unknown field "spec.colour"' in k.fails("apply", "-f", "-", input=extra)
    k.run("apply", "--validate=false", "-f", "-", input=extra)
    assert "colour" not in k.json("get", "crontab", "nightly")["spec"]
    out = k.run("explain", "crontab.spec").stdout
    assert "cronSpec" in out and "replicas" in out


def test_explain_shows_built_in_fields(k):
    out = k.run("explain", "pod.spec.containers").stdout
    assert "image" in out and "imagePullPolicy" in out
    assert "restartPolicy" in k.run("explain", "pod.spec").stdout


def test_pod_binding_and_eviction(server, k):
    k.run("create", "-f", "-", input=POD)
    binding = {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "p"},
               "target": {"apiVersion": "v1", "kind": "Node", "name": "node-1"}}
    code, body = raw(server, "POST", "/api/v1/namespaces/default/pods/p/binding",
                     json.dumps(binding).encode())
    assert code == 201, body
    pod = k.json("get", "pod", "p")
    assert pod["spec"]["nodeName"] == "node-1"
    assert any(c["type"] == "PodScheduled" and c["status"] == "True"
               for c in pod["status"]["conditions"])
    code, body = raw(server, "POST", "/api/v1/namespaces/default/bindings",
                     json.dumps(binding).encode())
    assert code == 409 and "already assigned" in body["message"]
    eviction = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "p"}}
    code, body = raw(server, "POST", "/api/v1/namespaces/default/pods/p/eviction",
                     json.dumps(eviction).encode())
    assert code == 201, body
    assert "not found" in k.fails("get", "pod", "p")


def test_subresources_not_served_yet_say_so(k):
    k.run("create", "-f", "-", input=POD)
    err = k.fails("logs", "p")
    assert "log subresource of pods is not served by this skiff build yet" in err
