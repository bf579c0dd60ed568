"""The outputs a researcher looks at: tables of comparable effects, curves, figures."""

import csv
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
# One specification curve per effect of interest; by default income's.
CURVE_TASKS = {"task_plot_specification_curve[income]"}
MODELS = ("linear_probability", "logit", "probit")
MODEL_LABELS = ["Linear probability", "Logit", "Probit"]
# The estimations whose tables show average marginal effects by default.
DISCRETE = [name for name in ESTIMATION_IDS if not name.startswith("linear")]
CURVE_COLUMNS = ["estimation", "data", "model", "estimate", "lower", "upper"]
# The project's effects of each estimation, from its record, on the tables' scale and
# in raw coefficients, and the average marginal effects that the template's summaries
# record of a binomial GLM and of a Logit on the same data.
EFFECTS = """
import json
from pathlib import Path
import statsmodels.api as sm, statsmodels.formula.api as smf
from my_project.estimation.config import ESTIMATIONS
from my_project.final.effects import effects_of, load_record
from my_project_template.summaries import marginal_effects_of
def of(record, marginal):
    return effects_of(record, marginal).to_dict(orient="index")
def margins(result):
    return {
        term: {"estimate": e["coef"], "std_error": e["std_err"]}
        for term, e in marginal_effects_of(result).items()
    }
records = {n: load_record(Path(f"bld/estimation/{n}.json")) for n in ESTIMATIONS}
data = sm.datasets.anes96.load_pandas().data
formula = "vote ~ age + educ + income"
glm = smf.glm(formula, data, family=sm.families.Binomial()).fit()
print(json.dumps({
    "marginal": {name: of(record, True) for name, record in records.items()},
    "raw": {name: of(record, False) for name, record in records.items()},
    "glm": margins(glm),
    "logit": margins(smf.logit(formula, data).fit(disp=False)),
}))
"""
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
        | CURVE_TASKS
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


@pytest.fixture(scope="module")
def effects(built_project: Path) -> dict[str, dict]:
    """The final stage's effects of each estimation, as its own functions give them."""
    process = run(built_project, sys.executable, "-c", EFFECTS)
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)


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
        # Which columns show average marginal effects, and that the rest are
        # coefficients, inside the table.
        note = "Columns (2), (3): average marginal effects, no constant;"
        assert f"{{\\footnotesize {note}}}" in tabular
        assert "{\\footnotesize Other columns: coefficients.}" in tabular
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


def test_average_marginal_effects_are_statsmodels_own(
    built_project: Path, effects: dict[str, dict]
) -> None:
    from statsmodels.iolib.smpickle import load_pickle  # heavy: imported when needed

    estimation = built_project / "bld" / "estimation"
    for name in ESTIMATION_IDS:
        result = load_pickle(estimation / f"{name}.pickle")
        shown = effects["marginal"][name]
        if name in DISCRETE:
            frame = result.get_margeff(at="overall").summary_frame()
            expected = {"estimate": frame["dy/dx"], "std_error": frame["Std. Err."]}
        else:  # a linear model's coefficients are its marginal effects
            expected = {"estimate": result.params, "std_error": result.bse}
        assert sorted(shown) == sorted(expected["estimate"].index), name
        for column, values in expected.items():
            for term, value in values.items():
                assert shown[term][column] == pytest.approx(value, rel=0, abs=1e-8)
        # The switch brings back the raw coefficients.
        raw = {
            term: effect["estimate"] for term, effect in effects["raw"][name].items()
        }
        assert raw == pytest.approx(result.params.to_dict(), rel=0, abs=1e-12)
    # A binomial GLM is a logit: the same average marginal effects.
    for term, effect in effects["logit"].items():
        for column in ("estimate", "std_error"):
            assert effects["glm"][term][column] == pytest.approx(
                effect[column], abs=1e-6
            )


def test_tables_show_the_effects_at_the_printed_precision(
    built_project: Path, effects: dict[str, dict]
) -> None:
    tables = built_project / "bld" / "final" / "tables"
    labels = {"age": "Age", "educ": "Education", "income": "Income"}
    for data in DATA_IDS:
        lines = (tables / f"{data}.md").read_text().splitlines()
        for term, label in labels.items():
            row = next(
                i for i, line in enumerate(lines) if line.startswith(f"| {label} |")
            )
            cells = [c.strip().replace("\\*", "") for c in lines[row].split("|")[2:-1]]
            errors = [c.strip() for c in lines[row + 1].split("|")[2:-1]]
            for number, model in enumerate(("linear_probability", "logit", "probit")):
                effect = effects["marginal"][f"{model}_{data}"][term]
                assert cells[number] == f"{effect['estimate']:.3f}", (data, term, model)
                assert errors[number] == f"({effect['std_error']:.3f})", (data, term)
        constant = next(line for line in lines if line.startswith("| Constant |"))
        assert [c.strip() for c in constant.split("|")[3:-1]] == ["", ""]


def test_the_curve_holds_every_estimation_on_the_tables_scale(
    built_project: Path, effects: dict[str, dict]
) -> None:
    path = (
        built_project / "bld" / "final" / "figures" / "specification_curve_income.csv"
    )
    with path.open(newline="") as file:
        reader = csv.DictReader(file)
        assert reader.fieldnames == CURVE_COLUMNS
        points = list(reader)
    assert sorted(p["estimation"] for p in points) == sorted(ESTIMATION_IDS)
    estimates = [float(point["estimate"]) for point in points]
    assert estimates == sorted(estimates)
    for point in points:
        model, _, data = point["estimation"].rpartition("_data_")
        assert (point["model"], point["data"]) == (model, f"data_{data}")
        effect = effects["marginal"][point["estimation"]]["income"]
        for column in ("estimate", "lower", "upper"):
            assert float(point[column]) == pytest.approx(effect[column], abs=1e-12)
        # A 95% interval around the estimate.
        half = 1.959964 * effect["std_error"]
        assert float(point["upper"]) - float(point["lower"]) == pytest.approx(2 * half)


def test_the_figures_are_the_curves_by_default(built_project: Path) -> None:
    from matplotlib.image import imread  # heavy: imported by the test that needs it

    figures = built_project / "bld" / "final" / "figures"
    curve = "specification_curve_income"
    assert files_under(figures) == {f"{curve}.png", f"{curve}.csv"}
    # 7 x 5 inches at 150 dpi, as the final stage's config says.
    assert imread(figures / f"{curve}.png").shape == (750, 1050, 4)


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
        "bld/final/figures/specification_curve_<term>.png",
        "bld/final/figures/specification_curve_<term>.csv",
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


def test_selecting_an_estimation_includes_its_figure_if_drawn(cookies) -> None:
    project = bake(cookies, add_final_stage="yes")
    expected = {
        "task_prepare_data[data_0]": ".",
        "task_estimate_model[linear_probability_data_0]": ".",
    }
    # The curves are named by their term: -k of an estimation runs it alone.
    assert executed(project, "-k", "linear_probability_data_0") == expected
    config = project / "src" / "my_project" / "final" / "config.py"
    text = config.read_text()
    config.write_text(
        text.replace("COEFFICIENT_FIGURES = False", "COEFFICIENT_FIGURES = True")
    )
    expected["task_plot_coefficients[linear_probability_data_0]"] = "."
    anchored = ["-k", "[linear_probability_data_0]", "--force"]
    assert executed(project, *anchored) == expected
    from matplotlib.image import imread  # heavy: imported by the test that needs it

    figure = project / "bld" / "final" / "figures" / "linear_probability_data_0.png"
    assert imread(figure).shape == (600, 900, 4)  # 6 x 4 inches at 150 dpi
    # -k of a term runs its curve, after all it shows.
    curve = executed(project, "-k", "income")
    assert set(curve) == (
        {f"task_prepare_data[{data}]" for data in DATA_IDS}
        | {f"task_estimate_model[{name}]" for name in ESTIMATION_IDS}
        | CURVE_TASKS
    ) - set(expected)


def test_editing_the_final_stage_reruns_no_estimation(cookies, tmp_path) -> None:
    project = bake(cookies, add_final_stage="yes")
    final, bld = project / "src" / "my_project" / "final", project / "bld"
    executed(project)
    task_module = final / "task_final.py"
    task_module.write_text(task_module.read_text() + "\n# A researcher's note.\n")
    assert executed(project) == dict.fromkeys(CURVE_TASKS | TABLE_TASKS, ".")
    # Each option is a dependency of the tasks that read it, and of no estimation.
    config = final / "config.py"
    options = config.read_text()
    for old, new in (('"dpi": 150', '"dpi": 100'), ('"digits": 3', '"digits": 2')):
        assert old in options
        options = options.replace(old, new)
    config.write_text(options)
    assert executed(project) == dict.fromkeys(CURVE_TASKS | TABLE_TASKS, ".")
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


def test_edits_rerun_exactly_the_tables_and_curves_that_show_them(cookies) -> None:
    project = bake(cookies, add_final_stage="yes")
    package = project / "src" / "my_project"
    final = package / "final" / "config.py"
    # Party identification is a covariate of data_1 to data_3, not of data_0.
    replace_in(final, '= ["income"]', '= ["income", "PID"]')
    curves = {f"task_plot_specification_curve[{term}]" for term in ("income", "PID")}
    assert executed(project) == dict.fromkeys(all_tasks() | curves, ".")
    # One model: its fits, every table (each has a column of it), both curves.
    logit = '"logit": {"estimator": "logit", "fit": {"disp": False'
    replace_in(
        package / "estimation" / "config.py", logit, f'{logit}, "cov_type": "HC1"'
    )
    fits = {f"task_estimate_model[logit_{data}]" for data in DATA_IDS}
    assert executed(project) == dict.fromkeys(fits | TABLE_TASKS | curves, ".")
    table = (project / "bld" / "final" / "tables" / "data_0.md").read_text()
    assert "| Standard errors | Robust (HC1) | Robust (HC1) | Conventional |" in table
    # The switch back to raw coefficients: tables and curves, no fit.
    replace_in(final, "MARGINAL_EFFECTS = True", "MARGINAL_EFFECTS = False")
    assert executed(project) == dict.fromkeys(TABLE_TASKS | curves, ".")
    table = (project / "bld" / "final" / "tables" / "data_0.md").read_text()
    assert "average marginal effects" not in table
    # Income's logit coefficient, on the scale of the logit's index.
    income = next(line for line in table.splitlines() if line.startswith("| Income |"))
    assert income.split("|")[3].strip().replace("\\*", "") == "0.069"
    # One data specification, which the curve of PID does not show.
    replace_in(
        package / "data_preparation" / "config.py",
        '"data_0": {"outcome": "vote", "covariates": DEMOGRAPHICS,',
        '"data_0": {"outcome": "vote", "covariates": ["income", "age"],',
    )
    shown = {
        "task_prepare_data[data_0]",
        "task_tabulate_estimations[data_0]",
        "task_plot_specification_curve[income]",
        *(f"task_estimate_model[{m}_data_0]" for m in MODELS),
    }
    assert executed(project) == dict.fromkeys(shown, ".")
    # An effect of interest: its curve alone.
    replace_in(final, '"PID"]', '"selfLR"]')
    assert executed(project) == {"task_plot_specification_curve[selfLR]": "."}


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a file as a researcher would: ``old``, which must be there, by ``new``."""
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("effects", "shown"),
    [
        ('["income", "TVnews"]', "'TVnews' is a covariate of no estimation's data"),
        ('["C(PID)[T.2]"]', "'C(PID)[T.2]' is a covariate of no estimation's data"),
        ('"income"', "'income'; allowed: a list of terms"),
    ],
)
def test_an_effect_of_interest_no_estimation_has_stops_pytask_in_one_line(
    cookies, effects: str, shown: str
) -> None:
    project = bake(cookies, add_final_stage="yes")
    final = project / "src" / "my_project" / "final" / "config.py"
    replace_in(
        final, 'EFFECTS_OF_INTEREST = ["income"]', f"EFFECTS_OF_INTEREST = {effects}"
    )
    process = run(project, sys.executable, "-m", "pytask")
    assert process.returncode != 0
    line = "ConfigError: src/my_project/final/config.py: EFFECTS_OF_INTEREST: "
    assert f"{line}{shown}" in process.stdout, process.stdout
    assert "Traceback" not in process.stdout + process.stderr
    assert not (project / "bld").exists()


def test_a_data_specification_no_estimation_uses_gets_no_table(cookies) -> None:
    project = bake(cookies, add_final_stage="yes")
    config = project / "src" / "my_project" / "estimation" / "config.py"
    replace_in(
        config,
        "    for data in DATA\n}",
        '    for data in DATA\n    if data != "data_3"\n}',
    )
    process = run(project, sys.executable, "-m", "pytask")
    assert process.returncode == 0, process.stdout + process.stderr
    tables = project / "bld" / "final" / "tables"
    assert sorted(path.stem for path in tables.glob("*.md")) == DATA_IDS[:3]
