"""Running wrk and reading the JSON line that lua/scenario.lua prints."""

from __future__ import annotations

import json
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

SCRIPT = Path(__file__).parent / "lua" / "scenario.lua"
THREADS = 2
CONNECTIONS = 32
# wrk's default of 2 s would count slow 100k-row lists as socket timeouts.
TIMEOUT_SECONDS = 30
RESULT_PREFIX = "BENCH_RESULT "


@dataclass(frozen=True)
class RunResult:
    """One wrk run: throughput, latency percentiles and every kind of error."""

    target: str
    url: str
    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    non_2xx: int
    socket_errors: int
    mb_per_second: float

    @property
    def errors(self) -> int:
        return self.non_2xx + self.socket_errors

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "errors": self.errors}


def run_wrk(
    target: str,
    url: str,
    seconds: float,
    mode: str = "get",
    run_prefix: int = 500,
    ids_file: Path | None = None,
) -> RunResult:
    """Run wrk -t2 -c32 against `url` for `seconds` and return its summary."""
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds:g}s",
        f"--timeout={TIMEOUT_SECONDS}s",
        "-s",
        str(SCRIPT),
        url,
        "--",
        mode,
        str(run_prefix),
        str(THREADS),
    ]
    if ids_file is not None:
        command.append(str(ids_file))
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 120
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"wrk failed with exit code {completed.returncode} on {url}: "
            f"{completed.stderr.strip() or completed.stdout.strip()}"
        )
    summary = None
    for line in completed.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            summary = json.loads(line[len(RESULT_PREFIX) :])
    if summary is None:
        raise RuntimeError(
            f"wrk printed no {RESULT_PREFIX.strip()} line for {url}:\n"
            f"{completed.stdout}\n{completed.stderr}"
        )
    duration = summary["duration_us"] / 1e6
    return RunResult(
        target=target,
        url=url,
        requests=summary["requests"],
        seconds=round(duration, 3),
        requests_per_second=round(summary["requests"] / duration, 1),
        p50_ms=round(summary["latency_p50_us"] / 1000, 2),
        p99_ms=round(summary["latency_p99_us"] / 1000, 2),
        max_ms=round(summary["latency_max_us"] / 1000, 2),
        non_2xx=summary["non_2xx"],
        socket_errors=summary["connect_errors"]
        + summary["read_errors"]
        + summary["write_errors"]
        + summary["timeouts"],
        mb_per_second=round(summary["bytes"] / duration / 2**20, 2),
    )
