"""Run the tasks on dask: ``pytask -n 2 --parallel-backend dask``.

With dask's own setting ``DASK_SCHEDULER_ADDRESS`` (e.g. ``tcp://10.0.0.5:8786``) the
tasks run on the workers of that scheduler; without it, on ``-n`` local workers.
pytask loads this module through ``hook_module`` in ``pyproject.toml``.

"""

from concurrent.futures import Executor

from pytask import hookimpl
from pytask_parallel import ParallelBackend, registry


def build_dask_executor(n_workers: int) -> Executor:
    """Connect to the scheduler that dask's config names, else start local workers."""
    # Imported here: dask is needed only when the tasks run on it, not to collect them.
    import dask  # noqa: PLC0415
    from distributed import Client, LocalCluster  # noqa: PLC0415

    if dask.config.get("scheduler-address", None):
        return Client().get_executor()
    return Client(LocalCluster(n_workers=n_workers)).get_executor()


@hookimpl
def pytask_post_parse() -> None:
    """Make ``--parallel-backend dask`` use ``build_dask_executor``."""
    # Registered anew in each session: pytask-parallel resets its registry after one.
    registry.register_parallel_backend(ParallelBackend.DASK, build_dask_executor)
