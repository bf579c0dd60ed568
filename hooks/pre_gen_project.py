"""Validate every answer before cookiecutter writes anything.

Each check returns the problems of one answer, one line each, naming the answer, the
value given and what is allowed; all problems are reported together.
"""

import atexit
import json
import keyword
import os
import re
import signal
import sys
import unicodedata
from pathlib import Path

if __name__ == "__main__":
    # cookiecutter renders this script, every answer in it, into a temporary file that
    # it never deletes: the script removes itself however it ends.
    atexit.register(Path(__file__).unlink, missing_ok=True)
    # atexit runs after Ctrl-C, but not when a signal ends the script: make SIGTERM
    # and SIGHUP (where there is one) end it as an exit does.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda code, _: sys.exit(128 + code))

# tojson escapes every quote and backslash, so no answer can break these literals.
ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")
# The answers before cookiecutter rendered them as Jinja; cruft does not keep them.
RAW_ANSWERS = json.loads(r"""{{ _cookiecutter | default({}) | tojson }}""")
CHOICES = json.loads(r"""{{ cookiecutter | choices | tojson }}""")
YES_NO = json.loads(r"""{{ cookiecutter | yes_no | tojson }}""")
# Files and folders of the template that an answer can turn off (CHOSEN in
# post_gen_project.py).
OPTIONAL_PATHS = (
    "LICENSE",
    ".github",
    f"src/{ANSWERS['project_slug']}/final",
    f"src/{ANSWERS['project_slug']}/paper",
)
# Every file of the template, named as in the generated project.
TEMPLATE_FILES = json.loads(r"""{{ cookiecutter | template_files | tojson }}""")
# Where the files that were here before are noted for the post-generation hook.
NOTE = Path(".pytask-scaling-template-existing-files.json")

FREE_TEXT = ("project_name", "project_description", "author")
# The Pythons a project may require: each released minor of Python 3 with its newest
# patch known when this table was last updated (2026-11-26, from the CPython releases
# that uv 0.13.9 lists); a version no Python has makes the project uninstallable. 3.10
# is left out: pytask 0.6 installs on it, but it reached its end of life in October
# 2026 and the template is tested on 3.11 and later only.
NEWEST_PATCHES = {11: 18, 12: 16, 13: 18, 14: 10, 15: 2}
# File names made from the slug when the project is installed, such as pip's
# "__editable___<slug>_0_1_0_finder.py", must fit the 255 bytes file systems allow.
LONGEST_SLUG = 200
# Dependencies, tools and folders of the project (listed in local_extensions.py).
TAKEN_NAMES = set(json.loads(r"""{{ cookiecutter | taken_names | tojson }}"""))
# Soft keywords of every Python the project may run on ("type" since 3.12).
SOFT_KEYWORDS = {*keyword.softkwlist, "type"}
SLUG = re.compile(r"[a-z][a-z0-9_]*")
PYTHON_VERSION = re.compile(r"3\.(0|[1-9]\d*)(\.(0|[1-9]\d*))?")
# An address as RFC 5322 writes it without quotes or comments, which the standard
# library's parser (setuptools writes it into the package's metadata with it) reads
# back unchanged: ASCII atoms joined by dots, "@", a domain name of labels joined by
# dots, the last of two characters or more (CITATION.cff's schema asks for that).
ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
LABEL = r"[^\W_](?:[\w-]*[^\W_])?"
EMAIL = re.compile(rf"{ATOM}(?:\.{ATOM})*@(?:{LABEL}\.)+[^\W_][\w-]*[^\W_]")
# GitHub: 1 to 39 letters, digits or single hyphens, no hyphen at either end.
GITHUB_USERNAME = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}")
# Jinja's opening marks, spelled apart because cookiecutter renders this file as Jinja.
JINJA_MARKS = ["{" + mark for mark in ("{", "%", "#")]


def check_project_slug(slug: str) -> list[str]:
    """Return the problem with the package name, if any."""
    if len(slug) > LONGEST_SLUG:
        return [
            f"project_slug: {slug!r} is {len(slug)} characters long; use at most "
            f"{LONGEST_SLUG}, as installing the project makes file names of it"
        ]
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
    if match := PYTHON_VERSION.fullmatch(version):
        newest_patch = NEWEST_PATCHES.get(int(match[1]), -1)
        if int(match[3] or 0) <= newest_patch:
            return []
    newest = ", ".join(f"3.{minor}.{patch}" for minor, patch in NEWEST_PATCHES.items())
    return [
        f"python_version: {version!r} is not a released Python >= "
        f"3.{min(NEWEST_PATCHES)}; use 3.X or 3.X.Y up to the newest known patch: "
        f"{newest}"
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
    if answers.get("add_paper") and not answers.get("add_final_stage"):
        return [
            "add_paper: 'yes' is not allowed with add_final_stage='no', as the paper "
            "shows the final stage's tables and figures; use add_paper=no, or "
            "add_final_stage=yes"
        ]
    return []


def note_existing_files() -> None:
    """Note when each file that an answer can turn off was written, if it is here.

    Under ``cookiecutter -f -s`` it is the user's, and cookiecutter skips it: the
    post-generation hook keeps the files that were not written again, and deletes the
    note. The note is in the project's folder, where no one but its owner can place a
    file; a stale note, or a link in its place, goes, and the new one is created anew.
    """
    existing = {
        path.as_posix(): path.stat().st_mtime_ns
        for optional in map(Path, OPTIONAL_PATHS)
        for path in (optional, *optional.rglob("*"))
        if path.is_file()
    }
    if existing:
        NOTE.unlink(missing_ok=True)
        with NOTE.open("x") as note:
            json.dump(existing, note)


def paths_of(names: list[str]) -> dict[Path, bool]:
    """Return the paths that the files ``names`` take, and whether each is a folder."""
    return {
        path: path != Path(name)
        for name in names
        for path in (Path(name), *Path(name).parents[:-1])
    }


def check_no_symlink_in_the_way() -> list[str]:
    """Return the problem with links where the template writes, if there are any.

    cookiecutter -f writes through a link, and the post-generation hook would delete
    an unchosen file through it: either may reach outside the project.
    """
    in_the_way = {
        path.as_posix() for path in paths_of(TEMPLATE_FILES) if path.is_symlink()
    }
    if not in_the_way:
        return []
    return [
        f"output: {', '.join(sorted(in_the_way))} in {Path.cwd()} is a symbolic link, "
        "which cookiecutter would write through; remove it, or generate into another "
        "folder"
    ]


def check_project_folder_is_no_link() -> list[str]:
    """Return the problem with a project folder that links elsewhere, if it does."""
    folder = Path(ANSWERS.get("_output_dir", ""), ANSWERS["project_slug"])
    if "_output_dir" not in ANSWERS or not folder.is_symlink():
        return []
    return [
        f"output: {folder} is a symbolic link, which cookiecutter would write "
        "through; remove it, or generate into another folder"
    ]


def check_nothing_in_the_way() -> list[str]:
    """Return the problem with folders where the template writes files, and the reverse.

    cookiecutter -f would stop at the first, with the files before it rewritten.
    """
    in_the_way = sorted(
        path.as_posix()
        for path, is_folder in paths_of([*TEMPLATE_FILES, NOTE.name]).items()
        if path.exists() and path.is_dir() != is_folder
    )
    if not in_the_way:
        return []
    return [
        f"output: {', '.join(in_the_way)} in {Path.cwd()} is a file where the "
        "template writes a folder, or a folder where it writes a file; move it, or "
        "generate into another folder"
    ]


def check_writable() -> list[str]:
    """Return the problem with files, or folders, the template cannot write, if any.

    cookiecutter -f stops at the first file it cannot write (or create in its
    folder), with the files before it rewritten already. The hook cannot tell
    ``-f -s``, which skips existing files, from ``-f``: it refuses them under both.
    """
    # The project's folder too: the note of existing files goes there.
    written = {Path()} | {
        next(path for path in (Path(name), *Path(name).parents) if path.exists())
        for name in TEMPLATE_FILES
    }
    read_only = sorted(
        path.as_posix() for path in written if not os.access(path, os.W_OK)
    )
    if not read_only:
        return []
    return [
        f"output: {', '.join(read_only)} in {Path.cwd()} cannot be written, and "
        "cookiecutter -f would stop halfway; make them writable (chmod u+w), or "
        "generate into another folder"
    ]


def check_output_folder() -> list[str]:
    """Return the problem with the project's path, if any."""
    if not {"[", "]"} & set(str(Path.cwd())):
        return []
    return [
        f"output: {Path.cwd()} has [ or ] in its path, which pytask reads as a "
        "pattern, so that it would find no task; generate into a folder without them"
    ]


def check_types(answers: dict[str, object]) -> list[str]:
    """Return a problem for each answer of another type than its question's.

    A config file's YAML reads ``3.10`` as the number 3.1, and cookiecutter turns
    numbers into text (3.1 stays 3.1), so a text's type is checked as the file gave
    it. cookiecutter reads yes, no, true or false for a yes/no question from a config
    file or the command line; a replay file may hold any JSON value.
    """
    return [
        *(
            f"{field}: {value!r} is {type(value).__name__}, not yes or no; write yes "
            "or no in a config file, true or false in a replay file"
            for field, value in answers.items()
            if field in YES_NO and not isinstance(value, bool)
        ),
        *(
            f"{field}: {given!r} is {type(given).__name__}, not text; quote it in the "
            "config or replay file, e.g. '3.10'"
            for field, value in answers.items()
            if not field.startswith("_") and field not in YES_NO
            for raw in [RAW_ANSWERS.get(field, value)]
            # A choice's raw answer is its list of choices.
            for given in [value if isinstance(raw, list) else raw]
            if not isinstance(given, str) or not isinstance(value, str)
        ),
    ]


def main() -> int:
    """Print each problem on a line of its own; fail if there is any."""
    if problems := check_types(ANSWERS):  # the other checks need text
        for problem in problems:
            print(f"ERROR: {problem}", file=sys.stderr)
        return 1
    problems = [
        *check_project_slug(ANSWERS["project_slug"]),
        *check_python_version(ANSWERS["python_version"]),
        *check_pattern(
            "email",
            ANSWERS["email"],
            EMAIL,
            "an address like jane.doe@example.com: ASCII letters, digits and "
            "!#$%&'*+-/=?^_`{|}~ before the @ (dots only between them), a domain with "
            "a dot after it",
        ),
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
        *check_project_folder_is_no_link(),
        *check_no_symlink_in_the_way(),
        *check_nothing_in_the_way(),
        *check_writable(),
        *check_output_folder(),
    ]
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    if problems:
        return 1
    note_existing_files()
    return 0


if __name__ == "__main__":
    sys.exit(main())
