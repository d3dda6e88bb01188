"""The results JSON's scenario entries, the targets, and the Markdown table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.run import Scenario

MB = "MB"


def scenario_dict(scenario: Scenario) -> dict[str, Any]:
    ratio = scenario.ratio_to_partner()
    partner = scenario.partner
    return {
        "name": scenario.name,
        "rows": scenario.rows,
        "server": scenario.server,
        "path": scenario.path,
        "is_reference": scenario.is_reference,
        "requests_per_second": scenario.median("requests_per_second"),
        "p50_ms": scenario.median("p50_ms"),
        "p99_ms": scenario.median("p99_ms"),
        "errors": scenario.errors,
        "non_2xx": sum(run.non_2xx for run in scenario.runs),
        "socket_errors": sum(run.socket_errors for run in scenario.runs),
        "partner": f"{partner.server} {partner.name}" if partner else None,
        "ratio_to_partner": round(ratio, 3) if ratio is not None else None,
        "runs": [run.as_dict() for run in scenario.runs],
    }


def find(
    results: dict[str, Any], name: str, server: str, rows: int | None = None
) -> dict[str, Any] | None:
    for scenario in results["scenarios"]:
        if (
            scenario["name"] == name
            and scenario["server"] == server
            and (rows is None or scenario["rows"] == rows)
        ):
            return scenario  # type: ignore[no-any-return]
    return None


def hello_rate(results: dict[str, Any]) -> float | None:
    hello = find(results, "hello world", "hello")
    return hello["requests_per_second"] if hello else None


def target(
    name: str, measured: float | None, limit: float, at_least: bool, unit: str
) -> dict[str, Any]:
    if measured is None:
        met = None
    else:
        met = measured >= limit if at_least else measured <= limit
    return {
        "target": name,
        "measured": round(measured, 3) if measured is not None else None,
        "limit": limit,
        "comparison": ">=" if at_least else "<=",
        "unit": unit,
        "met": met,
    }


def evaluate_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Compare the run with the targets; `met` is None when a figure is missing."""
    targets = []
    for name in ("add", "edit", "delete"):
        scenario = find(results, name, "api")
        targets.append(
            target(
                f"{name} >= 0.7 x reference",
                scenario["ratio_to_partner"] if scenario else None,
                0.7,
                True,
                "x",
            )
        )

    list_10k = find(results, "list all", "api", 10_000)
    targets.append(
        target(
            "list all at 10k >= 20 x reference SELECT",
            list_10k["ratio_to_partner"] if list_10k else None,
            20,
            True,
            "x",
        )
    )
    targets.append(
        target(
            "list all at 10k p99 <= 100 ms (32 connections)",
            list_10k["p99_ms"] if list_10k else None,
            100,
            False,
            "ms",
        )
    )

    first = results.get("first_list_after_write") or {}
    targets.append(
        target(
            f"first list after a write at {first.get('rows', '?')} rows <= 1 s",
            first.get("api_median_seconds"),
            1.0,
            False,
            "s",
        )
    )

    page = find(results, "front-end page", "web")
    targets.append(
        target(
            "front-end page at 10k >= 0.5 x list all",
            page["ratio_to_partner"] if page else None,
            0.5,
            True,
            "x",
        )
    )

    memory = results.get("memory", {})
    idle = memory.get("idle_after_start", {})
    targets.append(
        target(
            "api RSS idle <= 100 MB per process",
            idle.get("max_process_mb"),
            100,
            False,
            MB,
        )
    )
    peak = memory.get("peak", {})
    targets.append(
        target(
            f"api RSS peak at {peak.get('rows', '?')} rows <= 250 MB per process",
            peak.get("max_process_mb"),
            250,
            False,
            MB,
        )
    )

    return targets


def format_number(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def markdown(results: dict[str, Any]) -> str:
    """Render the scenario table, the targets and the memory figures."""
    hello = hello_rate(results)
    lines = [
        f"Mode: {results['mode']}, {results['settings']['seconds_per_run']:g} s per "
        f"run, {results['settings']['rounds']} round(s), wrk "
        f"-t{results['settings']['wrk_threads']} "
        f"-c{results['settings']['wrk_connections']}; medians over rounds.",
        "",
        "| scenario | rows | server | req/s | p50 ms | p99 ms | errors "
        "| ratio to partner (partner) | x hello |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for scenario in results["scenarios"]:
        if scenario["ratio_to_partner"] is not None and not scenario["is_reference"]:
            ratio = f"{scenario['ratio_to_partner']:.2f} ({scenario['partner']})"
        else:
            ratio = ""
        to_hello = (
            format_number(scenario["requests_per_second"] / hello, 3) if hello else "-"
        )
        lines.append(
            f"| {scenario['name']} | {scenario['rows']:,} | {scenario['server']} "
            f"| {format_number(scenario['requests_per_second'])} "
            f"| {format_number(scenario['p50_ms'], 2)} "
            f"| {format_number(scenario['p99_ms'], 2)} "
            f"| {scenario['errors']} | {ratio} | {to_hello} |"
        )
    lines += ["", "| target | measured | met |", "| --- | ---: | --- |"]
    for item in results["targets"]:
        met = {True: "met", False: "**missed**", None: "not measured"}[item["met"]]
        lines.append(
            f"| {item['target']} | {format_number(item['measured'], 2)} "
            f"{item['unit']} | {met} |"
        )
    memory = results.get("memory", {})
    lines += ["", "| api RSS | sum of processes MB | largest process MB | processes |"]
    lines.append("| --- | ---: | ---: | ---: |")
    for label, sample in memory.items():
        lines.append(
            f"| {label.replace('_', ' ')} | {sample['total_mb']} "
            f"| {sample['max_process_mb']} | {sample['processes']} |"
        )
    first = results.get("first_list_after_write") or {}
    if first:
        lines += [
            "",
            f"First full list after a write at {first['rows']:,} rows, median of "
            f"{first['repeats']}: api {first['api_median_seconds']:.3f} s "
            f"({', '.join(f'{value:.3f}' for value in first['api_seconds'])}), "
            f"reference SELECT {first['reference_median_seconds']:.3f} s.",
        ]
    return "\n".join(lines)
