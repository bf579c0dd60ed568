"""Answers that a config or replay file gives as other types than their question's."""

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bakery import TEMPLATE, replay

QUESTIONS = json.loads((TEMPLATE / "cookiecutter.json").read_text())
YES_NO = [name for name, default in QUESTIONS.items() if isinstance(default, bool)]
TEXT = [
    name
    for name, default in QUESTIONS.items()
    if not name.startswith("_") and name not in YES_NO
]
# Each text answer, and each yes/no one, with a value of another type: every type
# comes once at least.
NOT_TEXT = list(zip(TEXT, itertools.cycle([None, ["Ann", "Bob"], 3.1, 1, True])))
NOT_YES_NO = list(zip(YES_NO, ["no", None, 0, ["yes"]], strict=True))
TEXT_ALLOWED = "not text; quote it in the config or replay file, e.g. '3.10'"
YES_NO_ALLOWED = (
    "not yes or no; write yes or no in a config file, true or false in a replay file"
)


def config_file_bake(
    tmp_path: Path, default_context: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run cookiecutter with a config file of ``default_context``, YAML's text."""
    config = tmp_path / "config.yaml"
    config.write_text(f"default_context: {default_context}\n")
    output_dir = tmp_path / "out"
    command = [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE)]
    process = subprocess.run(
        [*command, "--config-file", str(config), "--output-dir", str(output_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    return process, output_dir


def is_empty(output_dir: Path) -> bool:
    """Return whether nothing was left in ``output_dir``."""
    return not output_dir.exists() or not any(output_dir.iterdir())


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [(field, value, TEXT_ALLOWED) for field, value in NOT_TEXT]
    + [(field, value, YES_NO_ALLOWED) for field, value in NOT_YES_NO],
)
def test_a_replayed_answer_of_another_type_is_refused_in_one_line(
    tmp_path: Path, field: str, value: object, allowed: str
) -> None:
    output_dir = tmp_path / "out"
    process = replay(output_dir, **{field: value})
    assert process.returncode != 0
    assert process.stderr.splitlines()[0] == (
        f"ERROR: {field}: {value!r} is {type(value).__name__}, {allowed}"
    )
    assert is_empty(output_dir)


def test_a_number_in_a_config_file_is_refused_in_one_line(tmp_path: Path) -> None:
    process, output_dir = config_file_bake(tmp_path, "{python_version: 3.10}")
    assert process.returncode != 0
    assert process.stderr.splitlines()[0] == (
        "ERROR: python_version: 3.1 is float, not text; quote it in the config or "
        "replay file, e.g. '3.10'"
    )
    assert is_empty(output_dir)


@pytest.mark.parametrize("value", ["0", "null", "3.1"])
def test_a_yes_no_answer_in_a_config_file_that_is_no_boolean_is_refused(
    tmp_path: Path, value: str
) -> None:
    process, output_dir = config_file_bake(tmp_path, f"{{add_final_stage: {value}}}")
    assert process.returncode != 0
    # cookiecutter turns a number into text before the hook sees it.
    first, *_ = process.stderr.splitlines()
    assert first.startswith("ERROR: add_final_stage: ")
    assert first.endswith(YES_NO_ALLOWED)
    assert is_empty(output_dir)


@pytest.mark.parametrize(
    ("yes", "no"),
    [
        ("yes", "no"),
        ("true", "false"),
        ("'yes'", "'no'"),
        ("'y'", "'n'"),
        ("on", "off"),
    ],
)
def test_yes_and_no_in_a_config_file_are_read_as_meant(
    tmp_path: Path, yes: str, no: str
) -> None:
    # YAML reads an unquoted yes or no as a boolean; cookiecutter reads quoted ones.
    answers = f"{{add_github_actions: {no}, add_final_stage: {yes}, add_paper: {yes}}}"
    process, output_dir = config_file_bake(tmp_path, answers)
    assert process.returncode == 0, process.stderr
    project = output_dir / "my_project"
    assert not (project / ".github").exists()
    assert (project / "src" / "my_project" / "final" / "task_final.py").is_file()
    assert (project / "src" / "my_project" / "paper" / "paper.tex").is_file()


@pytest.mark.parametrize(
    ("field", "line"),
    [
        (
            "project_slug",
            "ERROR: project_slug: None is NoneType, not text; use a lower-case Python "
            "package name such as my_project",
        ),
        (
            "project_name",
            "ERROR: project_name: None is NoneType, not text; quote it in the config "
            "or replay file, e.g. '3.10'",
        ),
    ],
)
def test_a_null_in_a_config_file_is_refused_in_one_line(
    tmp_path: Path, field: str, line: str
) -> None:
    process, output_dir = config_file_bake(tmp_path, f"{{{field}: null}}")
    assert process.returncode != 0
    output = process.stdout + process.stderr
    assert line in output
    # Not slugify's, nor the template's own Jinja filters'.
    assert "TypeError" not in output and "AttributeError" not in output
    assert is_empty(output_dir)


@pytest.mark.parametrize(
    ("value", "line"),
    [
        ("3", "ERROR: open_source_license: 3 is int, not text; "),
        (
            "Proprietary",
            "ERROR: open_source_license: 'Proprietary' is not allowed; use one of "
            "['MIT', 'BSD', 'ISC', 'Apache Software License 2.0', 'GNU General Public "
            "License v3', 'Not open source']",
        ),
    ],
)
def test_a_licence_that_a_config_file_gives_wrong_is_refused_not_replaced(
    tmp_path: Path, value: str, line: str
) -> None:
    """cookiecutter would replace a choice it cannot match by the default, MIT."""
    process, output_dir = config_file_bake(
        tmp_path, f"{{open_source_license: {value}}}"
    )
    assert process.returncode != 0
    assert process.stderr.splitlines()[0].startswith(line)
    assert is_empty(output_dir)
