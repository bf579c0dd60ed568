"""`pytask -n 2` on the generated project: same results, warm workers, quick polling."""

import inspect
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path
from types import ModuleType

import pytest
from pytask_parallel import execute

from tests.bakery import bake, import_file, pytask, pythonpath, run


@pytest.fixture(scope="module")
def project(cookies_session) -> Path:
    """The default project."""
    return bake(cookies_session)


def files_under(folder: Path) -> dict[str, bytes]:
    """Return the content of every file under ``folder`` by its relative path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_two_workers_build_what_a_serial_build_does(
    project: Path, tmp_path: Path
) -> None:
    serial = tmp_path / "serial"
    shutil.copytree(project, serial)
    assert len(pytask(serial)) == 16

    assert len(pytask(project, "-n", "2")) == 16

    assert files_under(project / "bld") == files_under(serial / "bld")


# Run in a process of its own: the backend sets the environment and multiprocessing's
# preload of the process that builds it.
WORKER_REPORT = """
import json, sys
from my_project_template.parallel_backends import WARM_IMPORTS, build_loky_executor

def report():
    warm = [name for name in WARM_IMPORTS if name in sys.modules]
    from threadpoolctl import threadpool_info
    pools = threadpool_info()
    return {"warm": warm, "blas_threads": [pool["num_threads"] for pool in pools]}

with build_loky_executor(n_workers=2) as executor:
    print(json.dumps(executor.submit(report).result()))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="workers start warm on Linux")
def test_workers_start_warm_with_one_blas_thread(project: Path) -> None:
    process = run(project, sys.executable, "-c", WORKER_REPORT)
    assert process.returncode == 0, process.stderr
    report = json.loads(process.stdout)

    assert report["warm"] == ["pandas", "statsmodels.formula.api"]
    # numpy's and scipy's OpenBLAS, each with one thread.
    assert report["blas_threads"]
    assert set(report["blas_threads"]) == {1}


def hook_module(project: Path) -> ModuleType:
    """Import the project's ``parallel_backends.py`` as pytask does, by its path."""
    return import_file(project / "my_project_template" / "parallel_backends.py")


def test_the_polling_shim_is_pinned_needed_and_right(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backends = hook_module(project)
    installed = version("pytask-parallel")
    assert installed in backends.POLLED_PYTASK_PARALLEL, (
        f"pytask-parallel {installed} is new to parallel_backends.py: check that its "
        "execution loop still sleeps up to 1 s in execute._Sleeper, then add the "
        "version to POLLED_PYTASK_PARALLEL, or drop the shim"
    )
    # Needed: the loop sleeps between its checks for finished tasks, up to 1 s.
    loop = inspect.getsource(execute.pytask_execute_build)
    assert "sleeper = _Sleeper()" in loop
    assert "sleeper.sleep()" in loop
    assert max(execute._Sleeper().timings) == 1

    monkeypatch.setattr(execute, "_Sleeper", execute._Sleeper)  # undone after the test
    backends.poll_finished_tasks_often()

    # Right: the loop's sleeper now waits the short interval, however often it grows.
    sleeper = execute._Sleeper()
    for _ in range(20):
        sleeper.increment()
    assert sleeper.timings[sleeper.timing_idx] == backends.POLL_SECONDS


def test_ctrl_c_fails_a_parallel_build_in_one_line(
    project: Path, tmp_path: Path
) -> None:
    """pytask-parallel 0.5 ends an interrupted build with "Succeeded" and status 0."""
    interrupted = tmp_path / "interrupted"
    shutil.copytree(project, interrupted, ignore=shutil.ignore_patterns("bld"))
    # 100 times the data: the build runs long enough to be interrupted.
    data = interrupted / "src" / "my_project" / "data" / "data.csv"
    header, *rows = data.read_text().splitlines(keepends=True)
    data.write_text(header + "".join(rows) * 100)
    build = subprocess.Popen(
        [sys.executable, "-m", "pytask", "-n", "2"],
        cwd=interrupted,
        env=os.environ | {"PYTHONPATH": pythonpath(interrupted), "COLUMNS": "400"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    # Ctrl-C reaches the whole process group once the workers have started.
    deadline = time.monotonic() + 60
    while not (interrupted / "bld" / "data_preparation").is_dir():
        assert build.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(build.pid, signal.SIGINT)
    output = build.communicate(timeout=60)[0]

    assert build.returncode == 1, output
    assert "Succeeded" not in output
    lines = [line for line in output.splitlines() if line.startswith("ERROR")]
    assert len(lines) == 1
    assert re.fullmatch(
        r"ERROR: the build was interrupted \(Ctrl-C\) after \d+ of 16 tasks; run "
        r"pytask again to build the rest",
        lines[0],
    )
    assert len(pytask(interrupted, "-n", "2")) >= 1
