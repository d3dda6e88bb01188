"""The benchmark's short mode runs end to end and reports every scenario.

It needs MariaDB on 127.0.0.1:3306 (root, no password) and wrk. It asserts only
that the run completed without errors: this machine is shared and noisy, so no
timing is checked here. docs/benchmarks.md contains measured figures.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
# Every (scenario, server) pair that one short run reports.
EXPECTED_SCENARIOS = {
    ("list all", "api", 1_000),
    ("list all", "reference", 1_000),
    ("list all", "api", 10_000),
    ("list all", "reference", 10_000),
    ("front-end page", "web", 10_000),
    ("list all, beside page", "api", 10_000),
    ("paged list", "api", 10_000),
    ("search", "api", 10_000),
    ("status", "api", 10_000),
    ("hello world", "hello", 10_000),
    ("add", "api", 10_000),
    ("add", "reference", 10_000),
    ("edit", "api", 10_000),
    ("edit", "reference", 10_000),
    ("delete", "api", 10_000),
    ("delete", "reference", 10_000),
}

pytestmark = [pytest.mark.mysql, pytest.mark.slow]


@pytest.fixture(scope="module")
def short_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    if shutil.which("wrk") is None:
        pytest.fail("wrk is not installed: install the wrk package (apt-get).")
    output = tmp_path_factory.mktemp("bench-results")
    completed = subprocess.run(
        [sys.executable, "-m", "bench", "--short", "--output", str(output)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    files = list(output.glob("*.json"))
    assert len(files) == 1, f"expected one results file in {output}, found {files}"
    results: dict[str, object] = json.loads(files[0].read_text())
    results["stdout"] = completed.stdout
    return results


def test_short_run_reports_every_scenario(short_run: dict[str, object]) -> None:
    scenarios = short_run["scenarios"]
    assert isinstance(scenarios, list)
    reported = {(item["name"], item["server"], item["rows"]) for item in scenarios}
    assert reported == EXPECTED_SCENARIOS


def test_short_run_has_no_errors(short_run: dict[str, object]) -> None:
    scenarios = short_run["scenarios"]
    assert isinstance(scenarios, list)
    failing = {
        f"{item['server']} {item['name']} at {item['rows']} rows": item["errors"]
        for item in scenarios
        if item["errors"] != 0
    }
    assert failing == {}


def test_short_run_measures_every_scenario(short_run: dict[str, object]) -> None:
    scenarios = short_run["scenarios"]
    assert isinstance(scenarios, list)
    unmeasured = [
        f"{item['server']} {item['name']}"
        for item in scenarios
        if not item["runs"] or item["runs"][0]["requests"] == 0
    ]
    assert unmeasured == []


def test_short_run_evaluates_every_target(short_run: dict[str, object]) -> None:
    targets = short_run["targets"]
    assert isinstance(targets, list)
    assert len(targets) == 9
    unmeasured = [item["target"] for item in targets if item["met"] is None]
    assert unmeasured == []


def test_short_run_prints_table(short_run: dict[str, object]) -> None:
    stdout = short_run["stdout"]
    assert isinstance(stdout, str)
    assert "| scenario | rows | server |" in stdout
    assert "| target | measured | met |" in stdout
