"""The generated project passes the research-Python ecosystem's own tools."""

import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.bakery import TASK_ROW, TEMPLATE, bake

LICENSES = json.loads((TEMPLATE / "cookiecutter.json").read_text())[
    "_open_source_license_choices"
]
SPDX = {
    "MIT": "MIT",
    "BSD": "BSD-3-Clause",
    "ISC": "ISC",
    "Apache Software License 2.0": "Apache-2.0",
    "GNU General Public License v3": "GPL-3.0-or-later",
}
# Debian's copies of the licences' official texts, where the system has them.
COMMON_LICENSES = {
    "Apache Software License 2.0": Path("/usr/share/common-licenses/Apache-2.0"),
    "GNU General Public License v3": Path("/usr/share/common-licenses/GPL-3"),
}


# The optional stages: none, the final stage, and the final stage with the paper.
STAGES = [
    {},
    {"add_final_stage": "yes"},
    {"add_final_stage": "yes", "add_paper": "yes"},
]


def stage_id(stages: dict[str, str]) -> str:
    """Name a combination of optional stages in a test's id."""
    return "+".join(name.removeprefix("add_") for name in stages) or "no_stage"


def tool(name: str) -> str:
    """Return the command ``name`` of this Python environment, else the one on PATH."""
    beside_python = Path(sys.executable).parent / name
    found = str(beside_python) if beside_python.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: python -m pip install --group test")
    return found


def check(*command: str, cwd: Path) -> str:
    """Run a command; fail with its output unless it succeeds; return its stdout."""
    process = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False
    )
    assert process.returncode == 0, process.stdout + process.stderr
    return process.stdout


def words(text: str) -> str:
    """Return the text with every run of whitespace made one space."""
    return " ".join(text.split())


@pytest.fixture(scope="session")
def cffconvert(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return the cffconvert command of a virtual environment of its own.

    cffconvert pins jsonschema<4, which would drag check-jsonschema back to a release
    that rejects valid workflows: it is installed from PyPI beside nothing else.
    """
    environment = tmp_path_factory.mktemp("cffconvert") / "venv"
    uv = tool("uv")
    check(
        uv,
        "venv",
        "--quiet",
        "--python",
        sys.executable,
        str(environment),
        cwd=environment.parent,
    )
    bin_ = environment / ("Scripts" if os.name == "nt" else "bin")
    python = bin_ / ("python.exe" if os.name == "nt" else "python")
    check(
        uv,
        "pip",
        "install",
        "--quiet",
        "--python",
        str(python),
        "cffconvert",
        cwd=environment.parent,
    )
    return str(bin_ / "cffconvert")


@pytest.mark.parametrize("stages", STAGES, ids=stage_id)
def test_workflow_is_valid_for_github_and_zizmor_finds_nothing(
    cookies, stages: dict[str, str]
) -> None:
    project = bake(cookies, **stages)
    workflow = ".github/workflows/main.yml"
    text = (project / workflow).read_text()
    assert "runs-on: ${{ matrix.os }}" in text
    # Linux runners install LaTeX for the paper; macOS and Windows skip the paper.
    latex = "apt-get install -y --no-install-recommends texlive-latex-recommended"
    assert (latex in text) == ("add_paper" in stages)
    # GitHub's workflow schema, and check-jsonschema's own rule that every job has a
    # timeout (a hung job otherwise holds a runner for six hours).
    for schema in (
        "vendor.github-workflows",
        "custom.github-workflows-require-timeout",
    ):
        check(
            tool("check-jsonschema"), "--builtin-schema", schema, workflow, cwd=project
        )
    # The pedantic persona also reports what zizmor's default one lets pass.
    output = check(
        tool("zizmor"), "--offline", "--persona", "pedantic", workflow, cwd=project
    )
    assert "No findings to report" in output


def test_workflow_runs_pytest_and_pytask_on_three_systems_with_pinned_actions(
    cookies,
) -> None:
    project = bake(cookies, python_version="3.12")
    text = (project / ".github/workflows/main.yml").read_text()
    assert "os: [ubuntu-latest, macos-latest, windows-latest]" in text
    assert 'python-version: "3.12"' in text
    for step in ('pip install -e ".[test]"', "python -m pytest", "python -m pytask"):
        assert step in text
    uses = re.findall(r"uses: (\S+)@(\S+)\s+# (v\S+)", text)
    assert len(uses) == text.count("uses:") == 2
    for _action, ref, _version in uses:
        assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{ref} is no full commit SHA"
    assert "permissions: {}" in text


@pytest.mark.parametrize("stages", STAGES, ids=stage_id)
def test_pyproject_is_valid_and_names_python_version_everywhere(
    cookies, stages: dict[str, str]
) -> None:
    project = bake(cookies, python_version="3.12", **stages)
    check(sys.executable, "-m", "validate_pyproject", "pyproject.toml", cwd=project)
    assert (project / ".python-version").read_text() == "3.12\n"
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["project"]["requires-python"] == ">=3.12"
    for requirement in pyproject["project"]["dependencies"]:
        assert ">=" in requirement, f"{requirement} has no lower bound"
    dependencies = " ".join(pyproject["project"]["dependencies"])
    assert ("pytask-latex>=" in dependencies) == ("add_paper" in stages)
    # pip and uv install the same test tools.
    test_extra = pyproject["project"]["optional-dependencies"]["test"]
    assert pyproject["dependency-groups"]["dev"] == test_extra


def test_pre_commit_config_is_valid_and_the_project_passes_its_file_checks(
    cookies,
) -> None:
    project = bake(cookies)
    check(sys.executable, "-m", "pre_commit", "validate-config", cwd=project)
    config = (project / ".pre-commit-config.yaml").read_text()
    for hook in ("ruff-check", "ruff-format", "end-of-file-fixer"):
        assert f"id: {hook}" in config
    assert "rev: v" in config
    files = sorted(
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(project).parts
    )
    # The hooks of pre-commit-hooks, run as pre-commit would; the fixers fail when
    # they change a file.
    for hook, suffixes in [
        ("check_yaml", (".yml", ".yaml", ".cff")),
        ("check_toml", (".toml",)),
        ("end_of_file_fixer", ()),
        ("trailing_whitespace_fixer", ()),
        ("mixed_line_ending", ()),
        ("check_merge_conflict", ()),
        ("check_added_large_files", ()),
    ]:
        chosen = [name for name in files if not suffixes or name.endswith(suffixes)]
        args = ["--enforce-all"] if hook == "check_added_large_files" else []
        check(
            sys.executable,
            "-m",
            f"pre_commit_hooks.{hook}",
            *args,
            *chosen,
            cwd=project,
        )


def validate_citation(project: Path) -> None:
    """Validate CITATION.cff against the Citation File Format's schema."""
    check(
        tool("check-jsonschema"),
        "--builtin-schema",
        "vendor.citation-file-format",
        "CITATION.cff",
        cwd=project,
    )


@pytest.mark.parametrize("license_", LICENSES)
def test_citation_is_valid_and_agrees_with_the_licence(cookies, license_: str) -> None:
    project = bake(cookies, open_source_license=license_, author="Ada King Lovelace")
    validate_citation(project)
    citation = (project / "CITATION.cff").read_text()
    assert 'given-names: "Ada King"' in citation
    assert 'family-names: "Lovelace"' in citation
    assert 'email: "jane.doe@example.com"' in citation
    assert 'repository-code: "https://github.com/janedoe/my_project"' in citation
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    classifiers = " ".join(pyproject.get("classifiers", []))
    assert "License ::" not in classifiers
    if license_ == "Not open source":
        assert "license" not in citation
        assert not {"license", "license-files"} & set(pyproject)
        assert not (project / "LICENSE").exists()
    else:
        assert f"\nlicense: {SPDX[license_]}\n" in citation
        assert pyproject["license"] == SPDX[license_]


@pytest.mark.parametrize(
    ("author", "license_"), [("Ada King Lovelace", "MIT"), ("Plato", "Not open source")]
)
def test_cffconvert_validates_the_citation(
    cookies, cffconvert: str, author: str, license_: str
) -> None:
    project = bake(cookies, author=author, open_source_license=license_)
    output = check(cffconvert, "--validate", "--infile", "CITATION.cff", cwd=project)
    assert "valid" in output
    # What the README promises: cffconvert turns it into BibTeX.
    bibtex = check(
        cffconvert, "--format", "bibtex", "--infile", "CITATION.cff", cwd=project
    )
    assert author.split()[-1] in bibtex


def test_citation_of_a_one_word_author_is_valid(cookies) -> None:
    project = bake(cookies, author="Plato")
    validate_citation(project)
    assert '- family-names: "Plato"' in (project / "CITATION.cff").read_text()


@pytest.mark.parametrize("license_", [name for name in LICENSES if name in SPDX])
def test_licence_names_this_year_and_the_author(cookies, license_: str) -> None:
    project = bake(cookies, open_source_license=license_, author="Ada Lovelace")
    text = (project / "LICENSE").read_text()
    year = datetime.datetime.now(datetime.UTC).year
    copyright_line = next(line for line in text.splitlines() if "Copyright" in line)
    assert str(year) in copyright_line
    assert copyright_line.endswith("Ada Lovelace")
    official = COMMON_LICENSES.get(license_)
    if official is not None and official.exists():
        assert words(official.read_text()) in words(text)


def test_readme_answers_what_a_researcher_asks(cookies) -> None:
    readme = (bake(cookies) / "README.md").read_text()
    for command in (
        'python -m pip install -e ".[test]"',
        "uv sync",
        "uv run pytask",
        "pytask -k linear_probability_data_0",
        "pytask -n auto",
        "pre-commit install",
        "cruft update",
    ):
        assert command in readme, f"the README does not show `{command}`"
    for heading in (
        "## Change the repetitions",
        "## How re-runs work",
        "## How to cite",
        "## Update from the template",
    ):
        assert heading in readme
    assert "bld/estimation/<estimation id>" in readme


@pytest.mark.parametrize("resolution", ["highest", "lowest-direct"])
def test_uv_sync_and_uv_run_pytask(cookies, resolution: str) -> None:
    """The README's uv commands, with the newest and with the oldest allowed releases.

    The project asks for the running Python, so that uv need not download one.
    """
    python = "{}.{}".format(*sys.version_info[:2])
    project = bake(cookies, python_version=python)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "PYTHONPATH"}
    } | {"UV_RESOLUTION": resolution, "UV_PYTHON_DOWNLOADS": "never", "COLUMNS": "400"}
    uv = tool("uv")

    def uv_run(*command: str) -> str:
        process = subprocess.run(
            [uv, *command], cwd=project, env=env, capture_output=True, text=True
        )
        assert process.returncode == 0, process.stdout + process.stderr
        return process.stdout

    uv_run("sync")
    rows = (TASK_ROW.match(line) for line in uv_run("run", "pytask").splitlines())
    outcomes = [row["outcome"] for row in rows if row]
    assert outcomes == ["."] * 16
    uv_run("run", "pytest", "-q")
