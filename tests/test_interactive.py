"""Answer cookiecutter's prompts in a pseudo-terminal, as a person would."""

import json
import os
import re
import sys
from pathlib import Path

import pexpect

from tests.bakery import TEMPLATE, cookiecutter

QUESTIONS = json.loads((TEMPLATE / "cookiecutter.json").read_text())
PROMPTS = QUESTIONS["__prompts__"]
ANSWERS = {
    "project_name": "Zoë's Study",
    "project_description": "Who voted for Dole in 1996?",
    "author": "Zoë O'Brien",
    "email": "zoe@example.org",
    "github_username": "zoe-obrien",
    "python_version": "3.12",
    "open_source_license": "BSD",
    "add_github_actions": "no",
    "add_final_stage": "yes",
    "add_paper": "yes",
    "make_initial_commit": "yes",
}


def files_and_texts(project: Path) -> dict[str, bytes]:
    """Return every file of the project but git's own, with its content."""
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for path in sorted(project.rglob("*"))
        if path.is_file() and path.relative_to(project).parts[0] != ".git"
    }


def as_wrapped(text: str) -> str:
    """Return a pattern that matches the text wherever the terminal wraps it."""
    return r"\s+".join(re.escape(word) for word in text.split())


def answer_every_prompt(output_dir: Path) -> None:
    """Run cookiecutter in a pseudo-terminal and answer what it asks, in order."""
    # A dumb terminal gets no colours, but rich wraps its lines at 80 columns.
    env = os.environ | {"TERM": "dumb"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "cookiecutter", str(TEMPLATE), "--output-dir", str(output_dir)],
        env=env,
        encoding="utf-8",
        timeout=30,
    )
    questions = [name for name in QUESTIONS if not name.startswith("_")]
    for number, name in enumerate(questions, start=1):
        child.expect(as_wrapped(f"[{number}/{len(questions)}] {PROMPTS[name]}"))
        default = QUESTIONS[name]
        if isinstance(default, list):
            # A choice: the person types the number shown beside the option.
            child.expect(r"Choose from \[[\d/]+\] \(1\): ")
            child.sendline(str(default.index(ANSWERS[name]) + 1))
        else:
            child.expect(r"\): ")
            # The slug's default derives from the name; the person accepts it.
            child.sendline(ANSWERS.get(name, ""))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before


def test_answering_the_prompts_equals_a_bake_with_the_same_answers(
    tmp_path: Path,
) -> None:
    answer_every_prompt(tmp_path / "interactive")
    answers = [f"{name}={value}" for name, value in ANSWERS.items()]
    process = cookiecutter(tmp_path / "no_input", *answers)
    assert process.returncode == 0, process.stderr
    (interactive,) = (tmp_path / "interactive").iterdir()
    (no_input,) = (tmp_path / "no_input").iterdir()
    assert interactive.name == no_input.name == "zoe_s_study"
    assert files_and_texts(interactive) == files_and_texts(no_input)
    assert re.search(
        r"Copyright \(c\) \d{4}, Zoë O'Brien", (interactive / "LICENSE").read_text()
    )
