"""Benchmark the template and the project it generates; print a Markdown table.

    python benchmarks/run.py --slurm                  # as recorded in the README
    python benchmarks/run.py --repetitions 1 --scales 2   # a quick look

A panel (``--panel rows,groups``) compares ``pyfixest.feols``, absorbing the groups'
fixed effects, with ``ols`` fitting them as ``C(group)`` dummies, both through pytask.

Everything happens in a temporary folder: the default project is baked, grown by
appending data specifications to ``DATA`` in its config, and run with
``PYTHONPATH=<project>/src:<project>`` (its package and the template's machinery beside
it), never installed. A copy with the data repeated
``--copies`` times ("heavy": each estimation then takes about 0.3 s) compares serial
builds with ``pytask -n 2`` and, with ``--slurm``, with 2 dask workers in the jobs of
a one-node SLURM (tests/slurm.py). Each measurement is paired with its
reference in the same repetition (template, then reference); a ratio is the median of
the ratios of the pairs, a time the median of the repetitions.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[1]
PLAIN_SCRIPT = Path(__file__).resolve().with_name("plain_script.py")
PYTASK = [sys.executable, "-m", "pytask"]
MODELS_PER_DATA = 3  # linear_probability, logit, probit

# Appended to the generated data_preparation/config.py: more specifications, built
# from the four that ship with the project, so every one prepares and fits for real.
GROW_DATA = """
# Added by benchmarks/run.py: {n_data} data specifications in all.
_BASE = list(DATA.values())
DATA = {{f"data_{{i}}": _BASE[i % len(_BASE)] for i in range({n_data})}}
"""

# pytask's floor: the same tasks and files, each task only touches its products.
TRIVIAL_TASKS = """
from pathlib import Path
from typing import Annotated

from pytask import Product, task

HERE = Path(__file__).parent
BLD = HERE / "bld"

for i in range({n_data}):

    @task(id=f"data_{{i}}", kwargs={{"raw": HERE / "data.csv"}})
    def task_prepare(raw: Path, out: Annotated[Path, Product] = BLD / f"{{i}}.pkl"):
        out.touch()

    for model in ("linear_probability", "logit", "probit"):

        @task(id=f"{{model}}_data_{{i}}", kwargs={{"data": BLD / f"{{i}}.pkl"}})
        def task_estimate(
            data: Path,
            result: Annotated[Path, Product] = BLD / f"{{model}}_{{i}}.pickle",
            summary: Annotated[Path, Product] = BLD / f"{{model}}_{{i}}.md",
        ):
            result.touch()
            summary.touch()
"""


# Appended to the configs of a project for the panel benchmark: one data specification
# with fixed effects of a group, and one model, pyfixest's or statsmodels'.
PANEL_DATA = """
DATA = {"panel": {"outcome": "y", "covariates": ["x1", "x2"], "sample": None,
                  "fixed_effects": ["group"]}}
"""
PANEL_MODELS = """
MODELS = {{"panel_model": {model!r}}}
ESTIMATIONS = {{"panel_model_panel": {{"model": "panel_model", "data": "panel"}}}}
"""
PANEL_FIXEST = {"estimator": "pyfixest.feols", "arguments": {"vcov": {"CRV1": "group"}}}
PANEL_DUMMIES = {
    "estimator": "ols",
    "fit": {"cov_type": "cluster", "cov_kwds": {"groups": "group"}},
}

# Reads one raw data file in a fresh process with the reader's library imported:
# the columns from its header as the project's checks do, then the data as the
# preparation task does. Prints the seconds of each.
READ_RAW_DATA = """
import json, sys, time
from pathlib import Path
import pandas as pd
from my_project_template import raw_data
path = Path(sys.argv[1])
data_format = raw_data.FORMATS[path.suffix]
if data_format.package:
    __import__(data_format.package)
start = time.perf_counter()
data_format.columns(path)
header = time.perf_counter() - start
start = time.perf_counter()
getattr(pd, data_format.reader)(path)
print(json.dumps({"header": header, "read": time.perf_counter() - start}))
"""
# Writes and reads the prepared data as Parquet and as a pickle; prints the seconds.
STORE_PREPARED_DATA = """
import json, sys, time
from pathlib import Path
import pandas as pd
import pyarrow.parquet
data = pd.read_csv(sys.argv[1])
seconds = {}
for suffix, write, read in (
    (".parquet", "to_parquet", pd.read_parquet), (".pkl", "to_pickle", pd.read_pickle)
):
    path = Path(sys.argv[2]).with_suffix(suffix)
    start = time.perf_counter()
    getattr(data, write)(path)
    read(path)
    seconds[suffix] = time.perf_counter() - start
    seconds[suffix + " MB"] = path.stat().st_size / 1e6
print(json.dumps(seconds))
"""
RAW_FORMATS = {".dta": "Stata", ".parquet": "Parquet", ".xlsx": "Excel", ".sav": "SPSS"}


@dataclass
class Run:
    """One timed process: wall time in seconds and peak memory in MiB."""

    seconds: float
    peak_mib: float


def on_path(project: Path) -> str:
    """Return what installing a project puts on the path: src/ and its machinery."""
    return os.pathsep.join([str(project / "src"), str(project)])


def timed(
    command: Sequence[str],
    cwd: Path,
    pythonpath: Path | str | None = None,
    settings: dict[str, str] | None = None,
) -> Run:
    """Run ``command`` with more ``settings`` in its environment; return its wall
    time and the peak RSS of the process."""
    env = os.environ | (settings or {})
    # As on a researcher's machine, Python caches the bytecode of what it imports, so
    # that the projects' own modules are not compiled again in every run.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if pythonpath:
        env["PYTHONPATH"] = str(pythonpath)
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=log)
        # wait4 reports the resources of this one child, not of all children so far.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            sys.exit(f"{' '.join(command)} failed:\n{log.read().decode()}")
    return Run(seconds, usage.ru_maxrss / 1024)


def clean(project: Path) -> None:
    """Remove what pytask built and remembers, for a cold build."""
    for name in ("bld", ".pytask"):
        shutil.rmtree(project / name, ignore_errors=True)
    (project / "pytask.lock").unlink(missing_ok=True)


def bake(output_dir: Path, *options: str) -> Path:
    """Generate the default project into ``output_dir``; return its path."""
    command = [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE)]
    output_dir.mkdir()
    timed([*command, "--output-dir", str(output_dir), *options], cwd=output_dir)
    return output_dir / "my_project"


def grow(project: Path, n_data: int) -> None:
    """Grow the project to ``n_data`` data specifications by editing its config."""
    config = project / "src" / "my_project" / "data_preparation" / "config.py"
    config.write_text(config.read_text() + GROW_DATA.format(n_data=n_data))


def replicate_data(project: Path, copies: int) -> int:
    """Repeat the rows of the project's data ``copies`` times; return how many rows."""
    return replicate_data_file(
        project / "src" / "my_project" / "data" / "data.csv", copies
    )


def replicate_data_file(data: Path, copies: int) -> int:
    """Repeat the rows of a CSV file ``copies`` times; return how many rows."""
    header, *rows = data.read_text().splitlines(keepends=True)
    data.write_text(header + "".join(rows) * copies)
    return len(rows) * copies


@contextmanager
def slurm_settings(folder: Path) -> Iterator[dict[str, str]]:
    """Start the tests' one-node SLURM; yield dask's settings for 1-core workers."""
    sys.path.insert(0, str(TEMPLATE))
    from tests.slurm import on_one_core_workers, one_node_slurm

    folder.mkdir()
    with one_node_slurm(folder) as conf:
        yield on_one_core_workers(folder) | {"SLURM_CONF": str(conf)}


def trivial_project(folder: Path, n_data: int) -> Path:
    """Write a pytask project with the same tasks and files that do nothing."""
    folder.mkdir(parents=True)
    (folder / "pyproject.toml").write_text("[tool.pytask.ini_options]\n")
    (folder / "data.csv").write_text("vote\n1\n")
    (folder / "task_trivial.py").write_text(TRIVIAL_TASKS.format(n_data=n_data))
    return folder


@dataclass
class Pair:
    """Repeated paired runs of the template's command and its reference."""

    template: list[Run]
    reference: list[Run]

    def median(self, side: str) -> float:
        """Median wall time of one side."""
        return statistics.median(run.seconds for run in getattr(self, side))

    def ratio(self) -> float:
        """Median of the ratios of the pairs, template over reference."""
        pairs = zip(self.template, self.reference, strict=True)
        return statistics.median(t.seconds / r.seconds for t, r in pairs)

    def peak_mib(self) -> float:
        """Largest peak memory of the template's runs."""
        return max(run.peak_mib for run in self.template)


def paired(
    repetitions: int, template: Callable[[], Run], reference: Callable[[], Run]
) -> Pair:
    """Run template and reference alternately, ``repetitions`` times each."""
    pair = Pair([], [])
    for _ in range(repetitions):
        pair.template.append(template())
        pair.reference.append(reference())
    return pair


def cold(
    project: Path,
    *args: str,
    pythonpath: Path | str | None = None,
    settings: dict[str, str] | None = None,
) -> Callable[[], Run]:
    """Return a function that runs a cold ``pytask`` build of ``project``."""

    def run() -> Run:
        clean(project)
        return timed([*PYTASK, *args], project, pythonpath, settings)

    return run


def warm(
    project: Path, *args: str, pythonpath: Path | str | None = None
) -> Callable[[], Run]:
    """Return a function that runs ``pytask <args>`` on the built project."""
    built = False

    def run() -> Run:
        nonlocal built
        if not built:
            timed(PYTASK, project, pythonpath)
            built = True
        return timed([*PYTASK, *args], project, pythonpath)

    return run


def row(*cells: object) -> str:
    """Format one row of a Markdown table."""
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def verdict(value: float, limit: float, *, at_least: bool = False) -> str:
    """Say whether ``value`` meets the target ``limit``."""
    met = value >= limit if at_least else value <= limit
    return "met" if met else "**missed**"


def machine() -> str:
    """Describe the machine, Python and pytask the numbers were measured with."""
    from importlib.metadata import version

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"pytask {version('pytask')}, pytask-parallel {version('pytask-parallel')}, "
        f"statsmodels {version('statsmodels')}, cookiecutter {version('cookiecutter')}"
    )


def parallel_rows(
    n: int, project: Path, tmp: Path, copies: int, *, slurm: bool
) -> list[str]:
    """Compare serial builds with ``pytask -n 2`` and, if asked, with SLURM."""
    n2 = paired(
        n,
        cold(project, "-n", "2", pythonpath=on_path(project)),
        cold(project, pythonpath=on_path(project)),
    )
    lines = [
        row(
            "default (16 tasks): cold build, `pytask -n 2` vs serial",
            f"{n2.median('template'):.2f}",
            f"{n2.median('reference'):.2f}",
            f"{n2.ratio():.2f}",
            "≤ 1.5",
            verdict(n2.ratio(), 1.5),
        )
    ]
    heavy = tmp / "heavy"
    shutil.copytree(project, heavy, ignore=shutil.ignore_patterns("bld", ".pytask"))
    rows = replicate_data(heavy, copies)
    serial = cold(heavy, pythonpath=on_path(heavy))
    heavy_n2 = paired(n, serial, cold(heavy, "-n", "2", pythonpath=on_path(heavy)))
    label = f"heavy (data {copies} times, {rows:,} rows): cold build, serial vs"
    lines.append(
        row(
            f"{label} `pytask -n 2` (ratio: speed-up)",
            f"{heavy_n2.median('template'):.2f}",
            f"{heavy_n2.median('reference'):.2f}",
            f"{heavy_n2.ratio():.2f}",
            "≥ 1.6",
            verdict(heavy_n2.ratio(), 1.6, at_least=True),
        )
    )
    if slurm:
        with slurm_settings(tmp / "slurm") as settings:
            on_slurm = paired(
                n,
                serial,
                cold(heavy, "-n", "2", "--parallel-backend", "dask",
                     pythonpath=on_path(heavy), settings=settings),
            )  # fmt: skip
        lines.append(
            row(
                f"{label} SLURM, 2 one-core workers (ratio: speed-up)",
                f"{on_slurm.median('template'):.2f}",
                f"{on_slurm.median('reference'):.2f}",
                f"{on_slurm.ratio():.2f}",
                "",
                "",
            )
        )
    return lines


def write_panel(path: Path, rows: int, groups: int) -> None:
    """Write a panel: an outcome, two regressors and a group effect in each row."""
    import random

    rng = random.Random(0)
    effects = [rng.gauss(0, 1) for _ in range(groups)]
    lines = ["y,x1,x2,group"]
    for row in range(rows):
        group, x1, x2 = row % groups, rng.gauss(0, 1), rng.gauss(0, 1)
        y = 0.5 * x1 - 0.3 * x2 + effects[group] + rng.gauss(0, 1)
        lines.append(f"{y:.6f},{x1:.6f},{x2:.6f},g{group}")
    path.write_text("\n".join(lines) + "\n")


def panel_project(project: Path, folder: Path, model: dict, panel: Path) -> Path:
    """Copy the project into ``folder`` with the panel as data and ``model``."""
    shutil.copytree(project, folder, ignore=shutil.ignore_patterns("bld", ".pytask"))
    (folder / "pytask.lock").unlink(missing_ok=True)
    package = folder / "src" / "my_project"
    shutil.copy(panel, package / "data" / "data.csv")
    for config, text in (
        (package / "data_preparation" / "config.py", PANEL_DATA),
        (package / "estimation" / "config.py", PANEL_MODELS.format(model=model)),
    ):
        config.write_text(config.read_text() + text)
    return folder


def panel_row(n: int, project: Path, tmp: Path, panel: tuple[int, int]) -> str:
    """Time pyfixest absorbing the groups against statsmodels' C(group) dummies."""
    rows, groups = panel
    data = tmp / "panel.csv"
    write_panel(data, rows, groups)
    fixest = panel_project(project, tmp / "panel_fixest", PANEL_FIXEST, data)
    dummies = panel_project(project, tmp / "panel_dummies", PANEL_DUMMIES, data)
    pair = paired(
        n,
        cold(fixest, pythonpath=on_path(fixest)),
        cold(dummies, pythonpath=on_path(dummies)),
    )
    return row(
        f"panel ({rows:,} rows, {groups:,} groups): cold build, `pyfixest.feols` "
        "absorbing the groups vs `ols` with `C(group)`",
        f"{pair.median('template'):.2f}",
        f"{pair.median('reference'):.2f}",
        f"{pair.ratio():.2f}",
        "",
        "",
    )


def format_rows(n: int, project: Path, folder: Path, copies: int) -> list[str]:
    """Time reading the heavy data in each raw format, and storing the prepared data."""
    import pandas as pd
    import pyreadstat

    folder.mkdir()
    csv = folder / "data.csv"
    shutil.copy(project / "src" / "my_project" / "data" / "data.csv", csv)
    rows = replicate_data_file(csv, copies)
    data = pd.read_csv(csv)
    paths = {suffix: folder / f"data{suffix}" for suffix in (".csv", *RAW_FORMATS)}
    data.to_stata(paths[".dta"], write_index=False)
    data.to_parquet(paths[".parquet"], index=False)
    data.to_excel(paths[".xlsx"], index=False)
    pyreadstat.write_sav(data, paths[".sav"])

    def read(path: Path) -> dict[str, float]:
        command = [sys.executable, "-c", READ_RAW_DATA, str(path)]
        env = os.environ | {"PYTHONPATH": on_path(project)}
        output = subprocess.run(command, env=env, capture_output=True, check=True)
        return json.loads(output.stdout)

    timings = {suffix: [read(path) for _ in range(n)] for suffix, path in paths.items()}

    def median(suffix: str, what: str) -> float:
        return statistics.median(timing[what] for timing in timings[suffix])

    lines = []
    for suffix, name in RAW_FORMATS.items():
        size = paths[suffix].stat().st_size / 1e6
        for what, label in (("header", "its columns"), ("read", "read all")):
            template, reference = median(suffix, what), median(".csv", what)
            lines.append(
                row(
                    f"raw data, {rows:,} rows, {name} ({size:.1f} MB) vs CSV: {label}",
                    f"{template:.4f}",
                    f"{reference:.4f}",
                    f"{template / reference:.2f}",
                    "",
                    "",
                )
            )
    command = [sys.executable, "-c", STORE_PREPARED_DATA, str(csv), str(folder / "p")]
    stored = [
        json.loads(subprocess.run(command, capture_output=True, check=True).stdout)
        for _ in range(n)
    ]
    parquet = statistics.median(s[".parquet"] for s in stored)
    pickle = statistics.median(s[".pkl"] for s in stored)
    lines.append(
        row(
            f"prepared data, {rows:,} rows: write and read, Parquet "
            f"({stored[0]['.parquet MB']:.1f} MB) vs pickle "
            f"({stored[0]['.pkl MB']:.1f} MB)",
            f"{parquet:.4f}",
            f"{pickle:.4f}",
            f"{parquet / pickle:.2f}",
            "",
            "",
        )
    )
    return lines


def benchmark(
    repetitions: int,
    scales: list[int],
    tmp: Path,
    copies: int,
    *,
    slurm: bool,
    panel: tuple[int, int] = (50_000, 1_000),
) -> list[str]:
    """Measure everything; return the lines of the Markdown report."""
    n = repetitions
    lines = [
        f"Machine: {machine()}. Medians of {n} runs; ratios are medians of the "
        "ratios of runs paired in the same repetition.",
        "",
        row("measurement", "template (s)", "reference (s)", "ratio", "target", ""),
        row(*["---"] * 6),
    ]

    def bake_into(
        name: str, *options: str, pythonpath: Path | str | None = None
    ) -> Callable[[], Run]:
        counter = iter(range(n))

        def run() -> Run:
            folder = tmp / f"{name}_{next(counter)}"
            folder.mkdir()
            command = [sys.executable, "-m", "cookiecutter", "--no-input"]
            return timed([*command, str(TEMPLATE), *options], folder, pythonpath)

        return run

    # A package named pytask that fails to import hides the installed one, as for a
    # cookiecutter installed on its own (pipx, uvx): the hook skips its pytask step.
    no_pytask = tmp / "no_pytask"
    (no_pytask / "pytask").mkdir(parents=True)
    (no_pytask / "pytask" / "__init__.py").write_text("raise ImportError\n")
    for label, pythonpath in (("", None), (", pytask not importable", no_pytask)):
        generation = paired(
            n,
            bake_into(f"hooks{len(lines)}", pythonpath=pythonpath),
            bake_into(f"no_hooks{len(lines)}", "--accept-hooks", "no"),
        )
        lines.append(
            row(
                f"generation{label}: hooks vs `--accept-hooks no`",
                f"{generation.median('template'):.2f}",
                f"{generation.median('reference'):.2f}",
                f"{generation.ratio():.2f}",
                "≤ 1.5",
                verdict(generation.ratio(), 1.5),
            )
        )

    project = bake(tmp / "default")
    importable = on_path(project)
    trivial = trivial_project(tmp / "trivial_4", 4)
    out = tmp / "plain_out"
    plain = paired(
        n,
        cold(project, pythonpath=importable),
        lambda: timed(
            [sys.executable, str(PLAIN_SCRIPT), str(project), str(out)],
            tmp,
            importable,
        ),
    )
    lines.append(
        row(
            "default (12 estimations): cold build vs plain script",
            f"{plain.median('template'):.2f}",
            f"{plain.median('reference'):.2f}",
            f"{plain.ratio():.2f}",
            "≤ 1.5",
            verdict(plain.ratio(), 1.5),
        )
    )
    for label, args, target in (
        ("cold build", (), None),
        ("no-op rebuild", (), 1.2),
        ("`pytask collect`", ("collect",), None),
    ):
        if label == "cold build":
            pair = paired(n, cold(project, pythonpath=importable), cold(trivial))
        else:
            pair = paired(
                n, warm(project, *args, pythonpath=importable), warm(trivial, *args)
            )
        lines.append(
            row(
                f"default (16 tasks): {label} vs trivial pytask project",
                f"{pair.median('template'):.2f}",
                f"{pair.median('reference'):.2f}",
                f"{pair.ratio():.2f}",
                f"≤ {target}" if target else "",
                verdict(pair.ratio(), target) if target else "",
            )
        )

    lines += parallel_rows(n, project, tmp, copies, slurm=slurm)
    lines.append(panel_row(n, project, tmp, panel))
    lines += format_rows(n, project, tmp / "formats", copies)

    scale_lines = [
        "",
        row(
            "estimations (tasks)",
            "step",
            "template (s)",
            "trivial (s)",
            "ratio",
            "overhead per task (ms)",
            "peak memory (MiB)",
            "target",
            "",
        ),
        row(*["---"] * 9),
    ]
    for n_data in scales:
        n_tasks = n_data * (1 + MODELS_PER_DATA)
        grown = tmp / f"scale_{n_data}"
        shutil.copytree(project, grown, ignore=shutil.ignore_patterns("bld", ".pytask"))
        (grown / "pytask.lock").unlink(missing_ok=True)
        grow(grown, n_data)
        trivial = trivial_project(tmp / f"trivial_{n_data}", n_data)
        big = n_data * MODELS_PER_DATA >= 1000
        steps = (
            ("cold build", cold(grown, pythonpath=on_path(grown)), cold(trivial), None),
            (
                "no-op rebuild",
                warm(grown, pythonpath=on_path(grown)),
                warm(trivial),
                1.2 if big else None,
            ),
            (
                "`pytask collect`",
                warm(grown, "collect", pythonpath=on_path(grown)),
                warm(trivial, "collect"),
                1.2 if big else None,
            ),
        )
        for label, template, reference, target in steps:
            pair = paired(n, template, reference)
            overhead = (pair.median("template") - pair.median("reference")) / n_tasks
            scale_lines.append(
                row(
                    f"{n_data * MODELS_PER_DATA} ({n_tasks})",
                    label,
                    f"{pair.median('template'):.2f}",
                    f"{pair.median('reference'):.2f}",
                    f"{pair.ratio():.2f}",
                    f"{overhead * 1000:.1f}",
                    f"{pair.peak_mib():.0f}",
                    f"≤ {target}" if target else "",
                    verdict(pair.ratio(), target) if target else "",
                )
            )
        if n_data == scales[0]:
            parallel = paired(
                n,
                cold(grown, pythonpath=on_path(grown)),
                cold(grown, "-n", "2", pythonpath=on_path(grown)),
            )
            lines.append(
                row(
                    f"{n_data * MODELS_PER_DATA} estimations: cold build, serial vs "
                    "`pytask -n 2` (ratio: speed-up)",
                    f"{parallel.median('template'):.2f}",
                    f"{parallel.median('reference'):.2f}",
                    f"{parallel.ratio():.2f}",
                    "≥ 1.6",
                    verdict(parallel.ratio(), 1.6, at_least=True),
                )
            )
    return lines + scale_lines if scales else lines


def main() -> None:
    """Parse the options, run the benchmark in a temporary folder, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repetitions", type=int, default=5, help="runs of each measurement (5)"
    )
    parser.add_argument(
        "--scales",
        default="40,400",
        help="data specifications of the grown projects, comma-separated; each has "
        "3 estimations, the first is also run with -n 2 (40,400)",
    )
    parser.add_argument(
        "--copies",
        type=int,
        default=300,
        help="copies of the data in the heavy project, for -n 2 and SLURM (300)",
    )
    parser.add_argument(
        "--slurm",
        action="store_true",
        help="also run the heavy project on a one-node SLURM that it starts, as "
        "tests/test_slurm.py does (needs root, slurm-wlm and munge)",
    )
    parser.add_argument(
        "--panel",
        default="50000,1000",
        help="rows and groups of the panel that pyfixest's absorbed fixed effects and "
        "statsmodels' C(group) dummies fit (50000,1000); statsmodels' dummies take "
        "rows x groups x 8 bytes",
    )
    args = parser.parse_args()
    rows, groups = (int(n) for n in args.panel.split(","))
    scales = [int(n) for n in args.scales.split(",") if n]
    with tempfile.TemporaryDirectory(prefix="pytask-scaling-benchmark-") as tmp:
        lines = benchmark(
            args.repetitions,
            scales,
            Path(tmp),
            args.copies,
            slurm=args.slurm,
            panel=(rows, groups),
        )
        print("\n".join(lines))


if __name__ == "__main__":
    main()
