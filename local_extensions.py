"""Jinja filters that cookiecutter loads through `_extensions` (cookiecutter.json)."""

import json
import keyword
import sys
import unicodedata
from pathlib import Path

from cookiecutter.exceptions import EmptyDirNameException
from cookiecutter.find import find_template
from cookiecutter.utils import simple_filter
from jinja2 import Environment, pass_environment

# Names a package of the project must not take, as importing or installing it would
# find the other one: its folders and tools, and every distribution and import name
# of its dependencies, with every option, and of what they pull in. That list is
# computed from installed metadata by `python -m tests.dependency_closure`, and checked
# against it by the tests. The pre-generation hook rejects these names as slugs.
TAKEN_NAMES = {
    "bld",
    "pip",
    "ruff",
    "src",
    "test",
    "tests",
    *json.loads(Path(__file__).with_name("dependency_names.json").read_text()),
}
# Soft keywords of every Python the project may run on ("type" since 3.12).
SOFT_KEYWORDS = {*keyword.softkwlist, "type"}
# ASCII characters that LaTeX reads as commands, or that its default fonts (OT1) draw
# as other glyphs ("<" as "¡"), spelled as text.
LATEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}
# Beyond ASCII, what pdfLaTeX sets with its default fonts: Latin-1 and Latin
# Extended-A, but for the letters these fonts lack (tried one by one), and dashes,
# curly quotes, daggers, bullet, ellipsis and euro sign.
PDFLATEX_TEXT = (
    set(map(chr, range(0xA1, 0x180))) - set("«»ÐÞðþĄąĐđĘęĦħĮįĸĿŀŉŊŋŦŧŲųſ")
) | set("\u2013\u2014\u2018\u2019\u201c\u201d\u2020\u2021\u2022\u2026\u20ac")
# File names made from the slug when the project is installed, such as pip's
# "__editable___<slug>_0_1_0_finder.py", must fit the 255 bytes file systems allow
# (the pre-generation hook checks the same limit).
LONGEST_SLUG = 200


@simple_filter
def quoted(value: str) -> str:
    """Quote text as one double-quoted string literal of Python, TOML, YAML and JSON.

    ``json.dumps`` escapes quotes, backslashes and control characters the way all four
    read them; ``ensure_ascii=False`` keeps emoji whole, as TOML rejects the surrogate
    pairs that ``tojson`` writes for them. DEL is escaped because TOML forbids it raw.
    """
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


@simple_filter
def latex(value: str) -> str:
    """Spell free text for pdfLaTeX: a paper's title, author and abstract.

    LaTeX's special characters are escaped. pdfLaTeX cannot set emoji or most
    non-Latin scripts and stops at them: such a letter falls back to its unaccented
    Latin base ("ą" to "a") and any other character is left out.
    """
    spelled = []
    for char in value:
        if char.isascii():
            spelled.append(LATEX_ESCAPES.get(char, char))
        elif char in PDFLATEX_TEXT:
            spelled.append(char)
        elif (base := unicodedata.normalize("NFD", char)[0]).isascii():
            spelled.append(LATEX_ESCAPES.get(base, base))
    return "".join(spelled).strip()


@simple_filter
def package_name(slug: str) -> str:
    """Make a slug of the project's name (from ``slugify``) a usable package name.

    ``slugify`` gives lower-case ASCII words joined by "_"; a package name must also
    start with a letter, be no keyword and no module the project may import, and be
    short enough for file names: the words of a long name that do not fit are left out.
    """
    room = LONGEST_SLUG - len("_project")  # for the prefix or suffix added below
    if len(slug) > room:
        slug = slug[: room + 1].rpartition("_")[0] or slug[:room]
    if not slug[:1].isalpha():
        slug = f"project_{slug}".strip("_")
    if (
        keyword.iskeyword(slug)
        or slug in SOFT_KEYWORDS
        or slug in sys.stdlib_module_names
        or slug in TAKEN_NAMES
    ):
        slug = f"{slug}_project"
    return slug


@simple_filter
def taken_names(_: object) -> list[str]:
    """Return the names a package of the project must not take."""
    return sorted(TAKEN_NAMES)


@simple_filter
def project_folder(slug: object) -> str:
    """Return ``slug`` if it names a folder of its own, else stop cookiecutter.

    cookiecutter creates the project folder before the pre-generation hook runs: an
    empty slug would make it the output folder itself ('"." directory already
    exists'), and "a/b" or ".." would reach outside it. cookiecutter's command line
    prints this exception's message alone.
    """
    if not isinstance(slug, str):
        raise EmptyDirNameException(
            f"ERROR: project_slug: {slug!r} is {type(slug).__name__}, not text; use a "
            "lower-case Python package name such as my_project"
        )
    if slug.strip() in {"", ".", ".."} or "/" in slug or "\\" in slug:
        raise EmptyDirNameException(
            f"ERROR: project_slug: {slug!r} is not a folder name; use a lower-case "
            "Python package name such as my_project"
        )
    if len(slug) > LONGEST_SLUG:
        raise EmptyDirNameException(
            f"ERROR: project_slug: {slug!r} is {len(slug)} characters long; use at "
            f"most {LONGEST_SLUG}, as installing the project makes file names of it"
        )
    return slug


def _template_root() -> Path:
    """Return the template's root: cookiecutter renders hooks from that folder."""
    root = Path.cwd()
    if not (root / "cookiecutter.json").is_file():
        msg = f"{root} is not the template's root; cannot read cookiecutter.json"
        raise RuntimeError(msg)
    return root


def _options() -> dict[str, object]:
    """Return cookiecutter.json: the questions, and the private keys."""
    return json.loads((_template_root() / "cookiecutter.json").read_text())


def _questions() -> dict[str, object]:
    """Return the questions of cookiecutter.json with their defaults."""
    return {key: value for key, value in _options().items() if not key.startswith("_")}


@simple_filter
def choices(_: object) -> dict[str, list[str]]:
    """Return the allowed values of each answer that has a list of them.

    A choice lists them itself; a text answer in ``_<answer>_choices``, which the
    pre-generation hook checks, as cookiecutter would replace a choice that a config
    file gives wrong by its default. Hooks check the choices too: replay files and
    tools that build the context themselves skip cookiecutter's own check.
    """
    return {
        key.removeprefix("_").removesuffix("_choices"): value
        for key, value in _options().items()
        if isinstance(value, list)
        and (key.endswith("_choices") or not key.startswith("_"))
    }


@simple_filter
def yes_no(_: object) -> list[str]:
    """Return the yes/no questions: cookiecutter.json gives them true or false."""
    return [key for key, value in _questions().items() if isinstance(value, bool)]


@simple_filter
@pass_environment
def template_files(environment: Environment, cookiecutter: dict) -> list[str]:
    """Return every file of the project template, named as in the generated project.

    The post-generation hook checks the generated project against it, so a file added
    to the template is expected without being listed anywhere else.
    """
    template = find_template(_template_root(), environment)
    return sorted(
        environment.from_string(path.relative_to(template).as_posix()).render(
            cookiecutter=cookiecutter
        )
        for path in template.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
