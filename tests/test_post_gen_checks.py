"""Each check of the post-generation hook catches a project broken on purpose.

Every test bakes from a copy of the template with one defect and asserts that the hook
names it, fails, and that cookiecutter leaves no folder behind.
"""

import os
import shutil
from pathlib import Path

import pytest

from tests.bakery import TEMPLATE, cookiecutter

PROJECT = "{{cookiecutter.project_slug}}"
PACKAGE = f"{PROJECT}/src/{PROJECT}"
NOT_TEMPLATE = {".git", ".pytest_cache", ".ruff_cache", "tests", "my_project"}


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """Return a copy of the template, for a test to break."""
    copy = tmp_path / "template"

    def ignore(folder: str, names: list[str]) -> list[str]:
        top = Path(folder) == TEMPLATE
        return [n for n in names if n == "__pycache__" or (top and n in NOT_TEMPLATE)]

    shutil.copytree(TEMPLATE, copy, ignore=ignore)
    return copy


def edit(template: Path, name: str, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` in the template's file ``name``."""
    path = template / name
    text = path.read_text()
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1))


def errors_of_bake(
    cookies, capfd: pytest.CaptureFixture[str], template: Path, **answers: str
) -> list[str]:
    """Bake the broken template; return the hook's errors after checking the failure."""
    result = cookies.bake(extra_context=answers, template=str(template))
    assert result.exit_code != 0, "the broken project was accepted"
    output_dir = template.parent / "cookies"
    assert not any(output_dir.glob("bake*/*")), "the broken project was left behind"
    return [
        line.removeprefix("ERROR: ")
        for line in capfd.readouterr().err.splitlines()
        if line.startswith("ERROR: ")
    ]


def test_duplicate_id_ignoring_case(cookies, capfd, template: Path) -> None:
    edit(
        template,
        f"{PACKAGE}/data_preparation/config.py",
        '    "data_1": {',
        '    "Data_0": {"outcome": "vote", "covariates": IDEOLOGY, "sample": None},'
        '\n    "data_1": {',
    )
    errors = errors_of_bake(cookies, capfd, template)
    assert (
        "repetitions: task id 'data_0' is used 2 times, ignoring case; pytask -k "
        "cannot tell them apart"
    ) in errors


def test_id_that_is_no_identifier(cookies, capfd, template: Path) -> None:
    edit(
        template,
        f"{PACKAGE}/data_preparation/config.py",
        '    "data_1": {',
        '    "data 1": {',
    )
    errors = errors_of_bake(cookies, capfd, template)
    assert "repetitions: data id 'data 1' is not a valid Python identifier" in errors


def test_estimations_that_are_not_the_cartesian_product(
    cookies, capfd, template: Path
) -> None:
    edit(
        template,
        f"{PACKAGE}/estimation/config.py",
        "    for data in DATA\n}",
        '    for data in DATA\n    if data != "data_3"\n}',
    )
    errors = errors_of_bake(cookies, capfd, template)
    lacks = "ESTIMATIONS lacks 'probit_data_3' of the product of MODELS and DATA"
    assert f"repetitions: {lacks}" in errors


def test_product_outside_bld(cookies, capfd, template: Path) -> None:
    edit(
        template,
        f"{PACKAGE}/data_preparation/config.py",
        'return BLD / "data_preparation" / f"{name}.parquet"',
        'return SRC / "data" / f"{name}.parquet"',
    )
    errors = errors_of_bake(cookies, capfd, template)
    assert any(
        e.startswith("repetitions: product ")
        and "data/data_0.parquet is outside BLD (" in e
        for e in errors
    ), errors


def test_two_tasks_with_one_product(cookies, capfd, template: Path) -> None:
    edit(
        template,
        f"{PACKAGE}/estimation/config.py",
        'return BLD / "estimation" / f"{name}.md"',
        'return BLD / "estimation" / f"{name}.pickle"',
    )
    errors = errors_of_bake(cookies, capfd, template)
    assert any(
        e.startswith("repetitions: ")
        and e.endswith("logit_data_0.pickle is the product of 2 tasks")
        for e in errors
    ), errors


def test_model_id_that_selects_another_models_estimations(
    cookies, capfd, template: Path
) -> None:
    edit(
        template,
        f"{PACKAGE}/estimation/config.py",
        '    "probit": {',
        '    "logit_robust": {"estimator": "logit", "fit": {"cov_type": "HC1"}},'
        '\n    "probit": {',
    )
    errors = errors_of_bake(cookies, capfd, template)
    assert any(
        e.startswith("repetitions: pytask -k '[logit_' would also select ")
        and "'logit_robust_data_0'" in e
        for e in errors
    ), errors


def test_data_id_that_selects_another_datas_tasks(
    cookies, capfd, template: Path
) -> None:
    edit(
        template,
        f"{PACKAGE}/data_preparation/config.py",
        '    "data_1": {',
        '    "old_data_0": {"outcome": "vote", "covariates": IDEOLOGY, "sample": None},'
        '\n    "data_1": {',
    )
    errors = errors_of_bake(cookies, capfd, template)
    assert any(
        e.startswith("repetitions: pytask -k 'data_0]' would also select ")
        and "'old_data_0'" in e
        and "'probit_old_data_0'" in e
        for e in errors
    ), errors


def test_missing_file(cookies, capfd, template: Path) -> None:
    edit(
        template,
        "hooks/post_gen_project.py",
        "    remove_unchosen_files(kept)\n",
        "    remove_unchosen_files(kept)\n"
        '    Path("README.md").unlink()  # the defect\n',
    )
    errors = errors_of_bake(cookies, capfd, template)
    assert errors == ["structure: README.md is missing"]


def test_unchosen_file_left(cookies, capfd, template: Path) -> None:
    edit(template, "hooks/post_gen_project.py", "    remove_unchosen_files(kept)\n", "")
    errors = errors_of_bake(cookies, capfd, template, add_github_actions="no")
    left = "structure: .github/workflows/main.yml was not chosen but is still here"
    assert left in errors
    final = "structure: src/my_project/final/config.py was not chosen but is still here"
    assert final in errors
    paper = "structure: src/my_project/paper/paper.tex was not chosen but is still here"
    assert paper in errors


def test_unrendered_jinja(cookies, capfd, template: Path) -> None:
    (template / PROJECT / "README.md").open("a").write('{{ "{{" }} left }}\n')
    errors = errors_of_bake(cookies, capfd, template)
    assert len(errors) == 1
    assert errors[0].startswith("structure: README.md:")
    assert errors[0].endswith(" has unrendered '{{'")


@pytest.mark.parametrize(
    ("name", "defect"),
    [
        (f"{PACKAGE}/data_preparation/__init__.py", "def broken(:\n"),
        (f"{PROJECT}/pyproject.toml", "[broken\n"),
        (f"{PROJECT}/.github/workflows/main.yml", "key: [unclosed\n"),
    ],
    ids=["python", "toml", "yaml"],
)
def test_file_that_does_not_parse(
    cookies, capfd, template: Path, name: str, defect: str
) -> None:
    (template / name).open("a").write(defect)
    errors = errors_of_bake(cookies, capfd, template)
    generated = name.replace(f"{PROJECT}/", "", 1).replace(PROJECT, "my_project")
    assert any(e.startswith(f"structure: {generated} does not parse: ") for e in errors)
    if name.endswith(".py"):
        broken = "repetitions: cannot check the configuration: SyntaxError("
        assert any(e.startswith(broken) for e in errors), errors


def test_task_that_pytask_does_not_collect(cookies, capfd, template: Path) -> None:
    pytest.importorskip("pytask")
    edit(
        template,
        f"{PACKAGE}/estimation/task_estimate_models.py",
        "for id_, kwargs in _create_parametrization(ESTIMATIONS).items():",
        "for id_, kwargs in list(_create_parametrization(ESTIMATIONS).items())[:-1]:",
    )
    errors = errors_of_bake(cookies, capfd, template)
    assert errors == ["pytask: does not collect the configured tasks ['probit_data_3']"]


def test_task_whose_dependency_no_task_produces(cookies, capfd, template: Path) -> None:
    pytest.importorskip("pytask")
    edit(
        template,
        f"{PACKAGE}/data_preparation/task_prepare_data.py",
        "for id_, kwargs in _create_parametrization(DATA).items():",
        "for id_, kwargs in list(_create_parametrization(DATA).items())[:-1]:",
    )
    errors = errors_of_bake(cookies, capfd, template)
    assert errors[0] == "pytask: does not collect the configured tasks ['data_3']"
    assert (
        "pytask: task_estimate_models.py::task_estimate_model[logit_data_3]: "
        "NodeNotFoundError: "
    ) in [e[: e.index("NodeNotFoundError: ") + 19] for e in errors[1:]]


# pytask collects the tasks; the project's build_guard.py, which it loads, imports
# filelock. Either missing where cookiecutter runs skips the collection.
@pytest.mark.parametrize("module", ["pytask", "filelock"])
def test_without_a_module_to_collect_the_collection_is_skipped_in_one_line(
    tmp_path: Path, module: str
) -> None:
    hidden = tmp_path / f"hide_{module}" / module
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text(f"raise ImportError('{module} is hidden')\n")
    env = os.environ | {"PYTHONPATH": str(hidden.parent)}
    process = cookiecutter(tmp_path, env=env)
    assert process.returncode == 0, process.stderr
    assert process.stdout.splitlines() == [
        f"{module} is not importable here: skipped collecting the project's tasks."
    ]
    assert (tmp_path / "my_project" / "pyproject.toml").is_file()
