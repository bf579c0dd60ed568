"""Secrets stay out of git, and a commit that git refuses costs no file."""

import os
import subprocess
from pathlib import Path

from tests.bakery import cookiecutter

SECRETS_AND_ENVIRONMENTS = [
    ".env",
    ".env.local",
    ".envrc",
    "secrets.toml",
    "src/my_project/secrets.toml",
    ".venv/bin/python",
    ".venv-3.12/bin/python",
    "venv/pyvenv.cfg",
    "env/lib/site.py",
]


def git(project: Path, *args: str) -> str:
    """Run git in ``project`` and return what it prints."""
    return subprocess.run(
        ["git", *args], cwd=project, capture_output=True, text=True, check=True
    ).stdout


def test_git_add_all_leaves_secrets_and_environments_out(tmp_path: Path) -> None:
    assert cookiecutter(tmp_path, "make_initial_commit=yes").returncode == 0
    project = tmp_path / "my_project"
    for name in SECRETS_AND_ENVIRONMENTS:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text("TOKEN=1\n")
    git(project, "add", "-A")
    assert git(project, "status", "--porcelain") == ""
    tracked = git(project, "ls-files").splitlines()
    assert not set(tracked) & set(SECRETS_AND_ENVIRONMENTS)


def test_a_commit_that_git_refuses_keeps_the_project(tmp_path: Path) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("[commit]\n\tgpgsign = true\n[gpg]\n\tprogram = false\n")
    env = os.environ | {"GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1"}
    process = cookiecutter(tmp_path, "make_initial_commit=yes", env=env)
    assert process.returncode == 0, process.stderr
    assert process.stdout.splitlines() == [
        "git: the first commit failed (error: gpg failed to sign the data): the "
        "project is here with its files staged; commit them yourself with `git commit`"
    ]
    project = tmp_path / "my_project"
    assert (project / "src" / "my_project" / "estimation" / "config.py").is_file()
    staged = git(project, "diff", "--cached", "--name-only").splitlines()
    assert "pyproject.toml" in staged
    no_commit = subprocess.run(
        ["git", "rev-parse", "--verify", "HEAD"], cwd=project, capture_output=True
    )
    assert no_commit.returncode != 0
