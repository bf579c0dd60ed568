"""`cookiecutter -f` leaves the user's git and files alone; no answer stays behind."""

import os
import subprocess
from pathlib import Path

from tests.bakery import cookiecutter


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
