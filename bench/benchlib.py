"""What the benchmark drivers in bench/*/run.py share: ports, machine facts, docs sections."""
import os
import platform
import shlex
import socket
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "unknown"


def quoted(argv):
    return " ".join(shlex.quote(a) for a in argv).replace(REPO + "/", "")


def loadavg():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine(parent):
    """CPU, memory, the filesystem under `parent`, kernel and load: for the docs."""
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    fs = " ".join(first_line(["findmnt", "-n", "-o", "FSTYPE,SOURCE", "-T", parent]).split())
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024 // 1024
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gib": mem, "fs": fs,
            "kernel": platform.release(), "parent": parent, "loadavg": loadavg()}


def update_docs(path, section, begin, end):
    """Replaces the text between `begin` and `end` markers in `path` with `section` (which
    carries the markers), or appends it."""
    text = ""
    if os.path.exists(path):
        with open(path) as f:
            text = f.read()
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1].lstrip("\n")
        text = head + section + ("\n" + tail if tail else "")
    else:
        if not text:
            text = ("# Benchmarks\n\nWritten by the programs in `bench/` (see bench/README.md); "
                    "each section is replaced by its benchmark's next run.\n")
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)
