"""How ``pytask -n N`` runs tasks in parallel; pytask loads it as ``hook_module``.

- ``pytask -n 2`` (pytask-parallel's default backend, loky): the workers start from a
  process that has already imported pandas and statsmodels (Linux), and each uses one
  BLAS thread, so that N workers share the cores instead of fighting over them.
- ``pytask -n 2 --parallel-backend dask``: on the scheduler at dask's setting
  ``scheduler-address`` (``DASK_SCHEDULER_ADDRESS``); else on a batch system named by
  dask's setting ``cluster`` (``DASK_CLUSTER=slurm``), where dask-jobqueue submits the
  workers as jobs with its own ``jobqueue.<cluster>.*`` settings and cancels them when
  pytask ends; else on ``-n`` local workers.

Ctrl-C stops a parallel build as a failure: pytask-parallel 0.5 would end it with
"Succeeded" and status 0.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import signal
import sys
from concurrent.futures import Executor, Future
from importlib.metadata import version
from types import ModuleType
from typing import TYPE_CHECKING

from pytask import ExecutionError, console, hookimpl
from pytask_parallel import ParallelBackend, execute, registry
from rich.text import Text

if TYPE_CHECKING:
    from collections.abc import Callable, Generator
    from types import FrameType

    from distributed.deploy import Cluster
    from pytask import Session

# pytask-parallel sleeps up to 1 s between its checks for finished tasks
# (``execute._Sleeper``), so workers wait idle for the next task. In the versions this
# was checked against it checks every 5 ms instead; other versions run unchanged. This
# can go once pytask-parallel waits for its running tasks instead of sleeping.
POLLED_PYTASK_PARALLEL = ("0.5.4", "0.5.5")
POLL_SECONDS = 0.005

# Imported once by the process the workers fork from, instead of once by each worker.
WARM_IMPORTS = ["pandas", "statsmodels.formula.api"]
ONE_BLAS_THREAD = {
    "MKL_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}

# dask-jobqueue's clusters by their section in dask's config: jobqueue.<name>.*
JOBQUEUE_CLUSTERS = {
    "htcondor": "HTCondorCluster",
    "lsf": "LSFCluster",
    "moab": "MoabCluster",
    "oar": "OARCluster",
    "pbs": "PBSCluster",
    "sge": "SGECluster",
    "slurm": "SLURMCluster",
}


@hookimpl
def pytask_post_parse() -> None:
    """Register the backends, in each session: pytask-parallel resets them after one."""
    poll_finished_tasks_often()
    registry.register_parallel_backend(ParallelBackend.LOKY, build_loky_executor)
    registry.register_parallel_backend(ParallelBackend.DASK, build_dask_executor)


@hookimpl(wrapper=True)
def pytask_execute_build(session: Session) -> Generator[None, None, object]:
    """Fail a parallel build that Ctrl-C interrupted, after its workers stopped.

    pytask-parallel takes the KeyboardInterrupt as the end of the build and reports
    the tasks it finished as a success.
    """
    interrupted: list[int] = []
    ctrl_c = signal.getsignal(signal.SIGINT)
    if session.config["n_workers"] > 1 and ctrl_c is signal.default_int_handler:

        def note_and_interrupt(signum: int, frame: FrameType | None) -> None:
            interrupted.append(signum)
            signal.default_int_handler(signum, frame)

        signal.signal(signal.SIGINT, note_and_interrupt)
    try:
        result = yield
    finally:
        signal.signal(signal.SIGINT, ctrl_c)
    if interrupted:
        done = len(session.execution_reports)
        message = (
            f"ERROR: the build was interrupted (Ctrl-C) after {done} of "
            f"{len(session.tasks)} tasks; run pytask again to build the rest"
        )
        console.print(Text(message, style="failed"))
        raise ExecutionError
    return result


def poll_finished_tasks_often() -> None:
    """Make pytask-parallel check for finished tasks every ``POLL_SECONDS``."""
    if version("pytask-parallel") in POLLED_PYTASK_PARALLEL:
        execute._Sleeper = functools.partial(execute._Sleeper, timings=[POLL_SECONDS])


def build_loky_executor(n_workers: int) -> Executor:
    """Start ``n_workers`` loky workers with warm imports and one BLAS thread each."""
    from loky import get_reusable_executor  # noqa: PLC0415

    # The workers, and the process they fork from, inherit the environment.
    for name, value in ONE_BLAS_THREAD.items():
        os.environ.setdefault(name, value)
    # Forking is unsafe on macOS and missing on Windows: there each worker imports.
    if sys.platform != "linux":
        return get_reusable_executor(max_workers=n_workers)
    multiprocessing.set_forkserver_preload(WARM_IMPORTS)
    return get_reusable_executor(max_workers=n_workers, context="forkserver")


def build_dask_executor(n_workers: int) -> Executor:
    """Use dask's scheduler address, else a jobqueue cluster, else local workers."""
    # Imported here: dask is needed only when the tasks run on it, not to collect them.
    import dask  # noqa: PLC0415
    from distributed import Client, LocalCluster  # noqa: PLC0415

    if dask.config.get("scheduler-address", None):
        return Client().get_executor()
    cluster_name = dask.config.get("cluster", None)
    if cluster_name is None:
        return ClusterExecutor(LocalCluster(n_workers=n_workers))
    return ClusterExecutor(start_jobqueue_cluster(cluster_name, n_workers))


def start_jobqueue_cluster(name: str, n_workers: int) -> Cluster:
    """Submit jobs for ``n_workers`` dask workers to the batch system ``name``."""
    if name not in JOBQUEUE_CLUSTERS:
        allowed = ", ".join(JOBQUEUE_CLUSTERS)
        msg = f"dask config 'cluster': {name!r} is not one of {allowed}."
        raise ValueError(msg)
    cluster = getattr(import_dask_jobqueue(), JOBQUEUE_CLUSTERS[name])()
    cluster.scale(n_workers)
    return cluster


def import_dask_jobqueue() -> ModuleType:
    """Import dask-jobqueue, keeping Ctrl-C a KeyboardInterrupt that pytask handles."""
    # dask-jobqueue 0.9 replaces the handler on import with one that exits with status
    # 0 (``dask_jobqueue.runner``): pytask would stop without a word.
    ctrl_c = signal.getsignal(signal.SIGINT)
    import dask_jobqueue  # noqa: PLC0415

    signal.signal(signal.SIGINT, ctrl_c)
    return dask_jobqueue


class ClusterExecutor(Executor):
    """Run tasks on a cluster's workers; shut down, it closes the cluster.

    pytask-parallel shuts its executor down when the build ends, also after a failed
    task or Ctrl-C, so no batch job outlives pytask.
    """

    def __init__(self, cluster: Cluster) -> None:
        """Connect a client to ``cluster``."""
        from distributed import Client  # noqa: PLC0415

        self.cluster = cluster
        self.client = Client(cluster)
        self.executor = self.client.get_executor()

    def submit(
        self, fn: Callable[..., object], /, *args: object, **kwargs: object
    ) -> Future[object]:
        """Run ``fn`` on a worker."""
        return self.executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Wait for the running tasks unless told not to, then close the cluster."""
        try:
            self.executor.shutdown(wait=wait and not cancel_futures)
        finally:
            self.client.close()
            self.cluster.close()
