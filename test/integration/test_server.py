"""`skiff server` driven by real clients: curl, kubectl and Python's TLS stack."""
import hashlib
import json
import os
import shutil
import signal
import ssl
import stat
import subprocess
import urllib.request
import urllib.error

import pytest

from conftest import run_skiff


def https_get(server, path, client_cert=False):
    ctx = ssl.create_default_context(cafile=server.ca_path())
    if client_cert:
        ctx.load_cert_chain(*server.client_cert())
    try:
        with urllib.request.urlopen(server.url + path, context=ctx, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_public_endpoints_answer_anonymously(server):
    status, body = https_get(server, "/version")
    assert status == 200
    v = json.loads(body)
    assert v["major"] == "1" and v["minor"] == "32"
    assert v["gitVersion"].startswith("v1.32.")
    for path in ("/healthz", "/livez", "/readyz"):
        assert https_get(server, path) == (200, "ok")
    assert https_get(server, "/ping") == (200, "pong")


def test_anonymous_requests_elsewhere_get_401_status(server):
    status, body = https_get(server, "/api/v1/pods")
    assert status == 401
    s = json.loads(body)
    assert s["kind"] == "Status" and s["reason"] == "Unauthorized" and s["code"] == 401


def test_client_certificate_is_accepted(server):
    status, body = https_get(server, "/api/v1/pods", client_cert=True)
    assert status == 200
    assert json.loads(body)["kind"] == "PodList"
    status, body = https_get(server, "/no/such/path", client_cert=True)
    assert status == 404
    assert json.loads(body)["reason"] == "NotFound"


def test_cacerts_matches_the_token_hash(server):
    status, body = https_get(server, "/cacerts")
    assert status == 200
    token = server.token()
    assert token.startswith("K10" + hashlib.sha256(body.encode()).hexdigest() + "::server:")
    mode = stat.S_IMODE(os.stat(os.path.join(server.data_dir, "server", "token")).st_mode)
    assert mode == 0o600


def test_kubeconfig_works_with_kubectl(server):
    kubectl = shutil.which("kubectl")
    if not kubectl:
        pytest.skip("kubectl is not installed")
    mode = stat.S_IMODE(os.stat(server.kubeconfig).st_mode)
    assert mode == 0o600
    env = dict(os.environ, KUBECONFIG=server.kubeconfig, KUBECACHEDIR=os.path.join(server.workdir, "kcache"))
    r = subprocess.run([kubectl, "version", "-o", "json"], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["serverVersion"]["minor"] == "32"
    r = subprocess.run([kubectl, "get", "--raw", "/healthz"], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 0 and r.stdout == "ok"


def test_curl_with_the_cluster_ca(server):
    curl = shutil.which("curl")
    if not curl:
        pytest.skip("curl is not installed")
    r = subprocess.run([curl, "-sS", "--cacert", server.ca_path(), server.url + "/livez"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0 and r.stdout == "ok"
    # Without the CA the certificate must not be trusted.
    r = subprocess.run([curl, "-sS", server.url + "/livez"], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode != 0


def test_restart_keeps_ca_and_token_and_sigterm_exits_cleanly(server_factory):
    first = server_factory().start()
    token = first.token()
    with open(first.ca_path()) as f:
        ca = f.read()
    assert first.stop(signal.SIGTERM) == 0
    assert "stopping" in first.output()
    second = server_factory(data_dir=first.data_dir, port=first.port).start()
    assert second.token() == token
    with open(second.ca_path()) as f:
        assert f.read() == ca
    assert second.stop(signal.SIGINT) == 0


def test_given_token_and_kubeconfig_mode(server_factory):
    s = server_factory("--token", "my-shared-secret", "--write-kubeconfig-mode", "0644").start()
    assert s.token().endswith("::server:my-shared-secret")
    assert stat.S_IMODE(os.stat(s.kubeconfig).st_mode) == 0o644
    s.stop()
    # Restarting the same data dir with another token is refused.
    r = run_skiff(*[a if a != "my-shared-secret" else "other" for a in s.args])
    assert r.returncode == 1
    assert "--token differs" in r.stderr


def test_config_file_sets_flags(server_factory, workdir):
    cfg = os.path.join(workdir, "server.yaml")
    with open(cfg, "w") as f:
        f.write("tls-san:\n  - skiff.example.test\nnode-name: edge-node-7\n")
    s = server_factory("--config", cfg).start()
    out = subprocess.run(["openssl", "x509", "-noout", "-ext", "subjectAltName", "-in",
                          os.path.join(s.data_dir, "server", "tls", "serving-kube-apiserver.crt")],
                         capture_output=True, text=True)
    assert "DNS:skiff.example.test" in out.stdout and "DNS:edge-node-7" in out.stdout


def test_port_in_use_is_a_clear_error(server, workdir):
    r = run_skiff("server", "--data-dir", os.path.join(workdir, "d2"), "--bind-address",
                  "127.0.0.1", "--https-listen-port", str(server.port), "--write-kubeconfig",
                  os.path.join(workdir, "k2"), "--config", os.path.join(workdir, "no-config.yaml"))
    assert r.returncode == 1
    assert f"cannot listen on 127.0.0.1:{server.port}" in r.stderr


def test_agent_verifies_the_server_ca(server):
    r = run_skiff("agent", "--server", server.url, "--token", server.token(),
                  "--config", os.path.join(server.workdir, "no-config.yaml"))
    assert r.returncode == 1
    assert "verified " + server.url in r.stderr
    assert "not part of this build yet" in r.stderr


def test_agent_refuses_a_token_pinning_another_ca(server):
    bad = "K10" + "0" * 64 + "::server:" + server.token().split(":")[-1]
    r = run_skiff("agent", "--server", server.url, "--token", bad,
                  "--config", os.path.join(server.workdir, "no-config.yaml"))
    assert r.returncode == 1
    assert "but the token pins " + "0" * 64 in r.stderr


def test_json_log_lines(server_factory):
    s = server_factory("--log-format", "json").start()
    lines = [l for l in s.output().splitlines() if l.strip()]
    assert lines
    for line in lines:
        entry = json.loads(line)
        assert {"ts", "level", "msg"} <= entry.keys()
    assert any(e["msg"] == "skiff server is serving" and e["url"] == s.url
               for e in map(json.loads, lines))
