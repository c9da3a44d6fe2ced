"""Fixtures that start the real skiff binary on loopback ports and clean up after it."""
import os
import signal
import socket
import subprocess
import tempfile
import time
import shutil

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def skiff_bin():
    return os.environ.get("SKIFF_BIN", os.path.join(REPO, "build", "skiff"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_skiff(*args, env=None, timeout=30):
    """Runs skiff to completion; returns the CompletedProcess (text mode)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([skiff_bin(), *args], capture_output=True, text=True,
                          timeout=timeout, env=full_env)


class Server:
    """A `skiff server` process on 127.0.0.1 with its own data dir and kubeconfig."""

    def __init__(self, workdir, extra_args=(), data_dir=None, port=None, datastore_listen=None):
        self.workdir = workdir
        self.data_dir = data_dir or os.path.join(workdir, "data")
        self.port = port or free_port()
        self.kubeconfig = os.path.join(workdir, "kubeconfig.yaml")
        self.log_path = os.path.join(workdir, f"server-{self.port}.log")
        self.url = f"https://127.0.0.1:{self.port}"
        # The etcd API of the datastore gets a free port too, unless the test picks one.
        if "--datastore-listen" not in extra_args:
            self.datastore_listen = datastore_listen or f"127.0.0.1:{free_port()}"
            extra_args = ("--datastore-listen", self.datastore_listen, *extra_args)
        else:
            self.datastore_listen = extra_args[list(extra_args).index("--datastore-listen") + 1]
        self.args = ["server", "--data-dir", self.data_dir, "--bind-address", "127.0.0.1",
                     "--https-listen-port", str(self.port), "--write-kubeconfig", self.kubeconfig,
                     "--config", os.path.join(workdir, "no-config.yaml.absent"), *extra_args]
        self.proc = None

    def start(self, timeout=20):
        # An explicit --config must exist: give an empty one unless the test passed its own.
        cfg = self.args[self.args.index("--config") + 1]
        if cfg.endswith(".absent"):
            cfg = cfg[: -len(".absent")]
            open(cfg, "w").close()
            self.args[self.args.index("--config") + 1] = cfg
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([skiff_bin(), *self.args], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"skiff server exited {self.proc.returncode}:\n{self.output()}")
            if "skiff server is serving" in self.output():
                return self
            time.sleep(0.05)
        raise AssertionError(f"skiff server did not come up:\n{self.output()}")

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def token(self):
        with open(os.path.join(self.data_dir, "server", "token")) as f:
            return f.read().strip()

    def ca_path(self):
        return os.path.join(self.data_dir, "server", "tls", "server-ca.crt")

    def client_cert(self):
        tls = os.path.join(self.data_dir, "server", "tls")
        return (os.path.join(tls, "client-admin.crt"), os.path.join(tls, "client-admin.key"))

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.log.close()
        return self.proc.returncode if self.proc else None


@pytest.fixture
def workdir():
    d = tempfile.mkdtemp(prefix="skiff-it-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def server_factory(workdir):
    started = []

    def make(*extra_args, **kw):
        s = Server(workdir, extra_args, **kw)
        started.append(s)
        return s

    yield make
    for s in started:
        s.stop(signal.SIGKILL)


@pytest.fixture
def server(server_factory):
    return server_factory().start()
