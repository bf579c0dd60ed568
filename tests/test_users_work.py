"""`cookiecutter -f` leaves the user's git and files alone; no answer stays behind."""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from tests.bakery import TEMPLATE, cookiecutter


def git(project: Path, *args: str) -> str:
    """Run git in the project as its user, who has an identity of their own."""
    identity = ["-c", "user.name=User", "-c", "user.email=user@example.org"]
    process = subprocess.run(
        ["git", *identity, *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )
    return process.stdout


def test_overwriting_a_repository_leaves_it_alone(tmp_path: Path) -> None:
    project = tmp_path / "my_project"
    assert cookiecutter(tmp_path, "make_initial_commit=yes").returncode == 0
    (project / "notes.txt").write_text("mine\n")
    with (project / "README.md").open("a") as readme:
        readme.write("My own notes.\n")
    git(project, "commit", "--quiet", "--all", "--message", "My notes")
    history = git(project, "log", "--format=%H %an %s")

    again = cookiecutter(tmp_path, "-f", "make_initial_commit=yes", "author=Ann Other")
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [
        "git: this folder is a repository already: left it alone, added nothing"
    ]
    assert git(project, "log", "--format=%H %an %s") == history
    # Nothing added: what -f overwrote shows as changed, the notes as untracked.
    status = git(project, "status", "--porcelain").splitlines()
    assert "?? notes.txt" in status
    assert " M README.md" in status
    assert all(line[0] in " ?" for line in status), status
    assert "My own notes." in git(project, "show", "HEAD:README.md")


def test_first_commit_holds_the_templates_files_only(tmp_path: Path) -> None:
    project = tmp_path / "my_project"
    project.mkdir()
    (project / "notes.txt").write_text("mine\n")
    process = cookiecutter(tmp_path, "-f", "make_initial_commit=yes")
    assert process.returncode == 0, process.stderr
    committed = git(project, "ls-files").splitlines()
    assert "pyproject.toml" in committed
    assert "notes.txt" not in committed
    assert git(project, "status", "--porcelain").splitlines() == ["?? notes.txt"]


def test_skipping_existing_files_keeps_the_users_files_of_options_now_off(
    tmp_path: Path,
) -> None:
    project = tmp_path / "my_project"
    workflow = project / ".github" / "workflows" / "main.yml"
    off = ["add_github_actions=no", "open_source_license=Not open source"]
    assert cookiecutter(tmp_path).returncode == 0
    # Without -s, cookiecutter writes them again: they are the template's, and go.
    overwritten = cookiecutter(tmp_path, "-f", *off)
    assert overwritten.returncode == 0, overwritten.stderr
    assert not workflow.exists()
    assert not (project / "LICENSE").exists()

    assert cookiecutter(tmp_path, "-f").returncode == 0
    with workflow.open("a") as file:
        file.write("# my own step\n")
    mine = {path: path.read_text() for path in (workflow, project / "LICENSE")}
    skipped = cookiecutter(tmp_path, "-f", "-s", *off)
    assert skipped.returncode == 0, skipped.stderr
    assert skipped.stdout.splitlines()[0] == (
        "kept .github/workflows/main.yml, LICENSE: the answers do not choose them, "
        "but they were here and cookiecutter -s skipped them"
    )
    assert {path: path.read_text() for path in mine} == mine


def test_no_answer_is_left_in_the_temporary_folder(tmp_path: Path) -> None:
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    env = os.environ | {name: str(temporary) for name in ("TMPDIR", "TEMP", "TMP")}
    email = "email=leak.check@example.org"

    passed = cookiecutter(tmp_path / "passed", email, env=env)
    assert passed.returncode == 0, passed.stderr
    refused = cookiecutter(
        tmp_path / "refused", email, "python_version=3.11.99", env=env
    )
    assert "ERROR: python_version" in refused.stderr
    # A user's broken file that -s keeps fails the post-generation checks.
    config = tmp_path / "failed" / "my_project" / "src" / "my_project" / "config.py"
    config.parent.mkdir(parents=True)
    config.write_text("BLD = (\n")
    failed = cookiecutter(tmp_path / "failed", "-f", "-s", email, env=env)
    assert "ERROR: structure: src/my_project/config.py does not parse" in failed.stderr

    assert list(temporary.iterdir()) == []


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_no_answer_is_left_after_a_signal_stops_a_hook(
    tmp_path: Path, stop: signal.Signals
) -> None:
    temporary = tmp_path / "temporary"
    temporary.mkdir()
    # A git whose `git init` (which the hook runs last) tells it was started, then
    # waits: the hook is running there. pytask's own calls go to the real git.
    started = tmp_path / "git-started"
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    (bin_folder / "git").write_text(
        f'#!/bin/sh\n[ "$1" = init ] || exec {shutil.which("git")} "$@"\n'
        f"touch {started}\nexec sleep 600\n"
    )
    (bin_folder / "git").chmod(0o755)
    env = os.environ | {name: str(temporary) for name in ("TMPDIR", "TEMP", "TMP")}
    env["PATH"] = f"{bin_folder}{os.pathsep}{env['PATH']}"
    command = [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE)]
    cookiecutter = subprocess.Popen(
        [*command, "--output-dir", str(tmp_path), "email=leak.check@example.org"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while not started.exists() and cookiecutter.poll() is None:
            os.sched_yield()
        assert started.exists(), "the hook did not reach git"
        hook_and_git = psutil.Process(cookiecutter.pid).children(recursive=True)
        os.killpg(cookiecutter.pid, stop)
        cookiecutter.wait()
        # The hook cleans up after cookiecutter has gone; a hang is a failure.
        _, alive = psutil.wait_procs(hook_and_git, timeout=60)
        assert alive == []
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(cookiecutter.pid, signal.SIGKILL)
        cookiecutter.wait()
    leaks = [p for p in temporary.rglob("*") if b"leak.check" in p.read_bytes()]
    assert leaks == []


def test_skipping_keeps_a_stage_now_off_and_its_tasks_pass_the_checks(
    tmp_path: Path,
) -> None:
    assert cookiecutter(tmp_path, "add_final_stage=yes").returncode == 0
    final = tmp_path / "my_project" / "src" / "my_project" / "final"
    mine = {path: path.read_text() for path in final.iterdir()}
    skipped = cookiecutter(tmp_path, "-f", "-s", "add_final_stage=no")
    assert skipped.returncode == 0, skipped.stderr
    assert skipped.stdout.splitlines()[0] == (
        "kept src/my_project/final/__init__.py, src/my_project/final/config.py, "
        "src/my_project/final/curve.py, src/my_project/final/effects.py, "
        "src/my_project/final/latex.py, src/my_project/final/task_final.py: the "
        "answers do not choose them, but they were here and cookiecutter -s skipped "
        "them"
    )
    assert {path: path.read_text() for path in final.iterdir()} == mine


def test_skipping_keeps_the_paper_now_off(tmp_path: Path) -> None:
    both = ("add_final_stage=yes", "add_paper=yes")
    assert cookiecutter(tmp_path, *both).returncode == 0
    paper = tmp_path / "my_project" / "src" / "my_project" / "paper"
    with (paper / "paper.tex").open("a") as file:
        file.write("% my own paragraph\n")
    mine = {path: path.read_text() for path in paper.iterdir()}
    skipped = cookiecutter(tmp_path, "-f", "-s", "add_final_stage=yes", "add_paper=no")
    assert skipped.returncode == 0, skipped.stderr
    assert skipped.stdout.splitlines()[0].startswith(
        "kept src/my_project/paper/__init__.py, src/my_project/paper/config.py, "
        "src/my_project/paper/paper.tex, src/my_project/paper/task_paper.py: "
    )
    assert {path: path.read_text() for path in paper.iterdir()} == mine
