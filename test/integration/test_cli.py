"""The skiff command line as a user meets it: version, help, usage errors, config files."""
import os
import re

from conftest import run_skiff


def test_version_prints_version_and_build():
    r = run_skiff("version")
    assert r.returncode == 0, r.stderr
    assert re.match(r"skiff version v\d+\.\d+\.\d+ \(\w+\)\n", r.stdout)
    assert "kubernetes API v1.32" in r.stdout
    assert "built with gcc" in r.stdout


def test_no_command_prints_usage_and_exits_2():
    r = run_skiff()
    assert r.returncode == 2
    assert "Usage: skiff <command>" in r.stderr


def test_unknown_command_exits_2():
    r = run_skiff("frobnicate")
    assert r.returncode == 2
    assert 'unknown command "frobnicate"' in r.stderr


def test_server_help_lists_k3s_flag_names():
    r = run_skiff("server", "--help")
    assert r.returncode == 0
    for flag in ["--data-dir", "--config", "--https-listen-port", "--bind-address",
                 "--node-name", "--token", "--write-kubeconfig", "--write-kubeconfig-mode",
                 "--disable-agent", "--tls-san"]:
        assert flag in r.stdout, flag


def test_agent_help_lists_server_and_token():
    r = run_skiff("agent", "--help")
    assert r.returncode == 0
    assert "--server" in r.stdout and "--token" in r.stdout


def test_unknown_flag_exits_2_naming_it():
    r = run_skiff("server", "--no-such-flag")
    assert r.returncode == 2
    assert "unknown flag: --no-such-flag" in r.stderr


def test_unknown_config_key_exits_2_naming_it(workdir):
    cfg = os.path.join(workdir, "config.yaml")
    with open(cfg, "w") as f:
        f.write("https-listen-port: 7443\nwrite-kubecfg: /tmp/x\n")
    r = run_skiff("server", "--config", cfg)
    assert r.returncode == 2
    assert 'unknown key "write-kubecfg"' in r.stderr and cfg in r.stderr


def test_bad_flag_value_exits_2():
    r = run_skiff("server", "--https-listen-port", "http")
    assert r.returncode == 2
    assert "want an integer" in r.stderr


def test_missing_explicit_config_file_is_an_error(workdir):
    r = run_skiff("server", "--config", os.path.join(workdir, "missing.yaml"))
    assert r.returncode == 2
    assert "cannot read config file" in r.stderr


def test_token_generate_prints_bootstrap_token():
    r = run_skiff("token", "generate")
    assert r.returncode == 0
    assert re.fullmatch(r"[a-z0-9]{6}\.[a-z0-9]{16}\n", r.stdout)
    assert run_skiff("token", "rotate").returncode == 2


def test_agent_requires_server_and_token():
    r = run_skiff("agent", "--token", "x")
    assert r.returncode == 2 and "--server is required" in r.stderr
    r = run_skiff("agent", "--server", "https://127.0.0.1:1")
    assert r.returncode == 2 and "--token or --token-file is required" in r.stderr
