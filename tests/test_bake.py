"""Bake the template with every combination of options and inspect the result."""

import ast
import itertools
import json
import re
import sys
import tomllib
from pathlib import Path

import pytest

from tests.bakery import TEMPLATE, bake, head_commit_author, pytask, run

# Each question's default, and the answers of a yes/no question.
OPTIONS = {
    name: ["yes", "no"] if isinstance(default, bool) else default
    for name, default in json.loads(
        (TEMPLATE / "cookiecutter.json").read_text()
    ).items()
}
LICENSES = OPTIONS["_open_source_license_choices"]

SPEC_FILES = {
    ".pre-commit-config.yaml",
    ".python-version",
    "CITATION.cff",
    "pyproject.toml",
    "setup.py",
    "README.md",
    ".gitignore",
    "tests/test_config.py",
    "src/my_project/__init__.py",
    "src/my_project/config.py",
    "my_project_template/__init__.py",
    "my_project_template/build_guard.py",
    "my_project_template/config_checks.py",
    "my_project_template/fixest.py",
    "my_project_template/fixest_rules.py",
    "my_project_template/parallel_backends.py",
    "my_project_template/raw_data.py",
    "my_project_template/rules.py",
    "my_project_template/summaries.py",
    "src/my_project/data/data.csv",
    "src/my_project/data_preparation/__init__.py",
    "src/my_project/data_preparation/config.py",
    "src/my_project/data_preparation/task_prepare_data.py",
    "src/my_project/estimation/__init__.py",
    "src/my_project/estimation/config.py",
    "src/my_project/estimation/task_estimate_models.py",
}
FINAL_STAGE_FILES = {
    "src/my_project/final/__init__.py",
    "src/my_project/final/config.py",
    "src/my_project/final/curve.py",
    "src/my_project/final/effects.py",
    "src/my_project/final/latex.py",
    "src/my_project/final/task_final.py",
}
PAPER_FILES = {
    "src/my_project/paper/__init__.py",
    "src/my_project/paper/config.py",
    "src/my_project/paper/paper.tex",
    "src/my_project/paper/task_paper.py",
}
LICENSE_HEADS = {
    "MIT": "MIT License",
    "BSD": "BSD 3-Clause License",
    "ISC": "ISC License",
    "Apache Software License 2.0": "Licensed under the Apache License, Version 2.0",
    "GNU General Public License v3": "GNU General Public License",
}
# Jinja left in a file; GitHub's own "${{ ... }}" expressions are meant to stay.
UNRENDERED = re.compile(r"(?<!\$)\{\{|\{%|\{#|cookiecutter\.")


def files_of(project: Path) -> set[str]:
    """Return the project's files relative to it, without git's own."""
    return {
        path.relative_to(project).as_posix()
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(project).parts[:1]
    }


def expected_files(
    license_: str,
    add_github_actions: str,
    add_final_stage: str = "no",
    add_paper: str = "no",
) -> set[str]:
    """Return the files a project baked with these answers must have."""
    files = set(SPEC_FILES)
    if add_final_stage == "yes":
        files |= FINAL_STAGE_FILES
    if add_paper == "yes":
        files |= PAPER_FILES
    if license_ != "Not open source":
        files.add("LICENSE")
    if add_github_actions == "yes":
        files.add(".github/workflows/main.yml")
    return files


# Every combination of answers, but the paper's files depend on no other answer than
# the final stage (which it needs): with the paper, each licence is not baked again.
COMBINATIONS = [
    *(
        (*answers, "no")
        for answers in itertools.product(
            LICENSES,
            OPTIONS["add_github_actions"],
            OPTIONS["make_initial_commit"],
            OPTIONS["add_final_stage"],
        )
    ),
    *(
        ("MIT", actions, commit, "yes", "yes")
        for actions, commit in itertools.product(
            OPTIONS["add_github_actions"], OPTIONS["make_initial_commit"]
        )
    ),
]


@pytest.mark.parametrize(
    (
        "license_",
        "add_github_actions",
        "make_initial_commit",
        "add_final_stage",
        "add_paper",
    ),
    COMBINATIONS,
)
def test_every_option_combination_bakes_exactly_its_files(
    cookies,
    license_: str,
    add_github_actions: str,
    make_initial_commit: str,
    add_final_stage: str,
    add_paper: str,
) -> None:
    project = bake(
        cookies,
        open_source_license=license_,
        add_github_actions=add_github_actions,
        make_initial_commit=make_initial_commit,
        add_final_stage=add_final_stage,
        add_paper=add_paper,
    )
    assert project.name == "my_project"
    assert files_of(project) == expected_files(
        license_, add_github_actions, add_final_stage, add_paper
    )
    readme = (project / "README.md").read_text()
    assert ("actions/workflows/main.yml/badge.svg" in readme) == (
        add_github_actions == "yes"
    )
    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert ("license" in metadata) == (license_ != "Not open source")
    if license_ in LICENSE_HEADS:
        assert LICENSE_HEADS[license_] in (project / "LICENSE").read_text()
    assert (project / ".git").is_dir()
    expected_author = "Jane Doe <jane.doe@example.com>"
    assert head_commit_author(project) == (
        expected_author if make_initial_commit == "yes" else None
    )


def test_nothing_is_left_unrendered_and_every_python_file_parses(cookies) -> None:
    project = bake(cookies)
    for name in files_of(project) - {"src/my_project/data/data.csv"}:
        text = (project / name).read_text()
        assert not UNRENDERED.search(text), f"unrendered Jinja in {name}"
        if name.endswith(".py"):
            ast.parse(text, filename=name)
        if name.endswith(".toml"):
            tomllib.loads(text)


ALL_STAGES = {"add_final_stage": "yes", "add_paper": "yes"}
# Every minor the pre-generation hook accepts: ruff's rules follow the target version
# (from 3.14 on, quoted annotations and parentheses around caught errors are flagged).
PYTHON_MINORS = ast.literal_eval(
    re.search(
        r"NEWEST_PATCHES = (\{.*\})",
        TEMPLATE.joinpath("hooks", "pre_gen_project.py").read_text(),
    )[1]
)


@pytest.mark.parametrize(
    "answers",
    [
        {},
        {"add_final_stage": "yes"},
        *({**ALL_STAGES, "python_version": f"3.{minor}"} for minor in PYTHON_MINORS),
    ],
    ids=lambda answers: "-".join(answers.values()) or "defaults",
)
def test_generated_code_passes_ruff_with_its_own_rules(
    cookies, answers: dict[str, str]
) -> None:
    project = bake(cookies, **answers)
    for command in (["check"], ["format", "--check"]):
        process = run(project, sys.executable, "-m", "ruff", *command, ".")
        assert process.returncode == 0, process.stdout + process.stderr


def test_python_version_sets_the_lowest_supported_python(cookies) -> None:
    project = bake(cookies, python_version="3.12")
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == ">=3.12"
    assert pyproject["tool"]["ruff"]["target-version"] == "py312"


def test_pipeline_runs_green_and_a_second_run_does_nothing(cookies) -> None:
    project = bake(cookies)
    ran = pytask(project)
    data_ids = [f"data_{i}" for i in range(4)]
    models = ["linear_probability", "logit", "probit"]
    estimation_ids = [f"{model}_{data}" for model in models for data in data_ids]
    assert ran == dict.fromkeys(data_ids + estimation_ids, ".")
    for name in estimation_ids:
        summary = (project / "bld" / "estimation" / f"{name}.md").read_text()
        assert "| Intercept |" in summary
    assert pytask(project) == {}
    tests = run(project, sys.executable, "-m", "pytest", "-q")
    assert tests.returncode == 0, tests.stdout + tests.stderr


def test_selecting_one_estimation_runs_it_and_its_preparation(cookies) -> None:
    project = bake(cookies)
    ran = pytask(project, "-k", "linear_probability_data_0")
    assert ran == {"data_0": ".", "linear_probability_data_0": "."}
