"""Projects follow later versions of the template through cruft."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.bakery import TEMPLATE

# A committer for the throwaway repositories, without touching any git config.
GIT_IDENTITY = {
    f"GIT_{role}_{field}": value
    for role in ("AUTHOR", "COMMITTER")
    for field, value in (("NAME", "Template Test"), ("EMAIL", "test@example.com"))
}
ENV = os.environ | GIT_IDENTITY


def run(*command: str, cwd: Path) -> str:
    """Run a command; fail with its output unless it succeeds; return its stdout."""
    process = subprocess.run(
        command, cwd=cwd, env=ENV, capture_output=True, text=True, check=False
    )
    assert process.returncode == 0, process.stdout + process.stderr
    return process.stdout


def cruft(*args: str, cwd: Path) -> str:
    """Run the cruft command line of this Python environment."""
    return run(sys.executable, "-m", "cruft", *args, cwd=cwd)


def copy_template(destination: Path) -> Path:
    """Copy the template's tracked files into a new git repository; return its path."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=TEMPLATE, capture_output=True, text=True
    ).stdout.split("\0")
    for name in filter(None, tracked):
        if (TEMPLATE / name).is_file():  # deleted but not yet committed: skip
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(TEMPLATE / name, destination / name)
    run("git", "init", "--quiet", "--initial-branch=main", cwd=destination)
    commit_all(destination, "The template as it is")
    return destination


def commit_all(repository: Path, message: str) -> None:
    """Commit every change in the repository."""
    run("git", "add", "--all", cwd=repository)
    run("git", "commit", "--quiet", "--no-verify", "--message", message, cwd=repository)


def test_cruft_create_then_update_brings_a_template_change(tmp_path: Path) -> None:
    template = copy_template(tmp_path / "template")
    answers = {"project_name": "Cruft Study", "make_initial_commit": "yes"}
    cruft(
        "create",
        "--no-input",
        "--output-dir",
        str(tmp_path),
        "--extra-context",
        json.dumps(answers),
        str(template),
        cwd=tmp_path,
    )
    project = tmp_path / "cruft_study"
    assert (project / "src" / "cruft_study" / "config.py").is_file()
    state = json.loads((project / ".cruft.json").read_text())
    assert state["context"]["cookiecutter"]["project_slug"] == "cruft_study"
    # The post-generation hook read its answers under cruft and made the first commit.
    assert run("git", "rev-list", "--count", "HEAD", cwd=project).strip() == "1"
    commit_all(project, "Track the cruft state")
    cruft("check", cwd=project)

    readme = template / "{{cookiecutter.project_slug}}" / "README.md"
    line = "A line the template added for {{ cookiecutter.project_name }}."
    readme.write_text(readme.read_text() + f"\n{line}\n")
    commit_all(template, "Add a line to the README")
    check = subprocess.run(
        [sys.executable, "-m", "cruft", "check"], cwd=project, capture_output=True
    )
    assert check.returncode != 0, "cruft check missed the new template commit"

    cruft("update", "--skip-apply-ask", cwd=project)
    assert (
        (project / "README.md")
        .read_text()
        .endswith("\nA line the template added for Cruft Study.\n")
    )
    cruft("check", cwd=project)
    # Only the change arrived: the README and cruft's own record of the commit.
    changed = run("git", "status", "--porcelain", cwd=project).splitlines()
    assert sorted(line[3:] for line in changed) == [".cruft.json", "README.md"]
