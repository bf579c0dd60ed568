"""The hooks reject bad answers before anything is written and finish the project."""

import os
import sys
from pathlib import Path

import pytest
from cookiecutter.exceptions import FailedHookException
from cookiecutter.generate import generate_context, generate_files
from cookiecutter.prompt import prompt_for_config

from tests.bakery import TEMPLATE, bake, cookiecutter, head_commit_author, replay


@pytest.mark.parametrize("slug", ["My-Project", "1study", "class", "my project"])
def test_bad_project_slug_fails_with_one_line_and_leaves_nothing(
    cookies, capfd: pytest.CaptureFixture[str], tmp_path: Path, slug: str
) -> None:
    result = cookies.bake(extra_context={"project_slug": slug})
    assert result.exit_code != 0
    errors = capfd.readouterr().err.splitlines()
    message = f"ERROR: project_slug: {slug!r} is not a valid Python package name"
    assert errors[0].startswith(message)
    output_dir = tmp_path / "cookies" / "bake00"  # where pytest-cookies bakes first
    assert output_dir.is_dir()
    assert not any(output_dir.iterdir())


def test_bad_project_slug_on_the_command_line(tmp_path: Path) -> None:
    process = cookiecutter(tmp_path, "project_slug=class")
    assert process.returncode != 0
    assert "ERROR: project_slug: 'class' is not a valid Python package name" in (
        process.stderr
    )
    assert not any(tmp_path.iterdir())


def test_missing_git_is_reported_and_generation_succeeds(tmp_path: Path) -> None:
    bin_without_git = tmp_path / "bin"
    bin_without_git.mkdir()
    (bin_without_git / "python").symlink_to(sys.executable)
    env = os.environ | {"PATH": str(bin_without_git)}
    process = cookiecutter(tmp_path, "make_initial_commit=yes", env=env)
    assert process.returncode == 0, process.stderr
    assert "git was not found" in process.stdout
    assert (tmp_path / "my_project" / "pyproject.toml").is_file()
    assert not (tmp_path / "my_project" / ".git").exists()


def test_initial_commit_leaves_the_global_git_config_alone(
    cookies, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    project = bake(cookies, make_initial_commit="yes", author="Ada Lovelace")
    assert head_commit_author(project) == "Ada Lovelace <jane.doe@example.com>"
    assert not (home / ".gitconfig").exists()


# Bad answers: (answer, value, who stops it). The pre-generation hook reports its
# problems on stderr as "ERROR: <answer>: <value>..."; cookiecutter itself stops answers
# it cannot render or place (an unknown choice, a slug that is no folder name).
BAD_ANSWERS = [
    *(
        ("project_slug", slug, "hook")
        for slug in [
            "My-Project",
            "1study",
            "_private",
            "my project",
            "zoë",
            "Study",
            "class",
            "match",
            "type",
            "os",
            "json",
            "pandas",
            "pytask",
            "statsmodels",
            "numpy",
            "scipy",
            "pytest",
            "test",
            "tests",
            "tabulate",
            "setuptools",
        ]
    ),
    *(
        ("python_version", version, "hook")
        for version in [
            "3",
            "3.9",
            "3.10",
            "2.7",
            "4.0",
            "3.12.x",
            "py3.12",
            "3.011",
            # No Python has these: a patch past the newest, an unreleased minor.
            "3.11.99",
            "3.15.3",
            "3.16",
            "3.100",
        ]
    ),
    *(
        ("email", email, "hook")
        for email in [
            "jane",
            "jane@",
            "@example.com",
            "jane doe@example.com",
            "a@b",
            # Each makes setuptools fail to write the package's metadata.
            "zoë@example.com",
            "jane,doe@example.com",
            'jane"doe@example.com',
            "jane.@example.com",
            "jane@example..com",
            # Changed by the parser (comment, quotes), or invalid in CITATION.cff.
            "jane(x)@example.com",
            '"jane"@example.com',
            "jane@example.c",
        ]
    ),
    # Too long for the file names that installing makes of it (at most 200).
    ("project_slug", "a" * 201, "cookiecutter"),
    *(
        ("github_username", name, "hook")
        for name in ["-jane", "jane-", "ja--ne", "jane_doe", "a" * 40, ""]
    ),
    ("project_name", "", "hook"),
    ("project_name", "{{ 7 * 7 }}", "hook"),
    ("email", "{{ 'jane' }}@example.com", "hook"),
    ("project_description", "two\nlines", "hook"),
    ("author", "tab\there", "hook"),
    ("author", ":", "hook"),
    # The paper shows the final stage's tables and figures, which default to "no".
    ("add_paper", "yes", "hook"),
    ("project_slug", "", "cookiecutter"),
    ("project_slug", "a/b", "cookiecutter"),
    ("project_slug", "..", "cookiecutter"),
    ("project_name", "{{ undefined }}", "cookiecutter"),
    ("open_source_license", "Proprietary", "hook"),
    ("add_github_actions", "maybe", "cookiecutter"),
    ("make_initial_commit", "sure", "cookiecutter"),
    ("add_paper", "maybe", "cookiecutter"),
]
BAD_IDS = [f"{field}={value!r}" for field, value, _ in BAD_ANSWERS]


def assert_names_the_answer(output: str, field: str, value: str, by: str) -> None:
    """Assert a line of the output names the answer (and, from the hook, its value)."""
    if by == "hook":
        lines = [line for line in output.splitlines() if line.startswith("ERROR: ")]
        assert any(
            line.startswith(f"ERROR: {field}: {value!r}") and "use " in line
            for line in lines
        ), output
    else:
        assert field in output, output


@pytest.mark.parametrize(("field", "value", "by"), BAD_ANSWERS, ids=BAD_IDS)
def test_bad_answer_through_pytest_cookies(
    cookies, capfd: pytest.CaptureFixture[str], tmp_path: Path, field, value, by
) -> None:
    result = cookies.bake(extra_context={field: value})
    assert result.exit_code != 0
    output = capfd.readouterr().err + str(result.exception)
    assert_names_the_answer(output, field, value, by)
    assert not any((tmp_path / "cookies").glob("bake*/*")), "a folder was left"


@pytest.mark.parametrize(("field", "value", "by"), BAD_ANSWERS, ids=BAD_IDS)
def test_bad_answer_on_the_command_line(tmp_path: Path, field, value, by) -> None:
    process = cookiecutter(tmp_path, f"{field}={value}")
    assert process.returncode != 0
    output = process.stderr if by == "hook" else process.stdout + process.stderr
    assert_names_the_answer(output, field, value, by)
    assert not any(tmp_path.iterdir()), "a folder was left"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    process = cookiecutter(
        tmp_path, "project_slug=class", "python_version=2.7", "email=jane"
    )
    assert process.returncode != 0
    errors = [line for line in process.stderr.splitlines() if line.startswith("ERROR")]
    assert [line.split(":")[1].strip() for line in errors[:3]] == [
        "project_slug",
        "python_version",
        "email",
    ]
    assert not any(tmp_path.iterdir())


def test_jinja_that_does_not_parse_stops_before_anything_is_written(
    tmp_path: Path,
) -> None:
    # cookiecutter renders the answer before any hook runs and stops with Jinja's own
    # TemplateSyntaxError, which does not name the answer: a known limit.
    process = cookiecutter(tmp_path, "project_name=a {{ b")
    assert process.returncode != 0
    assert "TemplateSyntaxError" in process.stderr
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("project_name", "slug"),
    [
        ("C++ & Co: #1", "c_co_1"),
        ("Zoë's Study", "zoe_s_study"),
        ("1st Study", "project_1st_study"),
        ("😀", "project"),
        ("研究", "yan_jiu"),
        ("Pandas", "pandas_project"),
        ("Class", "class_project"),
        ("OS", "os_project"),
    ],
)
def test_default_slug_of_any_name_is_a_package_name(
    cookies, project_name: str, slug: str
) -> None:
    project = bake(cookies, project_name=project_name)
    assert project.name == slug
    assert (project / "src" / slug / "__init__.py").is_file()


def test_replayed_answers_outside_their_choices_are_rejected(tmp_path: Path) -> None:
    # A replay file skips cookiecutter's own check of choices; the hook still checks.
    output_dir = tmp_path / "out"
    process = replay(output_dir, open_source_license="Proprietary")
    assert process.returncode != 0
    assert "ERROR: open_source_license: 'Proprietary' is not allowed" in process.stderr
    assert not output_dir.exists() or not any(output_dir.iterdir())


def test_overwriting_never_deletes_the_users_own_files(tmp_path: Path) -> None:
    project = tmp_path / "my_project"
    own = {
        "data.csv": "a,b\n1,2\n",
        "results/table.tex": "\\begin{tabular}",
        ".github/workflows/own.yml": "on: push\n",
    }
    for name, text in own.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)

    refused = cookiecutter(tmp_path)
    assert refused.returncode != 0
    assert "already exists" in refused.stdout
    rejected = cookiecutter(tmp_path, "-f", "python_version=2.7")
    assert rejected.returncode != 0
    assert "ERROR: python_version" in rejected.stderr
    assert sorted(p.name for p in project.iterdir()) == [
        ".github",
        "data.csv",
        "results",
    ]
    generated = cookiecutter(tmp_path, "-f", "add_github_actions=no")
    assert generated.returncode == 0, generated.stderr
    assert (project / "pyproject.toml").is_file()
    assert not (project / ".github" / "workflows" / "main.yml").exists()

    for name, text in own.items():
        assert (project / name).read_text() == text


def test_hooks_work_as_cruft_runs_them(tmp_path: Path) -> None:
    # cruft renders the answers itself and calls generate_files: the context has no
    # _repo_dir and no _cookiecutter, and cookiecutter does not patch sys.path.
    context = generate_context(
        context_file=str(TEMPLATE / "cookiecutter.json"),
        extra_context={"project_name": "Cruft's Study"},
    )
    context["cookiecutter"] = prompt_for_config(context, no_input=True)
    context["cookiecutter"] |= {"_template": "https://example.org/t", "_commit": "0"}
    project = Path(
        generate_files(repo_dir=TEMPLATE, context=context, output_dir=tmp_path)
    )
    assert project.name == "cruft_s_study"
    assert (project / "src" / "cruft_s_study" / "estimation" / "config.py").is_file()

    context["cookiecutter"]["python_version"] = "3.8"
    with pytest.raises(FailedHookException):
        generate_files(repo_dir=TEMPLATE, context=context, output_dir=tmp_path / "b")
    assert not (tmp_path / "b" / "cruft_s_study").exists()


def test_answers_that_would_not_install_are_refused_in_one_line_each(
    tmp_path: Path,
) -> None:
    process = cookiecutter(tmp_path, "python_version=3.11.99", "email=zoë@example.com")
    assert process.returncode != 0
    errors = [line for line in process.stderr.splitlines() if line.startswith("ERROR")]
    assert errors == [
        "ERROR: python_version: '3.11.99' is not a released Python >= 3.11; use 3.X "
        "or 3.X.Y up to the newest known patch: 3.11.18, 3.12.16, 3.13.18, 3.14.10, "
        "3.15.2",
        "ERROR: email: 'zoë@example.com' is not allowed; use an address like "
        "jane.doe@example.com: ASCII letters, digits and !#$%&'*+-/=?^_`{|}~ before "
        "the @ (dots only between them), a domain with a dot after it",
    ]
    assert not any(tmp_path.iterdir())


def test_a_replayed_slug_too_long_for_file_names_is_refused(tmp_path: Path) -> None:
    # A replay file skips the rendering that stops a slug over 255 characters before
    # the folder exists; the hook refuses one that still fits a folder name.
    slug = "a" * 230
    output_dir = tmp_path / "out"
    process = replay(output_dir, project_slug=slug)
    assert process.returncode != 0
    assert (
        f"ERROR: project_slug: {slug!r} is 230 characters long; use at most 200, as "
        "installing the project makes file names of it"
    ) in process.stderr.splitlines()
    assert not output_dir.exists() or not any(output_dir.iterdir())
