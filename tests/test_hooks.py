"""The hooks reject bad answers before anything is written and finish the project."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bakery import bake, cookiecutter


@pytest.mark.parametrize("slug", ["My-Project", "1study", "class", "my project"])
def test_bad_project_slug_fails_with_one_line_and_leaves_nothing(
    cookies, capfd: pytest.CaptureFixture[str], tmp_path: Path, slug: str
) -> None:
    result = cookies.bake(extra_context={"project_slug": slug})
    assert result.exit_code != 0
    errors = capfd.readouterr().err.splitlines()
    message = f"ERROR: project_slug: {slug!r} is not a valid Python package name"
    assert errors[0].startswith(message)
    output_dir = tmp_path / "bake00"  # where pytest-cookies bakes the first project
    assert not output_dir.exists() or not any(output_dir.iterdir())


def test_bad_project_slug_on_the_command_line(tmp_path: Path) -> None:
    process = cookiecutter(tmp_path, "project_slug=class")
    assert process.returncode != 0
    assert "ERROR: project_slug: 'class' is not a valid Python package name" in (
        process.stderr
    )
    assert not any(tmp_path.iterdir())


def test_missing_git_is_reported_and_generation_succeeds(tmp_path: Path) -> None:
    bin_without_git = tmp_path / "bin"
    bin_without_git.mkdir()
    (bin_without_git / "python").symlink_to(sys.executable)
    env = os.environ | {"PATH": str(bin_without_git)}
    process = cookiecutter(tmp_path, "make_initial_commit=yes", env=env)
    assert process.returncode == 0, process.stderr
    assert "git was not found" in process.stdout
    assert (tmp_path / "my_project" / "pyproject.toml").is_file()
    assert not (tmp_path / "my_project" / ".git").exists()


def test_initial_commit_leaves_the_global_git_config_alone(
    cookies, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    project = bake(cookies, make_initial_commit="yes", author="Ada Lovelace")
    log = subprocess.run(
        ["git", "log", "--format=%an"], cwd=project, capture_output=True, text=True
    )
    assert log.stdout.strip() == "Ada Lovelace"
    assert not (home / ".gitconfig").exists()
