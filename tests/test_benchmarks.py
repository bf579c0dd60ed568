"""Keep benchmarks/run.py working: run it once in its quickest mode."""

import re
import subprocess
import sys

from tests.bakery import TEMPLATE

# A small panel keeps the pyfixest row quick.
QUICK_PANEL = ["--panel", "2000,50"]


def test_benchmark_prints_its_table() -> None:
    command = [sys.executable, str(TEMPLATE / "benchmarks" / "run.py")]
    process = subprocess.run(
        [*command, "--repetitions", "1", "--scales", "", "--copies", "2", *QUICK_PANEL],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert process.returncode == 0, process.stderr
    rows = [line for line in process.stdout.splitlines() if line.startswith("| ")]
    # File sizes vary with the writers' versions.
    measured = [
        re.sub(r" \([\d.]+ MB\)", "", row.split(" | ")[0].removeprefix("| "))
        for row in rows[2:]
    ]
    assert measured == [
        "generation: hooks vs `--accept-hooks no`",
        "generation, pytask not importable: hooks vs `--accept-hooks no`",
        "default (12 estimations): cold build vs plain script",
        "default (16 tasks): cold build vs trivial pytask project",
        "default (16 tasks): no-op rebuild vs trivial pytask project",
        "default (16 tasks): `pytask collect` vs trivial pytask project",
        "default (16 tasks): cold build, `pytask -n 2` vs serial",
        "heavy (data 2 times, 1,888 rows): cold build, serial vs `pytask -n 2` "
        "(ratio: speed-up)",
        "panel (2,000 rows, 50 groups): cold build, `pyfixest.feols` absorbing the "
        "groups vs `ols` with `C(group)`",
        *(
            f"raw data, 1,888 rows, {name} vs CSV: {what}"
            for name in ("Stata", "Parquet", "Excel", "SPSS")
            for what in ("its columns", "read all")
        ),
        "prepared data, 1,888 rows: write and read, Parquet vs pickle",
    ]
    for row in rows[2:]:
        ratio = float(row.split(" | ")[3])
        assert ratio > 0
