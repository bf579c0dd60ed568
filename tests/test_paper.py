"""The paper: tables that compile, a PDF built by pytask that shows the estimates."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.bakery import bake, pythonpath, run
from tests.test_final_stage import (
    CURVE_TASKS,
    DATA_IDS,
    DISCRETE,
    ESTIMATION_IDS,
    TABLE_TASKS,
    all_tasks,
    executed,
)
from tests.test_hostile_answers import HOSTILE

pytestmark = pytest.mark.skipif(
    not (shutil.which("latexmk") and shutil.which("pdftotext")),
    reason="needs LaTeX and poppler: apt-get install texlive-latex-recommended "
    "latexmk poppler-utils",
)
PAPER_TASKS = {"task_list_results", "task_compile_paper"}
RAW_VARIABLES = ["Intercept", "vote", "age", "educ", "income", "PID", "selfLR"]
# Fits that the default models do not make, with formula terms full of LaTeX's special
# characters, and a table of all estimations, made by the final stage's own functions.
EXOTIC_TABLE = """
import pathlib, tempfile
import numpy as np, pandas as pd, statsmodels.api as sm, statsmodels.formula.api as smf
from my_project.final.task_final import as_latex, tabulate, labels_for, load_record
from my_project_template import summaries

def as_record(name, fit):
    # The record the estimation would write of this fit, as the tables read it.
    model = {"estimator": "", "fit": {"cov_type": fit.cov_type}}
    spec = {"estimation": name, "model_name": "", "data_name": "", "formula": ""}
    path = pathlib.Path(tempfile.mkdtemp()) / "record.json"
    path.write_text(summaries.record(fit, spec | {"model": model}, 0))
    return load_record(path)

data = pd.read_csv("src/my_project/data/data.csv")
terms = "np.log(income) + I(age ** 2) + C(educ)"
fits = {
    "linear_probability_data_0": smf.wls(
        f"vote ~ {terms}", data, weights=data["age"]
    ).fit(cov_type="cluster", cov_kwds={"groups": data["educ"]}),
    "logit_data_0": smf.glm(
        f"vote ~ {terms}", data, family=sm.families.Binomial()
    ).fit(),
    "probit_data_0": smf.poisson(f"vote ~ {terms}", data).fit(disp=False),
}
fits = {name: as_record(name, fit) for name, fit in fits.items()}
table = {"name": "exotic", "caption": "R&D: 50% of $x_1$ #1", "estimations": list(fits)}
table |= {"labels": labels_for(list(fits)), "format": {"digits": 3, "stars": [0.1]}}
table["marginal_effects"] = True
print(as_latex(*tabulate(fits, table), table))
# All twelve estimations in one table: wider than the page unless scaled down.
from my_project.estimation.config import ESTIMATIONS
fits = {
    name: load_record(pathlib.Path(f"bld/estimation/{name}.json"))
    for name in ESTIMATIONS
}
table |= {"name": "wide", "caption": "All", "estimations": list(fits)}
table["labels"] = labels_for(list(fits))
print(as_latex(*tabulate(fits, table), table))
"""


def latexmk(folder: Path, document: str) -> subprocess.CompletedProcess[str]:
    """Compile a LaTeX document with latexmk, as pytask-latex does."""
    return subprocess.run(
        ["latexmk", "--pdf", "--interaction=nonstopmode", document],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )


def pdf_text(pdf: Path) -> str:
    """Return the text of a PDF, with TeX's minus and stars as plain characters."""
    process = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return process.stdout.replace("\N{MINUS SIGN}", "-").replace("\u2217", "*")


@pytest.fixture(scope="module")
def paper_project(cookies_session) -> Path:
    """Bake a project with the final stage and the paper, and build it once."""
    project = bake(cookies_session, add_final_stage="yes", add_paper="yes")
    assert executed(project) == dict.fromkeys(all_tasks() | PAPER_TASKS, ".")
    return project


def test_every_table_compiles_in_a_minimal_document(
    paper_project: Path, tmp_path: Path
) -> None:
    exotic = run(paper_project, sys.executable, "-c", EXOTIC_TABLE)
    assert exotic.returncode == 0, exotic.stderr
    for term in (r"np.log(income)", r"I(age ** 2)", r"C(educ)[T.2]"):
        assert term in exotic.stdout
    for shown in ("Clustered", "Pseudo R$^2$", "R$^2$", r"R\&D: 50\% of \$x\_1\$ \#1"):
        assert shown in exotic.stdout
    # The binomial GLM shows average marginal effects, the Poisson its coefficients.
    assert "Column (2): average marginal effects" in exotic.stdout
    assert "Other columns: coefficients." in exotic.stdout
    (tmp_path / "exotic.tex").write_text(exotic.stdout)
    tables = paper_project / "bld" / "final" / "tables"
    inputs = [f"\\input{{{tables / data}.tex}}" for data in DATA_IDS]
    (tmp_path / "tables.tex").write_text(
        "\\documentclass{article}\n\\usepackage{booktabs}\n\\usepackage{graphicx}\n"
        "\\begin{document}\n"
        + "\n".join([*inputs, "\\input{exotic}"])
        + "\n\\end{document}\n"
    )
    process = latexmk(tmp_path, "tables.tex")
    assert process.returncode == 0, process.stdout[-3000:]
    log = (tmp_path / "tables.log").read_text()
    assert "Overfull \\hbox" not in log
    text = pdf_text(tmp_path / "tables.pdf")
    assert text.count("Standard errors in parentheses.") == len(DATA_IDS) + 2


def test_the_pdf_shows_the_fitted_estimates_and_no_raw_id(paper_project: Path) -> None:
    from statsmodels.iolib.smpickle import load_pickle  # heavy: imported when needed

    text = pdf_text(paper_project / "bld" / "paper" / "paper.pdf")
    assert "My Project" in text
    assert "Jane Doe" in text
    for name in ESTIMATION_IDS:
        result = load_pickle(paper_project / "bld" / "estimation" / f"{name}.pickle")
        effects, errors = result.params, result.bse
        if name in DISCRETE:  # average marginal effects
            frame = result.get_margeff(at="overall").summary_frame()
            effects, errors = frame["dy/dx"], frame["Std. Err."]
        for term, value in effects.items():
            printed = f"{value:.3f}"
            assert printed in text, f"{term} of {name}: {printed} is not in the paper"
            assert f"({errors[term]:.3f})" in text
        assert re.search(rf"Observations\s+{int(result.nobs)}\b", text), name
    # The curve and its caption.
    caption = " ".join(text.split())
    assert "Specification curve: Income. Its effect in each estimation" in caption
    assert "average marginal effects for logit, probit and binomial models" in caption
    for raw in [*ESTIMATION_IDS, *DATA_IDS, "linear_probability", *RAW_VARIABLES]:
        assert not re.search(rf"\b{raw}\b", text), f"the paper shows the raw id {raw}"
    assert executed(paper_project) == {}, "a second pytask builds something"


def test_without_latexmk_pytask_says_what_to_install_in_one_line(
    paper_project: Path,
) -> None:
    # A PATH with this Python but without latexmk.
    env_path = str(Path(sys.executable).parent)
    process = subprocess.run(
        [sys.executable, "-m", "pytask"],
        cwd=paper_project,
        env={"PATH": env_path, "PYTHONPATH": pythonpath(paper_project)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    lines = [line for line in process.stdout.splitlines() if "LaTeX" in line]
    assert lines == [
        "The paper is not built: it needs LaTeX with latexmk. Install TeX Live (on "
        "Debian or Ubuntu: texlive-latex-recommended latexmk) or MiKTeX, then run "
        "pytask again."
    ]
    assert "Traceback" not in process.stdout + process.stderr


def test_hostile_answers_compile_in_the_title_page(cookies) -> None:
    # Quotes, a backslash and an emoji; $, %, & and braces; CJK and accents.
    answers = {
        "project_name": HOSTILE[0],
        "project_description": f"{HOSTILE[6]} {HOSTILE[1]}",
        "author": f"Ann {HOSTILE[-1]}",
    }
    project = bake(cookies, add_final_stage="yes", add_paper="yes", **answers)
    paper = project / "src" / project.name / "paper"
    # The title page alone: the tables and figures are not built here.
    (project / "bld" / "paper").mkdir(parents=True)
    (project / "bld" / "paper" / "results.tex").write_text("")
    process = latexmk(paper, "paper.tex")
    assert process.returncode == 0, process.stdout[-3000:]
    text = " ".join(pdf_text(paper / "paper.pdf").split())
    # Words of ASCII letters print as typed (accents and quotes may come out apart
    # in the text of the PDF); emoji and CJK are left out.
    for value in answers.values():
        for word in re.findall(r"[A-Za-z0-9+&#:$%{}]+", value):
            assert word in text, f"{word!r} of {value!r} is not in the title page"


def test_editing_one_label_reruns_what_shows_it_and_the_paper(
    paper_project: Path,
) -> None:
    """Last of the tests on the shared project, as it changes the project."""
    config = paper_project / "src" / "my_project" / "final" / "config.py"
    original = config.read_text()
    # Party identification is a covariate of data_1 to data_3, not of data_0.
    config.write_text(original.replace('"Party identification"', '"Partisanship"'))
    # The curve of income does not show it.
    shown = {f"task_tabulate_estimations[data_{i}]" for i in (1, 2, 3)}
    assert executed(paper_project) == dict.fromkeys(shown | {"task_compile_paper"}, ".")
    text = pdf_text(paper_project / "bld" / "paper" / "paper.pdf")
    assert "Partisanship" in text
    assert "Party identification" not in text
    # A data specification's label is in its table's caption and in the curve.
    config.write_text(config.read_text().replace('"Some college or more"', '"College"'))
    shown = {"task_tabulate_estimations[data_2]", *CURVE_TASKS, "task_compile_paper"}
    assert executed(paper_project) == dict.fromkeys(shown, ".")
    text = pdf_text(paper_project / "bld" / "paper" / "paper.pdf")
    assert "Estimates: College" in text
    # The effect's label is in the curve and its caption in the paper.
    config.write_text(
        config.read_text().replace('"income": "Income"', '"income": "Pay"')
    )
    shown = TABLE_TASKS | CURVE_TASKS | PAPER_TASKS
    assert executed(paper_project) == dict.fromkeys(shown, ".")
    assert "Specification curve: Pay." in pdf_text(
        paper_project / "bld" / "paper" / "paper.pdf"
    )
