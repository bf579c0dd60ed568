"""Fixtures shared by the tests of what a generated project reruns."""

from pathlib import Path

import pytest

from tests.bakery import bake, pytask
from tests.reruns import CleanBuilds


@pytest.fixture(scope="module")
def built(cookies_session) -> Path:
    """A project with the default answers, built once."""
    project = bake(cookies_session)
    assert len(pytask(project)) == 16
    return project


@pytest.fixture(scope="module")
def clean_builds(built: Path, tmp_path_factory: pytest.TempPathFactory) -> CleanBuilds:
    """The products of clean builds, one per configuration, the first one known."""
    builds = CleanBuilds(tmp_path_factory.mktemp("clean"))
    builds.add(built)
    return builds
