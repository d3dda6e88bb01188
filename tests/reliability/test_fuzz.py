"""Schemathesis fuzzes the back-end from its own OpenAPI document."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support import Service

from .conftest import record_figure

SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")
MAX_EXAMPLES_PER_OPERATION = 120
MIN_CASES = 1000
SEED = "20241204"
# These two checks judge whether the API accepts exactly the requests that the
# document allows. OpenAPI cannot express that a field may come from the body or
# the query string, nor which +numbers libphonenumber accepts, so they fail on
# correct behaviour. Every check of the responses themselves stays on.
REQUEST_ACCEPTANCE_CHECKS = "positive_data_acceptance,negative_data_rejection"


def test_fuzzing_finds_no_server_error(api: Service, tmp_path: Path) -> None:
    report = tmp_path / "schemathesis.json"
    result = subprocess.run(
        [
            SCHEMATHESIS,
            "run",
            f"{api.url}/openapi.json",
            "--checks",
            "all",
            "--exclude-checks",
            REQUEST_ACCEPTANCE_CHECKS,
            "--max-examples",
            str(MAX_EXAMPLES_PER_OPERATION),
            "--seed",
            SEED,
            "--workers",
            "1",
            "--request-timeout",
            "10",
            "--report",
            "json",
            "--report-json-path",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, output

    summary = json.loads(report.read_text())
    assert summary["complete"], output
    assert summary["failures"] == [], output
    assert summary["errors"] == [], output
    assert summary["operations"]["tested"] == summary["operations"]["total"]
    generated = summary["test_cases"]["generated"]
    assert generated >= MIN_CASES, output
    assert summary["test_cases"]["with_failures"] == 0

    server_errors = [
        line
        for line in api.logs().splitlines()
        if '"status":5' in line and '"path":"/' in line
    ]
    assert server_errors == []

    record_figure(
        "schemathesis",
        f"{generated} cases over {summary['operations']['tested']} operations, "
        f"0 failures, {summary['running_time']:.0f} s (seed {SEED})",
    )
