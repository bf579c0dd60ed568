"""Every answer the hooks accept gives a project that builds and installs.

setuptools writes the answers into the package's metadata (the email with the standard
library's parser), and installing makes file names of the slug: a sample of accepted
values of every free-text answer, at their limits, is baked, built into a wheel by
``uv build`` and installed by ``uv pip install``.
"""

import importlib.metadata
import importlib.util
import os
import random
import re
import subprocess
import sys
from email.headerregistry import Address
from pathlib import Path
from types import ModuleType

import pytest
from cookiecutter.utils import create_env_with_context

from tests.bakery import TEMPLATE, bake, cookiecutter, import_file
from tests.test_ecosystem import tool
from tests.test_hostile_answers import HOSTILE, bake_context

# What an email holds, weighted towards what the hook's pattern may accept.
LOCAL_PART = [*"abz09...-_+!#$%&'*/=?^`{|}~", "ä", '"', " ", "(", ","]
DOMAIN = [*"abz09..-_", "ä", "日", "ǅ", "²", "٣", "\u0301", "ⅷ", " "]

# Several accepted values per bake: each answer that lands in the metadata differs.
ACCEPTED = [
    {
        "project_name": HOSTILE[0],
        "project_description": HOSTILE[0],
        "author": HOSTILE[0],
        "email": "o'brien+tag@example.co.uk",
        "github_username": "a" * 39,
        "python_version": "3.11.18",
    },
    {
        "project_name": HOSTILE[-1],
        "project_description": "- item: yes",
        "author": "Doe, Jane",
        "email": "jane@exämple.com",
        "github_username": "a-b-c",
        "python_version": "3.15.2",
    },
    {
        # A name whose slug would be too long: the words that fit make the slug.
        "project_name": "Study " * 60,
        "project_description": "<b>&amp;</b> \\u00e9",
        "author": "x <y@z.org>",
        "email": "a!#$%&'*+-/=?^_`{|}~@example.org",
        "python_version": "3.14",
    },
    {
        "project_slug": "a" * 200,
        "author": "C:\\new\\table\\",
        "email": "j@x.io",
        "python_version": "3.12.0",
    },
]


@pytest.fixture(scope="module")
def installed(
    cookies_session, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[Path], Path]:
    """Bake each sample, build its wheel with uv and install all with pip.

    The wheels are built and installed by the running Python, which need not be the
    one a project asks for: the install ignores the projects' Requires-Python.
    """
    projects = [bake(cookies_session, **answers) for answers in ACCEPTED]
    wheels = tmp_path_factory.mktemp("wheels")
    build = [tool("uv"), "build", "--wheel", "--python", sys.executable]
    env = os.environ | {"UV_PYTHON_DOWNLOADS": "never"}
    for project in projects:
        run(*build, "--out-dir", str(wheels), cwd=project, env=env)
    target = tmp_path_factory.mktemp("site-packages")
    install = [sys.executable, "-m", "pip", "install", "--no-deps", "--target"]
    wheel_files = [str(path) for path in wheels.glob("*.whl")]
    run(
        *install,
        str(target),
        "--ignore-requires-python",
        *wheel_files,
        cwd=wheels,
        env=env,
    )
    return projects, target


def run(*command: str, cwd: Path, env: dict[str, str]) -> None:
    """Run a command; fail with its output unless it succeeds."""
    process = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert process.returncode == 0, process.stdout + process.stderr


@pytest.mark.parametrize("index", range(len(ACCEPTED)))
def test_accepted_answers_install_with_their_metadata(
    installed: tuple[list[Path], Path], index: int
) -> None:
    projects, target = installed
    answers, slug = ACCEPTED[index], projects[index].name
    (installation,) = importlib.metadata.distributions(name=slug, path=[str(target)])
    metadata = installation.metadata
    assert metadata["Name"] == slug
    assert metadata["Requires-Python"] == f">={answers['python_version']}"
    assert answers["email"] in metadata["Author-email"]
    assert (target / slug / "estimation" / "config.py").is_file()


def test_a_long_name_gives_the_words_that_fit_as_slug(
    installed: tuple[list[Path], Path],
) -> None:
    slug = installed[0][2].name
    assert slug == "_".join(["study"] * 32)  # 191 characters, whole words


def test_a_slug_too_long_is_refused_in_one_line_before_any_folder(
    tmp_path: Path,
) -> None:
    slug = "a" * 201
    process = cookiecutter(tmp_path, f"project_slug={slug}")
    assert process.returncode != 0
    assert process.stdout.strip().splitlines() == [
        f"ERROR: project_slug: {slug!r} is 201 characters long; use at most 200, as "
        "installing the project makes file names of it"
    ]
    assert not any(tmp_path.iterdir())


def rendered_hook(folder: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Render the pre-generation hook as cookiecutter does and import it."""
    monkeypatch.chdir(TEMPLATE)  # cookiecutter renders hooks from the template root
    context = {"cookiecutter": bake_context({})}
    source = (TEMPLATE / "hooks" / "pre_gen_project.py").read_text()
    script = folder / "pre_gen_project.py"
    script.write_text(
        create_env_with_context(context).from_string(source).render(**context)
    )
    return import_file(script)


def test_the_hook_accepts_only_emails_that_setuptools_reads_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """setuptools writes the email with the standard library's ``Address``."""
    email: re.Pattern[str] = rendered_hook(tmp_path, monkeypatch).EMAIL
    rng = random.Random(13)
    accepted = 0
    for _ in range(100_000):
        local = "".join(rng.choices(LOCAL_PART, k=rng.randint(1, 6)))
        domain = "".join(rng.choices(DOMAIN, k=rng.randint(1, 10)))
        address = f"{local}@{domain}"
        if email.fullmatch(address):
            accepted += 1
            parsed = Address(display_name="Jane", addr_spec=address)
            assert parsed.addr_spec == address
            assert re.fullmatch(r"\S+@\S+\.\S{2,}", address)  # CITATION.cff's rule
    assert accepted > 1000
