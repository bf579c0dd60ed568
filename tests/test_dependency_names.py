"""No slug takes a name of a package that the generated project installs."""

from pathlib import Path

import pytest

from local_extensions import TAKEN_NAMES
from tests.bakery import cookiecutter
from tests.dependency_closure import (
    installed_closure,
    project_requirements,
    taken_names,
)


def test_taken_names_cover_the_installed_dependency_closure() -> None:
    names = taken_names(installed_closure(project_requirements()))
    assert {"pytask", "packaging", "dateutil", "python_dateutil", "yaml"} <= set(names)
    missing = sorted(set(names) - TAKEN_NAMES)
    assert not missing, f"run `python -m tests.dependency_closure`: {missing} missing"


@pytest.mark.parametrize(
    "slug", ["packaging", "python_dateutil", "yaml", "pluggy", "pytz"]
)
def test_a_slug_that_a_dependency_takes_is_refused_in_one_line(
    tmp_path: Path, slug: str
) -> None:
    process = cookiecutter(tmp_path, f"project_slug={slug}")
    assert process.returncode != 0
    assert process.stderr.splitlines()[0] == (
        f"ERROR: project_slug: {slug!r} is not a valid Python package name (a package "
        "or folder the project already uses); use lower-case letters, digits and _, "
        "starting with a letter, e.g. my_project"
    )
    assert not any(tmp_path.iterdir())


def test_a_name_that_a_dependency_takes_gets_a_slug_of_its_own(tmp_path: Path) -> None:
    process = cookiecutter(tmp_path, "project_name=Packaging")
    assert process.returncode == 0, process.stderr
    assert "not importable" not in process.stdout
    assert (tmp_path / "packaging_project" / "src" / "packaging_project").is_dir()
