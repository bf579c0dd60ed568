"""Run the generated project on a real dask.distributed cluster on 127.0.0.1."""

import ast
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dask_jobqueue
import distributed
import pytest

from tests.bakery import bake, pytask, pythonpath, run

N_WORKERS = 2
TIMEOUT = 30  # seconds for any one wait on the cluster


def dask_cli(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start ``dask <args>`` in its own process group, logging to ``log``."""
    command = [sys.executable, "-m", "dask", *args]
    with log.open("wb") as stream:
        return subprocess.Popen(
            command,
            env=env,
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a dask process and whatever it started, at most TIMEOUT seconds each."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=TIMEOUT)


def wait_for_file(path: Path, process: subprocess.Popen[bytes]) -> None:
    """Wait until ``process`` wrote ``path``; fail if it died or took too long."""
    deadline = time.monotonic() + TIMEOUT
    while not path.exists():
        assert process.poll() is None, f"dask exited with {process.returncode}"
        assert time.monotonic() < deadline, f"no {path.name} after {TIMEOUT} s"
        time.sleep(0.1)


@pytest.fixture
def cluster(tmp_path: Path, fresh_project: Path) -> Iterator[str]:
    """Start a scheduler and two single-threaded workers; yield the address."""
    # The workers import the task functions by reference, as from an installed package.
    env = os.environ | {"PYTHONPATH": pythonpath(fresh_project)}
    scheduler_file = tmp_path / "scheduler.json"
    local = ["--host", "127.0.0.1", "--no-dashboard"]
    scheduler = dask_cli(
        "scheduler", *local, "--port", "0", "--scheduler-file", str(scheduler_file),
        env=env, log=tmp_path / "scheduler.log",
    )  # fmt: skip
    workers = None
    try:
        wait_for_file(scheduler_file, scheduler)
        address = json.loads(scheduler_file.read_text())["address"]
        workers = dask_cli(
            "worker", address, *local, "--nworkers", str(N_WORKERS), "--nthreads", "1",
            env=env, log=tmp_path / "workers.log",
        )  # fmt: skip
        with distributed.Client(address, timeout=TIMEOUT) as client:
            client.wait_for_workers(N_WORKERS, timeout=TIMEOUT)
        yield address
    finally:
        if workers is not None:
            stop(workers)
        stop(scheduler)


@pytest.fixture
def fresh_project(cookies) -> Path:
    """Bake the default project for one test."""
    return bake(cookies)


def files_under(folder: Path) -> dict[str, bytes]:
    """Return the content of every file under ``folder`` by its relative path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def executed_per_worker(address: str) -> dict[str, int]:
    """Ask every worker of the scheduler how many tasks it executed."""
    with distributed.Client(address, timeout=TIMEOUT) as client:
        return client.run(lambda dask_worker: dask_worker.state.executed_count)


def test_project_runs_on_a_dask_scheduler_like_serially(
    cluster: str,
    fresh_project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = fresh_project
    serial = tmp_path / "serial"
    shutil.copytree(project, serial)
    ran_serially = pytask(serial)
    assert len(ran_serially) == 16

    # DASK_SCHEDULER_ADDRESS is dask's own setting, read by the project's backend.
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster)
    ran_on_dask = pytask(project, "-n", str(N_WORKERS), "--parallel-backend", "dask")

    assert ran_on_dask == ran_serially
    assert files_under(project / "bld") == files_under(serial / "bld")
    executed = executed_per_worker(cluster)
    assert len(executed) == N_WORKERS
    assert sum(executed.values()) == 16, executed


@pytest.fixture(scope="module")
def project(cookies_session) -> Path:
    """The default project, baked once for the checks that only read it."""
    return bake(cookies_session)


# In a process of its own: it changes the process's handler of Ctrl-C.
CTRL_C_HANDLERS = """
import signal
from my_project_template.parallel_backends import import_dask_jobqueue

import_dask_jobqueue()
kept = signal.getsignal(signal.SIGINT) is signal.default_int_handler
import dask_jobqueue.runner, importlib
importlib.reload(dask_jobqueue.runner)
replaced = signal.getsignal(signal.SIGINT) is not signal.default_int_handler
print(kept, replaced)
"""


def test_dask_jobqueue_leaves_ctrl_c_to_pytask(project: Path) -> None:
    process = run(project, sys.executable, "-c", CTRL_C_HANDLERS)
    assert process.returncode == 0, process.stderr
    kept, replaced = process.stdout.split()

    assert kept == "True"
    # Still needed: dask-jobqueue's own import replaces Python's handler.
    assert replaced == "True"


def test_every_dask_jobqueue_cluster_by_its_config_name(project: Path) -> None:
    process = run(
        project,
        sys.executable,
        "-c",
        "from my_project_template.parallel_backends import JOBQUEUE_CLUSTERS; "
        "print(JOBQUEUE_CLUSTERS)",
    )
    assert process.returncode == 0, process.stderr
    clusters = ast.literal_eval(process.stdout)
    jobqueue_clusters = {
        cls.job_cls.config_name: name
        for name, cls in vars(dask_jobqueue).items()
        if isinstance(cls, type)
        and issubclass(cls, dask_jobqueue.JobQueueCluster)
        and cls is not dask_jobqueue.JobQueueCluster
    }

    assert clusters == jobqueue_clusters


def test_an_unknown_cluster_is_named_in_one_line(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASK_CLUSTER", "slurmm")
    process = run(
        project, sys.executable, "-m", "pytask", "-n", "2", "--parallel-backend", "dask"
    )

    assert process.returncode != 0
    message = (
        "ValueError: dask config 'cluster': 'slurmm' is not one of htcondor, lsf, "
        "moab, oar, pbs, sge, slurm."
    )
    assert message in process.stdout
    assert not (project / "bld").exists()
