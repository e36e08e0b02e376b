"""The hostile programs: name -> (source of attack.py, expected verdict)."""

from __future__ import annotations

from sandbox import Verdict

FORK_BOMB = """
import os, time
while True:
    try:
        if os.fork() == 0:
            time.sleep(1000)
    except OSError:
        time.sleep(0.01)
"""

MEMORY_BOMB = """
blocks = []
while True:
    blocks.append(bytearray(64 * 1024 * 1024))
"""

DISK_FILL = """
import os
# /tmp is a size-capped tmpfs: filling it must fail, and nothing reaches the host's disk.
with open("/tmp/fill", "wb") as handle:
    while True:
        handle.write(b"x" * (1024 * 1024))
        handle.flush()
"""

OUTPUT_FLOOD = """
import sys
line = "flood " * 1000 + "\\n"
while True:
    sys.stdout.write(line)
"""

INFINITE_LOOP = """
while True:
    pass
"""

SLEEP_PAST_DEADLINE = """
import time
time.sleep(3600)
"""

IGNORE_SIGTERM = """
import signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    time.sleep(1)
"""

NETWORK_EGRESS = """
import socket, sys
escaped = []
for host, port in [("1.1.1.1", 53), ("8.8.8.8", 443), ("93.184.216.34", 80)]:
    try:
        socket.create_connection((host, port), timeout=2).close()
        escaped.append(f"{host}:{port}")
    except OSError:
        pass
try:
    socket.getaddrinfo("pypi.org", 443)
    escaped.append("dns")
except OSError:
    pass
interfaces = open("/proc/net/dev").read()
if any(name in interfaces for name in ("eth0", "veth")):
    escaped.append("an interface other than loopback")
print("escaped:", escaped)
sys.exit(1 if escaped else 0)
"""

# HOST_PORTS is replaced by the test with the ports of a real listener and our services.
HOST_SERVICES = """
import socket, sys
escaped = []
addresses = ["172.17.0.1", "172.18.0.1", "172.19.0.1", "10.0.2.2", "192.168.0.1", "host.docker.internal"]
for address in addresses:
    for port in HOST_PORTS:
        try:
            socket.create_connection((address, port), timeout=1).close()
            escaped.append(f"{address}:{port}")
        except OSError:
            pass
print("escaped:", escaped)
sys.exit(1 if escaped else 0)
"""

HOST_FILES = """
import os, sys
found = []
for path in ["/var/run/docker.sock", "/run/docker.sock", "/host", "/root/.ssh", "/proc/1/root/etc/shadow",
             "/etc/shadow"]:
    try:
        with open(path, "rb") as handle:
            handle.read(1)
        found.append(path)
    except OSError:
        pass
if os.path.exists("/var/run/docker.sock") or os.path.exists("/run/docker.sock"):
    found.append("docker socket visible")
# CANARY is replaced by the test with the name of a file it made on the host.
for root, dirs, files in os.walk("/", onerror=lambda error: None):
    if root.startswith(("/proc", "/sys")):
        dirs[:] = []
        continue
    if CANARY in files:
        found.append(os.path.join(root, CANARY))
print("found:", found)
sys.exit(1 if found else 0)
"""

SETUID_ESCALATION = """
import os, subprocess, sys
gained = []
try:
    os.setuid(0)
    gained.append("setuid(0)")
except PermissionError:
    pass
for root, dirs, files in os.walk("/", onerror=lambda error: None):
    if root.startswith(("/proc", "/sys")):
        dirs[:] = []
        continue
    for name in files:
        path = os.path.join(root, name)
        try:
            if os.lstat(path).st_mode & 0o6000:
                gained.append(f"set-id program {path}")
        except OSError:
            pass
for program in (["su", "-c", "id"], ["sudo", "id"]):
    try:
        result = subprocess.run(program, capture_output=True, timeout=5, input=b"")
        if b"uid=0" in result.stdout:
            gained.append(" ".join(program))
    except (OSError, subprocess.TimeoutExpired):
        pass
if os.getuid() == 0 or os.geteuid() == 0:
    gained.append("running as root")
print("gained:", gained)
sys.exit(1 if gained else 0)
"""

WRITE_OUTSIDE_TMP = """
import sys
written = []
for path in ["/workspace/evil", "/data/evil", "/etc/evil", "/opt/runtime/evil", "/evil", "/usr/lib/evil"]:
    try:
        with open(path, "w") as handle:
            handle.write("x")
        written.append(path)
    except OSError:
        pass
with open("/tmp/allowed", "w") as handle:  # the only writable place
    handle.write("ok")
print("written:", written)
sys.exit(1 if written else 0)
"""

ATTACKS: dict[str, tuple[str, Verdict]] = {
    "fork_bomb": (FORK_BOMB, Verdict.TIMED_OUT),
    "memory_bomb": (MEMORY_BOMB, Verdict.OUT_OF_MEMORY),
    "disk_fill": (DISK_FILL, Verdict.CRASHED),
    "output_flood": (OUTPUT_FLOOD, Verdict.OUTPUT_LIMIT),
    "infinite_loop": (INFINITE_LOOP, Verdict.TIMED_OUT),
    "sleep_past_deadline": (SLEEP_PAST_DEADLINE, Verdict.TIMED_OUT),
    "ignore_sigterm": (IGNORE_SIGTERM, Verdict.TIMED_OUT),
    "network_egress": (NETWORK_EGRESS, Verdict.OK),
    "host_services": (HOST_SERVICES, Verdict.OK),
    "host_files": (HOST_FILES, Verdict.OK),
    "setuid_escalation": (SETUID_ESCALATION, Verdict.OK),
    "write_outside_tmp": (WRITE_OUTSIDE_TMP, Verdict.OK),
}
