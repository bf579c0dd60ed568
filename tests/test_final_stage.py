"""The outputs a researcher looks at: coefficient tables, comparison, figures."""

import filecmp
import json
import re
import shutil
import sys
import tomllib
from pathlib import Path

import pytest

from tests.bakery import bake, pytask, run

DATA_IDS = [f"data_{i}" for i in range(4)]
ESTIMATION_IDS = [
    f"{model}_{data}"
    for model in ("linear_probability", "logit", "probit")
    for data in DATA_IDS
]
FIGURE_TASKS = {f"task_plot_coefficients[{name}]" for name in ESTIMATION_IDS}
# One table per data specification, the models as columns.
TABLE_TASKS = {f"task_tabulate_estimations[{data}]" for data in DATA_IDS}
MODEL_LABELS = ["Linear probability", "Logit", "Probit"]
# A row of pytask's table of executed tasks, with or without an id in brackets.
TASK_ROW = re.compile(r"^│ \S+::(?P<name>\w+(?:\[[^\]]+\])?)\s+│ (?P<outcome>\S+)\s+│$")


def executed(project: Path, *args: str) -> dict[str, str]:
    """Run ``pytask``; return ``task_name[id]`` and outcome of each task it executed.

    Unlike ``bakery.pytask`` this keeps the task's name, as the figures share their ids
    with the estimations and the comparison has no id.
    """
    process = run(project, sys.executable, "-m", "pytask", *args)
    assert process.returncode == 0, process.stdout + process.stderr
    rows = (TASK_ROW.match(line) for line in process.stdout.splitlines())
    return {row["name"]: row["outcome"] for row in rows if row}


def all_tasks() -> set[str]:
    """Return the name of every task of a project with the final stage."""
    return (
        {f"task_prepare_data[{data}]" for data in DATA_IDS}
        | {f"task_estimate_model[{name}]" for name in ESTIMATION_IDS}
        | FIGURE_TASKS
        | TABLE_TASKS
    )


def files_under(folder: Path) -> set[str]:
    """Return the files under ``folder``, relative to it."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def built_project(cookies_session) -> Path:
    """Bake a project with the final stage and run its whole pipeline once."""
    project = bake(cookies_session, add_final_stage="yes")
    assert executed(project) == dict.fromkeys(all_tasks(), ".")
    return project


def test_each_data_specification_has_a_journal_table(built_project: Path) -> None:
    tables = built_project / "bld" / "final" / "tables"
    assert files_under(tables) == {
        f"{d}.{fmt}" for d in DATA_IDS for fmt in ("md", "tex")
    }
    for data in DATA_IDS:
        markdown = (tables / f"{data}.md").read_text()
        header = next(line for line in markdown.splitlines() if line.startswith("|"))
        columns = [cell.strip() for cell in header.split("|")[2:-1]]
        assert columns == [f"({n}) {m}" for n, m in enumerate(MODEL_LABELS, 1)]
        for row in ("| Observations |", "| R² |", "| Pseudo R² |", "| Constant |"):
            assert row in markdown, f"{row} is not in {data}.md"
        latex = (tables / f"{data}.tex").read_text()
        assert "\\caption{Estimates: " in latex
        assert f"\\label{{tab:{data}}}" in latex
        for rule in ("\\toprule", "\\midrule", "\\bottomrule"):
            assert rule in latex
        # The note explains the stars inside the tabular, not after the table.
        tabular = latex[latex.index("\\begin{tabular}") : latex.index("\\end{tabular}")]
        assert "{\\footnotesize Standard errors in parentheses.}" in tabular
        assert "* p \\textless{} 0.1, ** p \\textless{} 0.05" in tabular
        assert "{\\footnotesize Dependent variable: Vote for Dole.}" in tabular
        # The linear probability model has robust standard errors, the others not.
        assert "Standard errors & Robust (HC1) & Conventional & Conventional" in latex
        shown = latex.replace(f"\\label{{tab:{data}}}", "")
        raw_ids = [name for name in [*DATA_IDS, *ESTIMATION_IDS] if name in shown]
        assert not raw_ids, f"{data}.tex shows raw ids {raw_ids}"


def test_the_defaults_label_every_id_and_variable(built_project: Path) -> None:
    code = (
        "import json\n"
        "from my_project.data_preparation.config import DATA\n"
        "from my_project.estimation.config import MODELS\n"
        "from my_project.final import config\n"
        "variables = {'Intercept'} | {v for d in DATA.values() "
        "for v in [d['outcome'], *d['covariates']]}\n"
        "print(json.dumps({\n"
        "    'variables': sorted(variables - set(config.VARIABLE_LABELS)),\n"
        "    'models': sorted(set(MODELS) - set(config.MODEL_LABELS)),\n"
        "    'data': sorted(set(DATA) - set(config.DATA_LABELS)),\n"
        "}))"
    )
    process = run(built_project, sys.executable, "-c", code)
    assert process.returncode == 0, process.stderr
    unlabelled = json.loads(process.stdout)
    assert unlabelled == {"variables": [], "models": [], "data": []}


def test_each_estimation_has_one_figure_that_is_a_png(built_project: Path) -> None:
    from matplotlib.image import imread  # heavy: imported by the test that needs it

    figures = built_project / "bld" / "final" / "figures"
    assert files_under(figures) == {f"{name}.png" for name in ESTIMATION_IDS}
    for name in ESTIMATION_IDS:
        # 6 x 4 inches at 150 dpi, as the final stage's config says.
        assert imread(figures / f"{name}.png").shape == (600, 900, 4), name


def test_the_final_stage_passes_its_tests_and_ruff(built_project: Path) -> None:
    commands = (["pytest", "-q"], ["ruff", "check", "."], ["ruff", "format", "--check"])
    for command in commands:
        process = run(built_project, sys.executable, "-m", *command)
        assert process.returncode == 0, process.stdout + process.stderr


def test_the_answer_adds_matplotlib_and_documents_the_outputs(
    built_project: Path,
) -> None:
    pyproject = tomllib.loads((built_project / "pyproject.toml").read_text())
    assert "matplotlib>=3.8" in pyproject["project"]["dependencies"]
    readme = (built_project / "README.md").read_text()
    assert not re.search(r"\{\{|\{%|cookiecutter\.", readme)
    for output in (
        "bld/final/tables/<data id>.md",
        "bld/final/figures/<estimation id>.png",
    ):
        assert output in readme


def test_collecting_the_final_stage_imports_no_heavy_library(
    built_project: Path,
) -> None:
    heavy = ["matplotlib", "numpy", "pandas", "statsmodels"]
    code = (
        "import sys, my_project.final.task_final; "
        f"print(sorted(set({heavy!r}) & set(sys.modules)))"
    )
    process = run(built_project, sys.executable, "-c", code)
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "[]"


def test_selecting_an_estimation_includes_its_figure(cookies) -> None:
    project = bake(cookies, add_final_stage="yes")
    expected = {
        "task_prepare_data[data_0]": ".",
        "task_estimate_model[linear_probability_data_0]": ".",
        "task_plot_coefficients[linear_probability_data_0]": ".",
    }
    assert executed(project, "-k", "linear_probability_data_0") == expected
    anchored = ["-k", "[linear_probability_data_0]", "--force"]
    assert executed(project, *anchored) == expected


def test_editing_the_final_stage_reruns_no_estimation(cookies, tmp_path) -> None:
    project = bake(cookies, add_final_stage="yes")
    final, bld = project / "src" / "my_project" / "final", project / "bld"
    executed(project)
    task_module = final / "task_final.py"
    task_module.write_text(task_module.read_text() + "\n# A researcher's note.\n")
    assert executed(project) == dict.fromkeys(FIGURE_TASKS | TABLE_TASKS, ".")
    # Each option is a dependency of the tasks that read it, and of no estimation.
    config = final / "config.py"
    options = config.read_text()
    for old, new in (('"dpi": 150', '"dpi": 100'), ('"digits": 3', '"digits": 2')):
        assert old in options
        options = options.replace(old, new)
    config.write_text(options)
    assert executed(project) == dict.fromkeys(FIGURE_TASKS | TABLE_TASKS, ".")
    table = (bld / "final" / "tables" / "data_0.md").read_text().splitlines()
    constants = next(row for row in table if row.startswith("| Constant"))
    assert constants.split("|")[2].strip() == "0.02"  # 0.024 with 3 digits
    # What these reruns rebuilt equals, byte for byte, a clean build of the same code.
    rebuilt = shutil.copytree(bld, tmp_path / "rebuilt")
    shutil.rmtree(bld)
    shutil.rmtree(project / ".pytask")
    (project / "pytask.lock").unlink(missing_ok=True)
    assert executed(project) == dict.fromkeys(all_tasks(), ".")
    names = sorted(files_under(bld))
    assert names == sorted(files_under(rebuilt))
    _, mismatch, errors = filecmp.cmpfiles(bld, rebuilt, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_each_estimation_tabulates_its_coefficients(cookies) -> None:
    from statsmodels.iolib.smpickle import load_pickle  # heavy, as above

    project = bake(cookies)
    assert not (project / "src" / "my_project" / "final").exists()
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert not any("matplotlib" in dep for dep in pyproject["project"]["dependencies"])
    assert pytask(project) == dict.fromkeys(DATA_IDS + ESTIMATION_IDS, ".")
    estimation = project / "bld" / "estimation"
    for name in ESTIMATION_IDS:
        params = load_pickle(estimation / f"{name}.pickle").params
        markdown = (estimation / f"{name}.md").read_text()
        latex = (estimation / f"{name}.tex").read_text()
        assert "\\begin{tabular}" in latex
        for term, value in params.items():
            term_, value_ = re.escape(term), re.escape(f"{value:.4f}")
            row = rf"^\| {term_} +\| +{value_} \|"
            assert re.search(row, markdown, re.M), f"{term} of {name} in Markdown"
            row = rf"^\\textbf{{{term_}}} +& +{value_} +&"
            assert re.search(row, latex, re.M), f"{term} of {name} in LaTeX"
