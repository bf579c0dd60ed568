"""Answers of the official pytask cookiecutter give the outcomes its tests assert.

The contexts are those of tests/test_cookie.py in
https://github.com/pytask-dev/cookiecutter-pytask-project. Answers this template does
not ask (add_readthedocs, add_tox, create_changelog, conda_environment_name,
create_conda_environment_at_finish) are ignored by cookiecutter, so those contexts must
still bake; the outcomes asserted are those both templates share.
"""

import subprocess
import sys

import pytest

from tests.bakery import bake

PYTHON = "{}.{}".format(*sys.version_info[:2])
OFFICIAL_CONTEXTS = [
    {"project_slug": "helloworld", "python_version": PYTHON},
    {"add_readthedocs": "no"},
    {"add_github_actions": "no"},
    {"add_tox": "no"},
    {"open_source_license": "Not open source"},
    {"create_changelog": "no"},
    {
        "conda_environment_name": "__test__",
        "make_initial_commit": "yes",
        "create_conda_environment_at_finish": "yes",
    },
]
WORKFLOW = (".github", "workflows", "main.yml")
# The official README's badge links workflow status; ours links the workflow's badge.
BADGES = ("github/workflow/status", "actions/workflows/main.yml/badge.svg")


@pytest.mark.parametrize("context", OFFICIAL_CONTEXTS, ids=lambda c: ",".join(c))
def test_official_context_bakes_with_the_official_outcomes(
    cookies, context: dict[str, str]
) -> None:
    project = bake(cookies, **context)
    assert project.is_dir()
    assert project.name == context.get("project_slug", "my_project")
    readme = project.joinpath("README.md").read_text()
    without_actions = context.get("add_github_actions") == "no"
    assert project.joinpath(*WORKFLOW).exists() != without_actions
    assert any(badge in readme for badge in BADGES) != without_actions
    without_license = context.get("open_source_license") == "Not open source"
    assert project.joinpath("LICENSE").exists() != without_license
    if "python_version" in context:
        assert project.joinpath(".python-version").read_text() == f"{PYTHON}\n"
    if context.get("make_initial_commit") == "yes":
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, check=False
        )
        assert head.returncode == 0, "no initial commit"
