"""Stop a build that would write where it must not, before it starts.

- The packages that pytask's tasks import must be this project's: with two projects of
  the same name installed in one environment, the tasks would import the other one and
  write into its ``bld/``.
- One build at a time: two ``pytask`` at once in one project corrupt pytask's state.

pytask loads this module through ``hook_module`` in ``pyproject.toml``.
"""

import importlib.util
from pathlib import Path
from typing import Any, NoReturn

from filelock import FileLock, Timeout
from pytask import hookimpl

# The researcher's package, and this one, the template's machinery beside it.
PACKAGES = (
    "{{ cookiecutter.project_slug }}",
    "{{ cookiecutter.project_slug }}_template",
)
ROOT = Path(__file__).resolve().parents[1]
# Held by the build from its start to its end; a second build stops at once.
BUILD_LOCK = FileLock(ROOT / ".pytask" / "build.lock", timeout=0)


@hookimpl(tryfirst=True)
def pytask_post_parse(config: dict[str, Any]) -> None:
    """Check the package and take the lock before pytask reads or writes its state."""
    if config.get("command") != "build":
        return
    # The project's root as pytask found it: this module may itself be another
    # project's, when that one's machinery is installed under the same name.
    for package in PACKAGES:
        check_own_package(package, Path(config["root"]).resolve())
    try:
        BUILD_LOCK.acquire()
    except Timeout:
        stop(
            f"another pytask build is running in {ROOT}; wait until it ends, "
            "then run pytask again"
        )
    except OSError as error:  # a folder in its place, or another user's file
        stop(
            f"cannot take the lock {BUILD_LOCK.lock_file} ({error.strerror}); it is "
            "only the build's own, so remove it, then run pytask again"
        )


@hookimpl
def pytask_unconfigure() -> None:
    """Let the next build start."""
    BUILD_LOCK.release()


@hookimpl
def pytask_collect_modify_tasks(tasks: list[Any]) -> None:
    """Stop a build that collected no task: the project defines tasks."""
    if not tasks:
        stop(
            f"pytask collected no task in {ROOT}; a [ or ] in a folder's name makes "
            "pytask read the path as a pattern: move the project to a path without "
            "them, then run pytask again"
        )


def check_own_package(package: str, root: Path) -> None:
    """Stop unless the tasks would import the own ``package`` of the project at root."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        stop(
            f"the package {package} is not importable; install this project with "
            '`python -m pip install -e ".[test]"`, then run pytask again'
        )
    imported = Path(spec.origin).parent
    if imported.resolve() not in {root / package, root / "src" / package}:
        stop(
            f"the package {package} is imported from {imported}, not from this "
            "project (another project of that name, or an install that is not "
            "editable); run `python -m pip install -e .` in an environment of this "
            "project's own, then pytask there"
        )


def stop(message: str) -> NoReturn:
    """End pytask with one line, before it has touched anything."""
    raise SystemExit(f"ERROR: {message}")
