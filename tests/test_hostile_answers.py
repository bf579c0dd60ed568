"""Free text with quotes, backslashes, emoji, # : { } lands intact in every file."""

import ast
import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from cookiecutter.environment import StrictEnvironment
from cookiecutter.generate import generate_context
from cookiecutter.prompt import prompt_for_config

from tests.bakery import (
    TEMPLATE,
    bake,
    cookiecutter,
    head_commit_author,
    pytask,
    replay,
)

HOSTILE = [
    'O\'Brien "Bob" \\ Zoë 😀',
    "C++ & Co: #1",
    "#",
    ":",
    "{",
    "}",
    "{x} {0} %s $HOME ${x}",
    "\"\"\" and '''",
    "C:\\new\\table\\",
    "null",
    "- item: yes",
    "<b>&amp;</b> \\u00e9",
    "  padded  ",
    "研究 Ünïcödé 👩‍🔬",
]
# git drops these from both ends of a name, and refuses a name of nothing else.
GIT_TRIMS = " .,:;<>\"'\\"
PARSERS = {
    ".py": ast.parse,
    ".toml": tomllib.loads,
    ".yml": yaml.safe_load,
    ".yaml": yaml.safe_load,
    ".cff": yaml.safe_load,
    ".json": json.loads,
}
FREE_TEXT_IN_PYTHON = re.compile(
    r"cookiecutter\.(project_name|project_description|author|email|github_username)"
    r"(?!\s*\|\s*quoted)"
)


def answers_for(value: str) -> dict[str, str]:
    """Put ``value`` into every free-text answer (the author needs a name git keeps)."""
    author = value if value.strip(GIT_TRIMS) else f"Ann {value}"
    return {"project_name": value, "project_description": value, "author": author}


def strings_in(data: object) -> list[str]:
    """Return every string inside parsed TOML, YAML or JSON."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for item in data.items() for part in item for s in strings_in(part)]
    if isinstance(data, list):
        return [s for item in data for s in strings_in(item)]
    return []


def template_source(name: str, slug: str) -> str:
    """Return the template of the generated file ``name``."""
    slug_part = "{{cookiecutter.project_slug}}"
    names = {slug: slug_part, f"{slug}_template": f"{slug_part}_template"}
    parts = [names.get(part, part) for part in name.split("/")]
    return TEMPLATE.joinpath(slug_part, *parts).read_text()


def answers_in_hook(hook: str, answers: dict[str, str]) -> dict[str, object]:
    """Render a hook as cookiecutter does and evaluate its Python literal of answers."""
    source = (TEMPLATE / "hooks" / hook).read_text()
    rendered = StrictEnvironment(context={"cookiecutter": answers}).from_string(source)
    text = rendered.render(cookiecutter=answers)
    literal = re.search(r'^ANSWERS = json\.loads\((r""".*""")\)$', text, re.MULTILINE)
    return json.loads(ast.literal_eval(literal[1]))


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_parses_and_round_trips_in_every_file(
    cookies, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    answers = answers_for(value)
    project = bake(cookies, **answers)
    for path in project.rglob("*"):
        name = path.relative_to(project).as_posix()
        if not path.is_file() or name.startswith(".git/"):
            continue
        parsed = PARSERS.get(path.suffix, str)(path.read_text(encoding="utf-8"))
        # Each answer that the file's template embeds is a string (or part of one).
        source = template_source(name, project.name)
        for field, answer in answers.items():
            if name == "CITATION.cff" and field == "author":
                continue  # split into given and family names, checked below
            if f"cookiecutter.{field}" in source and path.suffix in PARSERS:
                assert any(answer in leaf for leaf in strings_in(parsed)), (name, field)
    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert metadata["description"] == value
    assert metadata["authors"][0]["name"] == answers["author"]
    citation = yaml.safe_load((project / "CITATION.cff").read_text(encoding="utf-8"))
    assert (citation["title"], citation["abstract"]) == (value, value)
    names = citation["authors"][0]
    given_and_family = [names.get("given-names"), names["family-names"]]
    assert " ".join(filter(None, given_and_family)) == answers["author"].strip()
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[0] == f"# {value}"
    assert answers["author"] in (project / "LICENSE").read_text(encoding="utf-8")
    # The hooks carry the answers as a Python literal; it evaluates to them exactly.
    monkeypatch.chdir(TEMPLATE)  # cookiecutter renders hooks from the template root
    context = bake_context(answers)
    for hook in ("pre_gen_project.py", "post_gen_project.py"):
        hook_answers = answers_in_hook(hook, context)
        assert {key: hook_answers[key] for key in answers} == answers


def bake_context(answers: dict[str, str]) -> dict[str, object]:
    """Return the rendered answers that cookiecutter hands to the hooks."""
    context = generate_context(
        context_file=str(TEMPLATE / "cookiecutter.json"), extra_context=answers
    )
    return prompt_for_config(context, no_input=True)


def test_hostile_project_runs_its_pipeline_and_commits_as_its_author(cookies) -> None:
    answers = answers_for(HOSTILE[0])
    project = bake(cookies, **answers, make_initial_commit="yes")
    assert project.name == "o_brien_bob_zoe"
    assert len(pytask(project)) == 16
    assert head_commit_author(project) == f"{answers['author']} <jane.doe@example.com>"


def test_jinja_typed_at_the_prompt_survives(tmp_path: Path) -> None:
    # Typed answers and replayed ones are not rendered as Jinja, so they stay as given.
    value = "{{ not rendered }} {% raw %} {# kept #}"
    process = replay(tmp_path / "out", project_name=value, project_description=value)
    assert process.returncode == 0, process.stderr
    project = tmp_path / "out" / "my_project"
    assert (project / "README.md").read_text().splitlines()[0] == f"# {value}"
    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert metadata["description"] == value


def test_python_files_embed_free_text_only_through_quoted() -> None:
    for path in TEMPLATE.glob("**/*.py"):
        if "tests" in path.relative_to(TEMPLATE).parts[:1]:
            continue
        text = path.read_text()
        assert not FREE_TEXT_IN_PYTHON.search(text), f"raw free text in {path}"


def test_the_users_own_jinja_marks_and_cookiecutter_words_are_kept(
    tmp_path: Path,
) -> None:
    # CITATION.cff splits the author into given and family names, and the paper
    # escapes LaTeX's braces: neither holds the answer whole.
    answers = {
        "project_name": "cookiecutter.json {{ study",
        "project_description": "Uses cookiecutter.project_slug, {{ x }}, {% y %}, {#",
        "author": "Ann {{ cookiecutter.Doe",
        "add_final_stage": True,
        "add_paper": True,
    }
    process = replay(tmp_path / "out", **answers)
    assert process.returncode == 0, process.stderr
    project = tmp_path / "out" / "my_project"
    citation = yaml.safe_load((project / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["authors"][0]["family-names"] == "cookiecutter.Doe"
    metadata = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert metadata["description"] == answers["project_description"]


def test_cookiecutter_words_from_the_command_line_are_kept(tmp_path: Path) -> None:
    description = "Reads cookiecutter.json, as cookiecutter.main does"
    process = cookiecutter(
        tmp_path, f"project_description={description}", "author=Ann cookiecutter.Doe"
    )
    assert process.returncode == 0, process.stderr
    pyproject = (tmp_path / "my_project" / "pyproject.toml").read_text()
    assert tomllib.loads(pyproject)["project"]["description"] == description
