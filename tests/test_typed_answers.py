"""Answers that a config or replay file gives as other types than text."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bakery import TEMPLATE, replay


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("add_github_actions", False, "False is bool"),
        ("make_initial_commit", True, "True is bool"),
        ("project_name", None, "None is NoneType"),
        ("author", ["Ann", "Bob"], "['Ann', 'Bob'] is list"),
        ("python_version", 3.1, "3.1 is float"),
        ("open_source_license", 1, "1 is int"),
    ],
)
def test_a_replayed_answer_that_is_not_text_is_refused_in_one_line(
    tmp_path: Path, field: str, value: object, shown: str
) -> None:
    output_dir = tmp_path / "out"
    process = replay(output_dir, **{field: value})
    assert process.returncode != 0
    assert process.stderr.splitlines()[0] == (
        f"ERROR: {field}: {shown}, not text; quote it in the config or replay file, "
        "e.g. 'no' or '3.10'"
    )
    assert not output_dir.exists() or not any(output_dir.iterdir())


def test_a_number_in_a_config_file_is_refused_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(json.dumps({"default_context": {"python_version": 3.10}}))
    output_dir = tmp_path / "out"
    command = [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE)]
    process = subprocess.run(
        [*command, "--config-file", str(config), "--output-dir", str(output_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode != 0
    assert process.stderr.splitlines()[0] == (
        "ERROR: python_version: 3.1 is float, not text; quote it in the config or "
        "replay file, e.g. 'no' or '3.10'"
    )
    assert not output_dir.exists() or not any(output_dir.iterdir())
