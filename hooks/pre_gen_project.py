"""Validate every answer before cookiecutter writes anything.

Each check returns the problems of one answer, one line each, naming the answer, the
value given and what is allowed; all problems are reported together.
"""

import json
import keyword
import re
import sys
import unicodedata

# tojson escapes every quote and backslash, so no answer can break these literals.
ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")
# The answers before cookiecutter rendered them as Jinja; cruft does not keep them.
RAW_ANSWERS = json.loads(r"""{{ _cookiecutter | default({}) | tojson }}""")
CHOICES = json.loads(r"""{{ cookiecutter | choices | tojson }}""")

FREE_TEXT = ("project_name", "project_description", "author")
# The lowest Python the generated project supports. Its dependencies' lower bounds
# install on 3.10 (pytask 0.6 needs it), but 3.10 reached its end of life in October
# 2026 and the template is tested on 3.11 and later only.
LOWEST_PYTHON = (3, 11)
# Dependencies, tools and folders of the project (listed in local_extensions.py).
TAKEN_NAMES = set(json.loads(r"""{{ cookiecutter | taken_names | tojson }}"""))
# Soft keywords of every Python the project may run on ("type" since 3.12).
SOFT_KEYWORDS = {*keyword.softkwlist, "type"}
SLUG = re.compile(r"[a-z][a-z0-9_]*")
PYTHON_VERSION = re.compile(r"3\.(0|[1-9]\d*)(\.(0|[1-9]\d*))?")
EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>.]+")
# GitHub: 1 to 39 letters, digits or single hyphens, no hyphen at either end.
GITHUB_USERNAME = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}")
# Jinja's opening marks, spelled apart because cookiecutter renders this file as Jinja.
JINJA_MARKS = ["{" + mark for mark in ("{", "%", "#")]


def check_project_slug(slug: str) -> list[str]:
    """Return the problem with the package name, if any."""
    if not SLUG.fullmatch(slug):
        reason = "not lower-case ASCII letters, digits and _ starting with a letter"
    elif keyword.iskeyword(slug) or slug in SOFT_KEYWORDS:
        reason = "a Python keyword"
    elif slug in sys.stdlib_module_names:
        reason = "a module of Python's standard library"
    elif slug in TAKEN_NAMES:
        reason = "a package or folder the project already uses"
    else:
        return []
    return [
        f"project_slug: {slug!r} is not a valid Python package name ({reason}); use "
        "lower-case letters, digits and _, starting with a letter, e.g. my_project"
    ]


def check_python_version(version: str) -> list[str]:
    """Return the problem with the lowest supported Python version, if any."""
    lowest = ".".join(map(str, LOWEST_PYTHON))
    match = PYTHON_VERSION.fullmatch(version)
    if match and (3, int(match[1])) >= LOWEST_PYTHON:
        return []
    return [
        f"python_version: {version!r} is not allowed; use 3.X or 3.X.Y, >= {lowest}"
    ]


def check_pattern(
    field: str, value: str, pattern: re.Pattern[str], allowed: str
) -> list[str]:
    """Return the problem with an answer that must match ``pattern``, if any."""
    if pattern.fullmatch(value):
        return []
    return [f"{field}: {value!r} is not allowed; use {allowed}"]


def check_free_text(field: str, value: str) -> list[str]:
    """Return the problems with an answer of free text, if any."""
    problems = []
    if any(unicodedata.category(char) in {"Cc", "Zl", "Zp"} for char in value):
        problems.append(
            f"{field}: {value!r} is not allowed; use one line without control "
            "characters (quotes, #, : and any letters or emoji are fine)"
        )
    if field == "project_name" and not value.strip():
        problems.append(
            f"{field}: {value!r} is not allowed; use a name that is not blank"
        )
    # git refuses a name made only of these, and the first commit carries the author.
    if field == "author" and not value.strip(" .,:;<>\"'\\"):
        problems.append(
            f"{field}: {value!r} is not allowed; use a name with a character besides "
            "spaces and .,:;<>\"'\\"
        )
    return problems


def check_not_rendered(answers: dict[str, object]) -> list[str]:
    """Return a problem for each answer that Jinja changed before the hooks saw it.

    The default of project_slug is Jinja by design; the slug is checked as it ends.
    """
    return [
        f"{field}: {raw!r} became {answers[field]!r}, as cookiecutter renders Jinja "
        "in answers from the command line or a config file; use text without "
        f"{', '.join(JINJA_MARKS)} there, or type it at the prompt"
        for field, raw in RAW_ANSWERS.items()
        if field != "project_slug"
        and isinstance(raw, str)
        and raw != answers.get(field)
        and any(mark in raw for mark in JINJA_MARKS)
    ]


def check_choices(answers: dict[str, object]) -> list[str]:
    """Return a problem for each answer that is not one of its choices."""
    return [
        f"{field}: {answers[field]!r} is not allowed; use one of {allowed}"
        for field, allowed in CHOICES.items()
        if answers.get(field) not in allowed
    ]


def check_paper_needs_final_stage(answers: dict[str, object]) -> list[str]:
    """Return the problem with a paper that has no tables or figures to show, if any."""
    if answers.get("add_paper") == "yes" and answers.get("add_final_stage") != "yes":
        return [
            "add_paper: 'yes' is not allowed with add_final_stage='no', as the paper "
            "shows the final stage's tables and figures; use add_paper=no, or "
            "add_final_stage=yes"
        ]
    return []


def main() -> int:
    """Print each problem on a line of its own; fail if there is any."""
    problems = [
        *check_project_slug(ANSWERS["project_slug"]),
        *check_python_version(ANSWERS["python_version"]),
        *check_pattern("email", ANSWERS["email"], EMAIL, "an address like a@b.org"),
        *check_pattern(
            "github_username",
            ANSWERS["github_username"],
            GITHUB_USERNAME,
            "up to 39 letters, digits and single hyphens, not at either end",
        ),
        *(
            problem
            for field in FREE_TEXT
            for problem in check_free_text(field, ANSWERS[field])
        ),
        *check_not_rendered(ANSWERS),
        *check_choices(ANSWERS),
        *check_paper_needs_final_stage(ANSWERS),
    ]
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
