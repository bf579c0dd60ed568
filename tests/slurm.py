"""A one-node SLURM for tests and benchmarks: munged, slurmctld and slurmd on 127.0.0.1.

Debian's ``slurm-wlm`` and ``munge``, run as root, with every file in one folder.
Each daemon runs in the foreground and is stopped by its process id.
"""

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

DAEMONS = ("munged", "slurmctld", "slurmd")
TIMEOUT = 30  # seconds for any one wait on SLURM


def find(daemon: str) -> str | None:
    """Return the path of ``daemon``, which Debian installs in /usr/sbin."""
    return shutil.which(daemon) or shutil.which(daemon, path="/usr/sbin:/sbin")


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


def node_state(conf: Path) -> str:
    """Return the node's state as sinfo says it, or "" before slurmctld is up."""
    sinfo = subprocess.run(
        ["sinfo", "-h", "-o", "%t"],
        env=os.environ | {"SLURM_CONF": str(conf)},
        capture_output=True,
        text=True,
        check=False,
    )
    return sinfo.stdout.strip()


@contextmanager
def one_node_slurm(folder: Path) -> Iterator[Path]:
    """Run a one-node SLURM in ``folder``; yield its slurm.conf, for ``SLURM_CONF``."""
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
    try:
        files = [f"--{n}-file={folder}/munged.{n}" for n in ("pid", "seed", "log")]
        socket_option = f"--socket={folder}/munge.socket"
        munged = [find("munged"), "-F", "--force", f"--key-file={key}", *files]
        daemons.append(start(folder, *munged, socket_option))
        wait_until((folder / "munge.socket").exists, "munge is up", daemons)
        daemons.append(start(folder, find("slurmctld"), "-D", "-f", str(conf)))
        daemons.append(start(folder, find("slurmd"), "-D", "-f", str(conf), "-N", node))
        wait_until(lambda: node_state(conf) == "idle", "the node is idle", daemons)
        yield conf
    finally:
        for daemon in reversed(daemons):
            stop(daemon)


def on_one_core_workers(folder: Path) -> dict[str, str]:
    """Return dask's settings, as variables, for the project's SLURM cluster.

    dask-jobqueue's own settings: one-core workers, everything on the loopback
    (scheduler, workers and their dashboards), scratch space and logs in ``folder``.
    """
    loopback = "127.0.0.1:0"
    return {
        "DASK_CLUSTER": "slurm",
        "DASK_JOBQUEUE__SLURM__CORES": "1",
        "DASK_JOBQUEUE__SLURM__MEMORY": "1GiB",
        "DASK_JOBQUEUE__SLURM__WALLTIME": "00:10:00",
        "DASK_JOBQUEUE__SLURM__INTERFACE": "lo",
        "DASK_JOBQUEUE__SLURM__LOCAL_DIRECTORY": str(folder / "local"),
        "DASK_JOBQUEUE__SLURM__LOG_DIRECTORY": str(folder / "logs"),
        "DASK_JOBQUEUE__SLURM__WORKER_EXTRA_ARGS": json.dumps(
            ["--dashboard-address", loopback]
        ),
        "DASK_JOBQUEUE__SLURM__SCHEDULER_OPTIONS": json.dumps(
            {"dashboard_address": loopback}
        ),
    }
