"""A build runs only on the project's own package, and one build at a time."""

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from filelock import FileLock

from tests.bakery import bake, pytask, pythonpath, run

BUSY = (
    "ERROR: another pytask build is running in {}; wait until it ends, then run "
    "pytask again"
)


def environment_with(project: Path, folder: Path) -> Path:
    """Return the Python of a new environment in which ``project`` is installed.

    The project is installed as ``pip install -e`` would put its two packages on the
    path: a .pth file naming its src/ and its root. The test's own packages (pytask
    and the project's dependencies) come through another .pth file.
    """
    venv.EnvBuilder(symlinks=os.name != "nt").create(folder)
    python = folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site_packages = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    purelib = sysconfig.get_paths()["purelib"]
    Path(site_packages, "test_environment.pth").write_text(f"{purelib}\n")
    editable = Path(site_packages, f"__editable__.{project.name}-0.1.0.pth")
    editable.write_text(f"{project / 'src'}\n{project}\n")
    return python


def test_a_project_stops_when_it_would_import_another_projects_package(
    cookies, tmp_path: Path
) -> None:
    first, second = bake(cookies), bake(cookies)
    assert first.name == second.name == "my_project"
    python = environment_with(first, tmp_path / "env")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}

    process = subprocess.run(
        [python, "-m", "pytask"], cwd=second, env=env, capture_output=True, text=True
    )
    assert process.returncode == 1
    assert process.stderr.splitlines() == [
        f"ERROR: the package my_project is imported from {first / 'src' / 'my_project'}"
        ", not from this project (another project of that name, or an install "
        "that is not editable); run `python -m pip install -e .` in an environment of "
        "this project's own, then pytask there"
    ]
    assert not (first / "bld").exists()
    assert not (second / "bld").exists()
    # In its own environment, the first project builds.
    own = subprocess.run(
        [python, "-m", "pytask"], cwd=first, env=env, capture_output=True, text=True
    )
    assert own.returncode == 0, own.stdout + own.stderr
    assert (first / "bld" / "estimation").is_dir()


def test_a_second_build_stops_in_one_line_while_one_runs(cookies) -> None:
    project = bake(cookies)
    (project / ".pytask").mkdir()
    with FileLock(project / ".pytask" / "build.lock"):
        process = run(project, sys.executable, "-m", "pytask")
    assert process.returncode == 1
    assert process.stderr.splitlines() == [BUSY.format(project)]
    assert process.stdout == ""
    assert not (project / "bld").exists()


def test_two_builds_started_at_once_leave_nothing_to_do(cookies) -> None:
    project = bake(cookies)
    env = os.environ | {"PYTHONPATH": pythonpath(project), "COLUMNS": "400"}
    builds = [
        subprocess.Popen(
            [sys.executable, "-m", "pytask"],
            cwd=project,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [(*build.communicate(), build.returncode) for build in builds]
    for stdout, stderr, code in results:
        assert "IntegrityError" not in stdout + stderr
        assert code == 0 or stderr.splitlines() == [BUSY.format(project)], stdout
    assert any(code == 0 for *_, code in results)
    assert pytask(project) == {}


def test_a_lock_that_cannot_be_taken_stops_in_one_line(cookies) -> None:
    project = bake(cookies)
    lock = project / ".pytask" / "build.lock"
    lock.mkdir(parents=True)
    (lock / "mine.txt").write_text("kept\n")
    process = run(project, sys.executable, "-m", "pytask")
    assert process.returncode == 1
    assert process.stderr.splitlines() == [
        f"ERROR: cannot take the lock {lock} (Is a directory); it is only the build's "
        "own, so remove it, then run pytask again"
    ]
    assert (lock / "mine.txt").read_text() == "kept\n"
    assert not (project / "bld").exists()
