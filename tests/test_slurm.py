"""Run the generated project on a real one-node SLURM through dask-jobqueue.

The module starts munged, slurmctld and slurmd in a temporary folder, all on
127.0.0.1 (tests/slurm.py), and stops each by its process id. The project's workers
record every task they finish in a file named by their SLURM job id, through dask's
own ``preload`` setting, so the test sees where each task ran.
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bakery import bake, pytask, pythonpath, run
from tests.slurm import (
    DAEMONS,
    TIMEOUT,
    find,
    on_one_core_workers,
    one_node_slurm,
    wait_until,
)

N_WORKERS = 2


pytestmark = [
    pytest.mark.skipif(
        not all(map(find, DAEMONS)),
        reason="needs SLURM and munge: apt-get install slurm-wlm munge",
    ),
    pytest.mark.skipif(
        sys.platform != "linux" or os.geteuid() != 0,
        reason="slurmd runs jobs as root only",
    ),
]

# A dask worker preload: append each finished task's key to a file named by the
# SLURM job the worker runs in.
RECORD_TASKS = """\
import os
from pathlib import Path

from distributed import WorkerPlugin


class RecordTasks(WorkerPlugin):
    def transition(self, key, start, finish, **kwargs):
        if start == "executing":
            records = Path(os.environ["TASK_RECORDS"], os.environ["SLURM_JOB_ID"])
            with records.open("a") as stream:
                stream.write(f"{finish} {key}\\n")


async def dask_setup(worker):
    await worker.plugin_add(RecordTasks())
"""


@pytest.fixture(scope="module")
def slurm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Start a one-node SLURM; yield its folder, with slurm.conf and the logs."""
    folder = tmp_path_factory.mktemp("slurm")
    with one_node_slurm(folder) as conf, pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("SLURM_CONF", str(conf))
        yield folder


def jobs() -> list[str]:
    """Return the ids of SLURM's pending and running jobs."""
    squeue = ["squeue", "-h", "-o", "%i"]
    return subprocess.run(
        squeue, capture_output=True, text=True, check=True
    ).stdout.split()


@pytest.fixture(scope="module")
def project(cookies_session) -> Path:
    """The default project."""
    return bake(cookies_session)


@pytest.fixture(scope="module")
def serial_results(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The products of a serial build of the project, in a copy of its own."""
    serial = tmp_path_factory.mktemp("serial") / project.name
    shutil.copytree(project, serial)
    assert len(pytask(serial)) == 16
    return files_under(serial / "bld")


@pytest.fixture
def on_slurm(slurm: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the project's dask backend at SLURM; return the folder of task records."""
    records = tmp_path / "records"
    records.mkdir()
    preload = tmp_path / "record_tasks.py"
    preload.write_text(RECORD_TASKS)
    for name, value in {
        **on_one_core_workers(tmp_path),
        "DASK_DISTRIBUTED__WORKER__PRELOAD": json.dumps([str(preload)]),
        "TASK_RECORDS": str(records),
    }.items():
        monkeypatch.setenv(name, value)
    return records


def assert_no_job_left() -> None:
    """No job outlives pytask, but a cancelled one may take SLURM's KillWait to end."""
    deadline = time.monotonic() + TIMEOUT
    while jobs() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert jobs() == []


def allocated_jobs(slurm: Path) -> set[str]:
    """Return the ids of the jobs that slurmctld allocated a node to so far."""
    lines = (slurm / "slurmctld.log").read_text().splitlines()
    return {line.split("JobId=")[1].split()[0] for line in lines if "Allocate" in line}


def recorded(records: Path) -> dict[str, list[str]]:
    """Return the tasks the workers finished, "<state> <key>", by SLURM job id."""
    return {path.name: path.read_text().splitlines() for path in records.iterdir()}


def files_under(folder: Path) -> dict[str, bytes]:
    """Return the content of every file under ``folder`` by its relative path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def fresh_copy(project: Path, folder: Path) -> Path:
    """Copy the project without what pytask built or remembers."""
    copy = folder / project.name
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("bld", ".pytask"))
    (copy / "pytask.lock").unlink(missing_ok=True)
    return copy


ON_DASK = ("-n", str(N_WORKERS), "--parallel-backend", "dask")


def test_tasks_run_in_slurm_jobs_like_serially(
    slurm: Path, project: Path, serial_results: dict, on_slurm: Path
) -> None:
    ran = pytask(project, *ON_DASK)

    assert len(ran) == 16
    assert files_under(project / "bld") == serial_results
    by_job = recorded(on_slurm)
    assert set(by_job) <= allocated_jobs(slurm)
    finished = [line for lines in by_job.values() for line in lines]
    assert len(finished) == 16
    assert all(line.startswith("memory ") for line in finished)
    assert_no_job_left()


def test_a_failed_task_leaves_no_job(
    slurm: Path, project: Path, on_slurm: Path, tmp_path: Path
) -> None:
    failing = fresh_copy(project, tmp_path)
    # Every column but educ is constant: each check passes and each preparation runs,
    # but the logit and probit fits fail in the jobs on a singular design. A mistake
    # that the checks find would stop pytask before every preparation reached a job.
    data = failing / "src" / project.name / "data" / "data.csv"
    header = data.read_text().splitlines()[0].split(",")
    rows = [
        [str(educ) if name == "educ" else "1" for name in header] for educ in "123456"
    ]
    data.write_text("\n".join(",".join(row) for row in [header, *rows]) + "\n")

    process = run(failing, sys.executable, "-m", "pytask", *ON_DASK)

    assert process.returncode == 1, process.stdout + process.stderr
    assert "FitError: logit_data_0" in process.stdout
    # The tasks failed in the jobs: pytask-parallel returns their errors as results.
    finished = [line for lines in recorded(on_slurm).values() for line in lines]
    assert len(finished) == 16
    assert_no_job_left()


def ctrl_c_until_it_ends(process: subprocess.Popen[bytes]) -> None:
    """Press Ctrl-C as a terminal does, again if pytask goes on.

    SIGINT goes to the foreground process group. One that lands in one of dask's
    destructors is ignored there, so a person would press Ctrl-C again.
    """
    deadline = time.monotonic() + TIMEOUT
    while process.poll() is None:
        assert time.monotonic() < deadline, "pytask goes on after Ctrl-C"
        os.killpg(process.pid, signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=2)


def test_ctrl_c_leaves_no_job(project: Path, on_slurm: Path, tmp_path: Path) -> None:
    interrupted = fresh_copy(project, tmp_path)
    # 100 times the data: the tasks run long enough to be interrupted.
    data = interrupted / "src" / project.name / "data" / "data.csv"
    header, *rows = data.read_text().splitlines(keepends=True)
    data.write_text(header + "".join(rows) * 100)
    log = tmp_path / "pytask.log"
    with log.open("w") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "pytask", *ON_DASK],
            cwd=interrupted,
            env=os.environ | {"PYTHONPATH": pythonpath(interrupted)},
            stdout=stdout,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(lambda: recorded(on_slurm), "a task ran in a job", [process])
        ctrl_c_until_it_ends(process)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    finished = [line for lines in recorded(on_slurm).values() for line in lines]
    assert len(finished) < 16, log.read_text()
    # An interrupted build never reports success.
    assert process.returncode != 0, log.read_text()
    assert "Succeeded" not in log.read_text()
    assert_no_job_left()
