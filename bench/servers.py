"""Server processes under test, and the resident memory of a process tree."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx

STOP_TIMEOUT_SECONDS = 15.0


@dataclass
class Server:
    """One server command with its worker processes, listening on a loopback port."""

    name: str
    command: list[str]
    env: dict[str, str]
    port: int
    ready_path: str
    log_path: Path
    workers: int = 2
    process: subprocess.Popen[bytes] | None = None
    log_file: IO[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        """Start the server in its own session and wait until it responds."""
        self.log_file = self.log_path.open("ab")
        self.process = subprocess.Popen(
            self.command,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode} at start-up; "
                    f"see {self.log_path}"
                )
            try:
                httpx.get(self.url + self.ready_path, timeout=2)
            except httpx.TransportError:
                time.sleep(0.2)
                continue
            # Every worker must be up, or the first runs measure one worker only.
            if len(process_tree(self.process.pid)) > self.workers:
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(
            f"{self.name} did not respond at {self.url}{self.ready_path} within "
            f"{timeout:.0f} s; see {self.log_path}"
        )

    def stop(self) -> None:
        """Stop the server's process group: SIGTERM, then SIGKILL after a timeout."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.log_file is not None:
            self.log_file.close()
            self.log_file = None


def process_tree(root_pid: int) -> list[int]:
    """Return `root_pid` and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name in brackets may contain spaces, so split after it.
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
    tree = [root_pid]
    index = 0
    while index < len(tree):
        tree.extend(children.get(tree[index], []))
        index += 1
    return tree


def rss_bytes(pid: int) -> int:
    """Return the resident set size of `pid` from /proc/PID/status, 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class MemorySample:
    """RSS of a process tree: the sum over its processes and the largest one."""

    total_bytes: int
    max_process_bytes: int
    processes: int

    def as_dict(self) -> dict[str, float]:
        return {
            "total_mb": round(self.total_bytes / 2**20, 1),
            "max_process_mb": round(self.max_process_bytes / 2**20, 1),
            "processes": self.processes,
        }


def sample_memory(root_pid: int) -> MemorySample:
    sizes = [rss_bytes(pid) for pid in process_tree(root_pid)]
    return MemorySample(sum(sizes), max(sizes, default=0), len(sizes))


class MemoryPeak:
    """Sample a process tree's RSS every `interval` seconds, keeping the peaks."""

    def __init__(self, root_pid: int, interval: float = 0.1) -> None:
        self.root_pid = root_pid
        self.interval = interval
        self.peak = MemorySample(0, 0, 0)
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemoryPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            sample = sample_memory(self.root_pid)
            self.samples += 1
            self.peak = MemorySample(
                max(self.peak.total_bytes, sample.total_bytes),
                max(self.peak.max_process_bytes, sample.max_process_bytes),
                max(self.peak.processes, sample.processes),
            )
            self._stop.wait(self.interval)
