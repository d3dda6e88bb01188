"""Run the benchmark: start the servers, seed MariaDB, run wrk, report.

Usage, from the repository root with the project's venv:

    python -m bench           # full run: 1k, 10k and 100k rows, 15 s per run
    python -m bench --short   # CI run: 1k and 10k rows, 2 s per run, one round
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import data, report
from bench.servers import MemoryPeak, Server, sample_memory
from bench.wrk import CONNECTIONS, THREADS, RunResult, run_wrk

REPOSITORY = Path(__file__).resolve().parent.parent
RESULTS_DIRECTORY = Path(__file__).resolve().parent / "results"
# The container images run both services with 2 uvicorn workers.
WORKERS = 2
# Rows cycled through by the edit scenario.
EDIT_IDS = 10_000
# The delete pool contains this many times the expected number of deletes. Deletes
# can run faster than the adds the estimate starts from, hence the wide margin.
DELETE_POOL_MARGIN = 2.0
DELETE_POOL_MINIMUM = 2_000
# Writes per second assumed at least, whatever the add runs measured.
DELETE_RATE_FLOOR = 3_000.0
# Writes followed by one timed full list, at the largest size.
FIRST_LIST_REPEATS = 5
WARMUP_REQUESTS = 3
REFERENCE_APP = "bench.reference:create_app"
HELLO_APP = "bench.reference:hello"


@dataclass(frozen=True)
class Mode:
    """Sizes, run length and rounds of one kind of run."""

    name: str
    sizes: tuple[int, ...]
    seconds: float
    rounds: int


FULL = Mode("full", (1_000, 10_000, 100_000), 15.0, 2)
SHORT = Mode("short", (1_000, 10_000), 2.0, 1)


@dataclass
class Scenario:
    """One measured endpoint, its runs, and the partner it alternated with."""

    name: str
    rows: int
    server: str
    path: str
    runs: list[RunResult] = field(default_factory=list)
    partner: Scenario | None = None
    is_reference: bool = False

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(run, attribute) for run in self.runs)

    @property
    def errors(self) -> int:
        return sum(run.errors for run in self.runs)

    def ratio_to_partner(self) -> float | None:
        """Median over rounds of this run's req/s over the partner's in that round."""
        if self.partner is None or not self.partner.runs:
            return None
        ratios = [
            mine.requests_per_second / theirs.requests_per_second
            for mine, theirs in zip(self.runs, self.partner.runs, strict=True)
            if theirs.requests_per_second > 0
        ]
        return statistics.median(ratios) if ratios else None


class Bench:
    """Everything one benchmark run starts, measures and cleans up."""

    def __init__(self, mode: Mode, work_directory: Path) -> None:
        self.mode = mode
        self.work_directory = work_directory
        self.database = f"phonebook_bench_{os.getpid()}"
        self.database_url = ""
        self.scenarios: list[Scenario] = []
        self.memory: dict[str, Any] = {}
        self.first_list: dict[str, Any] = {}
        self.delete_pools: list[dict[str, Any]] = []
        self.run_prefix = 500
        self.servers: dict[str, Server] = {}
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "DB_HOST", "API_URL", "PORT"}
        }
        self.env["PYTHONPATH"] = str(REPOSITORY)

    # Servers

    def start_servers(self) -> None:
        python = sys.executable
        ports = [free_port() for _ in range(4)]
        common = {**self.env, "WEB_CONCURRENCY": str(WORKERS), "HOST": "127.0.0.1"}
        self.servers["api"] = Server(
            "api",
            [python, "-m", "phonebook", "api", "--no-migrate"],
            {**common, "DATABASE_URL": self.database_url, "PORT": str(ports[0])},
            ports[0],
            "/healthz",
            self.work_directory / "api.log",
        )
        self.servers["web"] = Server(
            "web",
            [python, "-m", "phonebook", "web"],
            {
                **common,
                "API_URL": f"http://127.0.0.1:{ports[0]}",
                "PORT": str(ports[1]),
            },
            ports[1],
            "/healthz",
            self.work_directory / "web.log",
        )
        uvicorn = [python, "-m", "uvicorn", "--host", "127.0.0.1", "--no-access-log"]
        uvicorn += ["--log-level", "warning", "--workers", str(WORKERS)]
        self.servers["reference"] = Server(
            "reference",
            [*uvicorn, "--port", str(ports[2]), "--factory", REFERENCE_APP],
            {**common, "BENCH_DATABASE": self.database},
            ports[2],
            "/user/list",
            self.work_directory / "reference.log",
        )
        self.servers["hello"] = Server(
            "hello",
            [*uvicorn, "--port", str(ports[3]), "--lifespan", "off", HELLO_APP],
            common,
            ports[3],
            "/",
            self.work_directory / "hello.log",
        )
        for server in self.servers.values():
            server.start()

    def stop_servers(self) -> None:
        for server in self.servers.values():
            server.stop()

    def url(self, server: str, path: str) -> str:
        return self.servers[server].url + path

    # Measuring

    def next_prefix(self) -> int:
        self.run_prefix += 1
        return self.run_prefix

    def warm_up(self, *scenarios: Scenario) -> None:
        """Send a few GETs first, so that no run pays for a cold cache alone."""
        for scenario in scenarios:
            for _ in range(WARMUP_REQUESTS):
                httpx.get(self.url(scenario.server, scenario.path), timeout=60)

    def measure(
        self,
        scenario: Scenario,
        mode: str = "get",
        prepare: Callable[[Scenario], Path | None] | None = None,
    ) -> RunResult:
        ids_file = prepare(scenario) if prepare is not None else None
        result = run_wrk(
            f"{scenario.server} {scenario.name}",
            self.url(scenario.server, scenario.path),
            self.mode.seconds,
            mode=mode,
            run_prefix=self.next_prefix(),
            ids_file=ids_file,
        )
        scenario.runs.append(result)
        print(
            f"  {scenario.name} ({scenario.server}, {scenario.rows} rows): "
            f"{result.requests_per_second:.1f} req/s, p99 {result.p99_ms:.1f} ms, "
            f"{result.errors} errors",
            file=sys.stderr,
            flush=True,
        )
        if mode != "get":
            data.remove_benchmark_rows(self.database)
        return result

    def alternate(
        self,
        first: Scenario,
        second: Scenario,
        mode: str = "get",
        prepare: Callable[[Scenario], Path | None] | None = None,
    ) -> None:
        """Run A B A B ...: one run of each per round, so both see the same noise."""
        first.partner = second
        self.scenarios.extend([first, second])
        if mode == "get":
            self.warm_up(first, second)
        for _ in range(self.mode.rounds):
            self.measure(first, mode, prepare)
            self.measure(second, mode, prepare)

    def alone(self, scenario: Scenario) -> None:
        self.scenarios.append(scenario)
        self.warm_up(scenario)
        for _ in range(self.mode.rounds):
            self.measure(scenario)

    # Write scenarios

    def write_edit_ids(self, scenario: Scenario) -> Path:
        path = self.work_directory / "edit-ids.txt"
        if not path.exists():
            path.write_text("\n".join(data.seeded_ids(self.database, EDIT_IDS)) + "\n")
        return path

    def write_delete_pool(self, scenario: Scenario) -> Path:
        """Pre-create more rows than the run can delete and list their ids."""
        add_rates = [
            run.requests_per_second
            for other in self.scenarios
            if other.name == "add"
            for run in other.runs
        ]
        expected = max([*add_rates, DELETE_RATE_FLOOR]) * self.mode.seconds
        count = max(DELETE_POOL_MINIMUM, math.ceil(expected * DELETE_POOL_MARGIN))
        first_index = sum(pool["rows"] for pool in self.delete_pools)
        ids = data.create_delete_pool(self.database, count, first_index)
        self.delete_pools.append({"server": scenario.server, "rows": count})
        path = self.work_directory / "delete-ids.txt"
        path.write_text("\n".join(ids) + "\n")
        return path

    # Memory and the first list after a write

    def record_idle_memory(self, label: str) -> None:
        time.sleep(2)
        sample = sample_memory(self.api_pid)
        self.memory[label] = sample.as_dict()

    @property
    def api_pid(self) -> int:
        process = self.servers["api"].process
        assert process is not None
        return process.pid

    def time_first_list_after_write(self, rows: int) -> None:
        """Add an entry, then time one full GET /user/list, several times over."""
        timings: dict[str, list[float]] = {"api": [], "reference": []}
        with httpx.Client(timeout=60) as client:
            for attempt in range(FIRST_LIST_REPEATS):
                phone = f"{self.next_prefix()}9{attempt:08d}"
                response = client.post(
                    self.url("api", "/user/add"),
                    json={"name": f"Bench first list {attempt}", "phone": phone},
                )
                response.raise_for_status()
                for server in ("api", "reference"):
                    started = time.perf_counter()
                    listing = client.get(self.url(server, "/user/list"))
                    listing.raise_for_status()
                    timings[server].append(time.perf_counter() - started)
        data.remove_benchmark_rows(self.database)
        self.first_list = {
            "rows": rows,
            "repeats": FIRST_LIST_REPEATS,
            "api_seconds": [round(value, 3) for value in timings["api"]],
            "api_median_seconds": round(statistics.median(timings["api"]), 3),
            "reference_seconds": [round(value, 3) for value in timings["reference"]],
            "reference_median_seconds": round(
                statistics.median(timings["reference"]), 3
            ),
        }

    # The whole run

    def run(self) -> None:
        self.database_url = data.create_database(self.database)
        try:
            data.migrate(self.database_url, self.env)
            self.start_servers()
            try:
                self.record_idle_memory("idle_after_start")
                self.run_scenarios()
            finally:
                self.stop_servers()
        finally:
            data.drop_database(self.database)

    def run_scenarios(self) -> None:
        sizes = self.mode.sizes
        largest = sizes[-1]
        middle = 10_000 if 10_000 in sizes else sizes[-1]
        for rows in sizes:
            print(f"Seeding {rows} entries", file=sys.stderr, flush=True)
            data.seed_to(self.database, rows)
            if rows == largest:
                with MemoryPeak(self.api_pid) as peak:
                    self.run_list_all(rows)
                    self.time_first_list_after_write(rows)
                self.memory["peak"] = {
                    **peak.peak.as_dict(),
                    "rows": rows,
                    "samples": peak.samples,
                }
                self.record_idle_memory("idle_after_load")
            else:
                self.run_list_all(rows)
            if rows == middle:
                self.run_middle_size(rows)

    def run_list_all(self, rows: int) -> None:
        self.alternate(
            Scenario("list all", rows, "api", "/user/list"),
            Scenario("list all", rows, "reference", "/user/list", is_reference=True),
        )

    def run_middle_size(self, rows: int) -> None:
        """Scenarios measured at 10k rows only: pages, search, status and writes."""
        self.alternate(
            Scenario("front-end page", rows, "web", "/"),
            Scenario("list all, beside page", rows, "api", "/user/list"),
        )
        self.alone(
            Scenario("paged list", rows, "api", "/user/list?limit=50&offset=5000")
        )
        self.alone(Scenario("search", rows, "api", "/user/list?q=an&limit=50"))
        self.alternate(
            Scenario("status", rows, "api", "/status"),
            Scenario("hello world", rows, "hello", "/", is_reference=True),
        )
        for name, mode, prepare in (
            ("add", "add", None),
            ("edit", "edit", self.write_edit_ids),
            ("delete", "delete", self.write_delete_pool),
        ):
            self.alternate(
                Scenario(name, rows, "api", f"/user/{name}"),
                Scenario(name, rows, "reference", f"/user/{name}", is_reference=True),
                mode,
                prepare,
            )

    def results(self) -> dict[str, Any]:
        return {
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "mode": self.mode.name,
            "settings": {
                "sizes": list(self.mode.sizes),
                "seconds_per_run": self.mode.seconds,
                "rounds": self.mode.rounds,
                "wrk_threads": THREADS,
                "wrk_connections": CONNECTIONS,
                "workers_per_server": WORKERS,
            },
            "machine": machine_info(),
            "scenarios": [report.scenario_dict(item) for item in self.scenarios],
            "memory": self.memory,
            "first_list_after_write": self.first_list,
            "delete_pools": self.delete_pools,
        }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def machine_info() -> dict[str, Any]:
    cpu_model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu_model = line.split(":", 1)[1].strip()
            break
    wrk_version = subprocess.run(
        ["wrk", "-v"], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    return {
        "nproc": int(subprocess.run(["nproc"], capture_output=True, text=True).stdout),
        "cpu_model": cpu_model,
        "mariadb_version": data.server_version(),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "wrk": wrk_version[0] if wrk_version else "",
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark the phonebook API and front-end against references.",
    )
    parser.add_argument(
        "--short",
        action="store_true",
        help="1k and 10k rows, 2 s per run, one round (what CI runs)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=RESULTS_DIRECTORY,
        help="directory for the results JSON (default bench/results)",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    mode = SHORT if arguments.short else FULL
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="phonebook-bench-") as directory:
        bench = Bench(mode, Path(directory))
        try:
            bench.run()
        except Exception:
            for log in sorted(Path(directory).glob("*.log")):
                print(f"--- last lines of {log.name}", file=sys.stderr)
                print(log.read_text(errors="replace")[-2000:], file=sys.stderr)
            raise
    results = bench.results()
    results["elapsed_seconds"] = round(time.monotonic() - started, 1)
    results["targets"] = report.evaluate_targets(results)
    arguments.output.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = arguments.output / f"{stamp}-{mode.name}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(report.markdown(results))
    print(f"\nResults: {path}", file=sys.stderr)
    return 0
