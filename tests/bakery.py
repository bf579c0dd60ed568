"""Bake the template and run the generated project's own commands."""

import csv
import importlib.util
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config

TEMPLATE = Path(__file__).parents[1]
# A row of pytask's table of executed tasks: "│ <module>::<task>[<id>] │ <outcome> │";
# a task without an id counts by its name, so that no executed task goes unseen.
TASK_ROW = re.compile(
    r"^│ \S+::(?P<name>\w+)(?:\[(?P<id>[^\]]+)\])?\s+│ (?P<outcome>\S+)\s+│$"
)


def bake(cookies, **context: str) -> Path:
    """Bake the template with ``context`` and return the project's path."""
    result = cookies.bake(extra_context=context)
    assert result.exception is None, result.exception
    assert result.exit_code == 0
    return result.project_path


def run(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run a command in the project as its README says, without installing it."""
    env = os.environ | {"PYTHONPATH": pythonpath(project), "COLUMNS": "400"}
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )


def pythonpath(project: Path) -> str:
    """Return what installing the project puts on the path: src/ and the machinery."""
    return os.pathsep.join([str(project / "src"), str(project)])


def pytask(project: Path, *args: str) -> dict[str, str]:
    """Run ``pytask`` in the project; return the id and outcome of each task it ran.

    pytask lists the tasks it executed in a table and hides those it skipped as
    unchanged or deselected.
    """
    process = run(project, sys.executable, "-m", "pytask", *args)
    assert process.returncode == 0, process.stdout + process.stderr
    rows = (TASK_ROW.match(line) for line in process.stdout.splitlines())
    return {row["id"] or row["name"]: row["outcome"] for row in rows if row}


def cookiecutter(
    output_dir: Path, *answers: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real ``cookiecutter --no-input`` command line on the template."""
    command = [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE)]
    return subprocess.run(
        [*command, "--output-dir", str(output_dir), *answers],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def replay(output_dir: Path, **answers: object) -> subprocess.CompletedProcess[str]:
    """Run cookiecutter on a replay file: the default answers with ``answers`` set.

    Replayed answers skip both cookiecutter's check of choices and Jinja rendering.
    """
    context = generate_context(context_file=str(TEMPLATE / "cookiecutter.json"))
    replayed = prompt_for_config(context, no_input=True) | answers
    replay_file = output_dir.with_name(f"{output_dir.name}.replay.json")
    replay_file.write_text(json.dumps({"cookiecutter": replayed}))
    command = [sys.executable, "-m", "cookiecutter", str(TEMPLATE)]
    return subprocess.run(
        [*command, "--replay-file", str(replay_file), "--output-dir", str(output_dir)],
        capture_output=True,
        text=True,
        check=False,
    )


def head_commit_author(project: Path) -> str | None:
    """Return "name <email>" of the last commit, or None if there is no commit."""
    process = subprocess.run(
        ["git", "log", "-1", "--format=%an <%ae>"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    return process.stdout.strip() if process.returncode == 0 else None


def add_weight_and_state(path: Path, gaps: dict[str, int] | None = None) -> None:
    """Add a column of weights and one of clusters to the raw data at ``path``.

    ``gaps`` maps a column to N: every N-th row loses its value there.
    """
    rng = random.Random(0)
    with path.open(newline="") as file:
        rows = list(csv.DictReader(file))
    for number, row in enumerate(rows, start=1):
        row["weight"] = f"{rng.uniform(0.5, 2.0):.3f}"
        row["state"] = f"s{rng.randrange(12)}"
        for column, every in (gaps or {}).items():
            if number % every == 0:
                row[column] = ""
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def import_file(path: Path) -> ModuleType:
    """Import the module at ``path`` by its path, as pytask imports a hook module."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
