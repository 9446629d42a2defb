"""Figures in a machine-readable form, for bench/results.md (written by bench/run_all.py).

Each benchmark prints its figures as before and, when HOTLINE_BENCH_RESULTS names a file,
also appends one JSON line per figure: the value, the baseline measured in the same run,
and the target it is held to.
"""

from __future__ import annotations

import json
import os

RESULTS_ENV = "HOTLINE_BENCH_RESULTS"


def record(
    bench: str,
    figure: str,
    value: float,
    unit: str,
    *,
    baseline: float | None = None,
    baseline_label: str = "",
    target: str = "",
    met: bool | None = None,
) -> None:
    path = os.environ.get(RESULTS_ENV)
    if not path:
        return
    line = {
        "bench": bench,
        "figure": figure,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "baseline_label": baseline_label,
        "target": target,
        "met": met,
    }
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")
