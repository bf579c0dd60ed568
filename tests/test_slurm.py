"""Run the generated project on a real one-node SLURM through dask-jobqueue.

The session starts munged, slurmctld and slurmd in a temporary folder, all on
127.0.0.1, and stops each by its process id. The project's workers record every task
they finish in a file named by their SLURM job id, through dask's own ``preload``
setting, so the test sees where each task ran.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.bakery import bake, pytask, run

DAEMONS = ("munged", "slurmctld", "slurmd")
N_WORKERS = 2
TIMEOUT = 30  # seconds for any one wait on SLURM


def find(daemon: str) -> str | None:
    """Return the path of ``daemon``, which Debian installs in /usr/sbin."""
    return shutil.which(daemon) or shutil.which(daemon, path="/usr/sbin:/sbin")


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

SLURM_CONF = """\
ClusterName=pytask
SlurmctldHost={node}(127.0.0.1)
SlurmctldPort={ports[0]}
SlurmdPort={ports[1]}
CommunicationParameters=NoCtldInAddrAny,NoInAddrAny
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={folder}/munge.socket
StateSaveLocation={folder}/state
SlurmdSpoolDir={folder}/spool
SlurmctldPidFile={folder}/slurmctld.pid
SlurmdPidFile={folder}/slurmd.pid
SlurmctldLogFile={folder}/slurmctld.log
SlurmdLogFile={folder}/slurmd.log
PlugStackConfig={folder}/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
KillWait=5
NodeName={node} NodeAddr=127.0.0.1 CPUs={cpus} RealMemory=4096 State=UNKNOWN
PartitionName=local Nodes={node} Default=YES MaxTime=INFINITE State=UP
"""

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


def free_ports(n: int) -> list[int]:
    """Return ``n`` ports on 127.0.0.1 that nothing listens on now."""
    sockets = [socket.socket() for _ in range(n)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def start(folder: Path, *command: str) -> subprocess.Popen[bytes]:
    """Start a daemon in the foreground, logging to ``folder/<name>.out``."""
    log = folder / f"{Path(command[0]).name}.out"
    with log.open("wb") as stream:
        return subprocess.Popen(command, stdout=stream, stderr=subprocess.STDOUT)


def wait_until(
    condition: Callable[[], object], what: str, processes: list[subprocess.Popen[bytes]]
) -> None:
    """Wait until ``condition()`` holds; fail if a process ended or it took too long."""
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        for process in processes:
            assert process.poll() is None, f"{process.args[0]} ended before {what}"
        assert time.monotonic() < deadline, f"not {what} after {TIMEOUT} s"
        time.sleep(0.05)


def stop(daemon: subprocess.Popen[bytes]) -> None:
    """Stop a daemon by its process id; kill it if it does not stop in time."""
    daemon.terminate()
    try:
        daemon.wait(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        daemon.kill()
        daemon.wait(timeout=TIMEOUT)


def node_state() -> str:
    """Return the node's state as sinfo says it, or "" before slurmctld is up."""
    sinfo = ["sinfo", "-h", "-o", "%t"]
    return subprocess.run(
        sinfo, capture_output=True, text=True, check=False
    ).stdout.strip()


def jobs() -> list[str]:
    """Return the ids of SLURM's pending and running jobs."""
    squeue = ["squeue", "-h", "-o", "%i"]
    return subprocess.run(
        squeue, capture_output=True, text=True, check=True
    ).stdout.split()


@pytest.fixture(scope="module")
def slurm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Start a one-node SLURM; yield its folder, with slurm.conf and the logs."""
    folder = tmp_path_factory.mktemp("slurm")
    for name in ("state", "spool"):
        (folder / name).mkdir()
    (folder / "plugstack.conf").touch()
    key = folder / "munge.key"
    key.write_bytes(os.urandom(1024))
    key.chmod(0o600)
    node = socket.gethostname().split(".")[0]
    conf = folder / "slurm.conf"
    conf.write_text(
        SLURM_CONF.format(
            node=node, ports=free_ports(2), folder=folder, cpus=os.cpu_count()
        )
    )
    daemons: list[subprocess.Popen[bytes]] = []
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("SLURM_CONF", str(conf))
        try:
            files = [f"--{n}-file={folder}/munged.{n}" for n in ("pid", "seed", "log")]
            socket_option = f"--socket={folder}/munge.socket"
            munged = [find("munged"), "-F", "--force", f"--key-file={key}", *files]
            daemons.append(start(folder, *munged, socket_option))
            wait_until((folder / "munge.socket").exists, "munge is up", daemons)
            daemons.append(start(folder, find("slurmctld"), "-D"))
            daemons.append(start(folder, find("slurmd"), "-D", "-N", node))
            wait_until(lambda: node_state() == "idle", "the node is idle", daemons)
            yield folder
        finally:
            for daemon in reversed(daemons):
                stop(daemon)


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
    loopback = "127.0.0.1:0"  # also for the dashboards of scheduler and workers
    for name, value in {
        # dask's own settings: the cluster, and dask-jobqueue's for its workers.
        "DASK_CLUSTER": "slurm",
        "DASK_JOBQUEUE__SLURM__CORES": "1",
        "DASK_JOBQUEUE__SLURM__MEMORY": "1GiB",
        "DASK_JOBQUEUE__SLURM__WALLTIME": "00:10:00",
        "DASK_JOBQUEUE__SLURM__INTERFACE": "lo",
        "DASK_JOBQUEUE__SLURM__LOCAL_DIRECTORY": str(tmp_path / "local"),
        "DASK_JOBQUEUE__SLURM__LOG_DIRECTORY": str(tmp_path / "logs"),
        "DASK_JOBQUEUE__SLURM__WORKER_EXTRA_ARGS": json.dumps(
            ["--dashboard-address", loopback]
        ),
        "DASK_JOBQUEUE__SLURM__SCHEDULER_OPTIONS": json.dumps(
            {"dashboard_address": loopback}
        ),
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
    data = failing / "src" / project.name / "data" / "data.csv"
    data.write_text("no_such_column\n1\n")

    process = run(failing, sys.executable, "-m", "pytask", *ON_DASK)

    assert process.returncode == 1, process.stdout + process.stderr
    assert "KeyError" in process.stdout
    # The tasks failed in the jobs: pytask-parallel returns their errors as results.
    assert recorded(on_slurm)
    assert_no_job_left()


def test_ctrl_c_leaves_no_job(project: Path, on_slurm: Path, tmp_path: Path) -> None:
    interrupted = fresh_copy(project, tmp_path)
    # 30 times the data: the tasks run long enough to be interrupted.
    data = interrupted / "src" / project.name / "data" / "data.csv"
    header, *rows = data.read_text().splitlines(keepends=True)
    data.write_text(header + "".join(rows) * 30)
    process = subprocess.Popen(
        [sys.executable, "-m", "pytask", *ON_DASK],
        cwd=interrupted,
        env=os.environ | {"PYTHONPATH": str(interrupted / "src")},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    wait_until(lambda: recorded(on_slurm), "a task ran in a job", [process])

    # What Ctrl-C in a terminal does: SIGINT to the foreground process group.
    os.killpg(process.pid, signal.SIGINT)
    output, _ = process.communicate(timeout=TIMEOUT)

    # pytask-parallel stopped the build and pytask summed it up: Ctrl-C was
    # Python's KeyboardInterrupt, not dask-jobqueue's silent exit.
    assert "Summary" in output
    finished = [line for lines in recorded(on_slurm).values() for line in lines]
    assert len(finished) < 16
    assert_no_job_left()
