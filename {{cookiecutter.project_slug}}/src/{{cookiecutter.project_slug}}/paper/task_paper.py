"""Compile paper.tex, with the final stage's tables and figures, into a PDF.

One task lists the tables, the specification curves and, if the final stage draws them,
the coefficient figures that the final stage's config defines in
bld/paper/results.tex, which paper.tex inputs; pytask-latex then runs latexmk. Without
LaTeX, ``pytask`` says what to install and skips the paper.

"""

import os
import shutil
from pathlib import Path
from string import Template
from typing import Annotated, Any

import pytask
from pytask import Product, PythonNode, task

from {{ cookiecutter.project_slug }}.config import hash_json
from {{ cookiecutter.project_slug }}.estimation.config import ESTIMATIONS
from {{ cookiecutter.project_slug }}.final.config import (
    COEFFICIENT_FIGURES,
    DATA_LABELS,
    EFFECTS_OF_INTEREST,
    MARGINAL_EFFECTS,
    MODEL_LABELS,
    TABLES,
    VARIABLE_LABELS,
    curve_id,
    path_to_coefficient_figure,
    path_to_specification_curve,
    path_to_table,
)
from {{ cookiecutter.project_slug }}.final.latex import escape
from {{ cookiecutter.project_slug }}.paper.config import (
    PAPER_SOURCE,
    PATH_TO_PAPER,
    PATH_TO_RESULTS,
)

NO_LATEX = (
    "The paper is not built: it needs LaTeX with latexmk. Install TeX Live "
    "(on Debian or Ubuntu: texlive-latex-recommended latexmk) or MiKTeX, then run "
    "pytask again."
)
HAS_LATEX = shutil.which("latexmk") is not None
if not HAS_LATEX:
    # One line while pytask collects, instead of a failed task and its traceback.
    print(NO_LATEX)

LATEX_FIGURE = Template(r"""\begin{figure}[htbp]
\centering
\includegraphics[width=$width\textwidth]{$path}
\caption{$caption}
\label{fig:$name}
\end{figure}""")
TABLE_PATHS = [path_to_table(name, "tex") for name in TABLES]
CURVE_PATHS = {
    curve_id(term): path_to_specification_curve(term, "png")
    for term in EFFECTS_OF_INTEREST
}
FIGURE_PATHS = {
    name: path_to_coefficient_figure(name)
    for name in (ESTIMATIONS if COEFFICIENT_FIGURES else [])
}
# What a curve's points are, as the tables show them.
SCALE = (
    "average marginal effects for logit, probit and binomial models, coefficients "
    "for the others"
    if MARGINAL_EFFECTS
    else "coefficients"
)


def relative_to_paper(path: Path) -> str:
    """Return a path as LaTeX reads it: relative to paper.tex, where latexmk runs."""
    return Path(os.path.relpath(path, PAPER_SOURCE.parent)).as_posix()


def _list_results() -> dict[str, Any]:
    """Return the paths of the tables and figures, and each figure's caption."""
    figures = {}
    for term in EFFECTS_OF_INTEREST:
        label = escape(VARIABLE_LABELS.get(term, term))
        figures[f"curve_{curve_id(term)}"] = {
            "path": relative_to_paper(CURVE_PATHS[curve_id(term)]),
            "width": "0.9",
            "caption": f"Specification curve: {label}. Its effect in each estimation "
            f"that has it ({escape(SCALE)}), sorted, with 95\\% intervals, coloured if "
            "significant at 5\\%; below, the data, model and covariance of each. The "
            "legend gives the median and the share significant.",
        }
    for name, path in FIGURE_PATHS.items():
        model, data = ESTIMATIONS[name]["model"], ESTIMATIONS[name]["data"]
        title = f"{MODEL_LABELS.get(model, model)}: {DATA_LABELS.get(data, data)}"
        figures[name] = {
            "path": relative_to_paper(path),
            "width": "0.65",
            "caption": f"{escape(title)}. Coefficients with 95\\% confidence "
            "intervals, each panel on its own scale.",
        }
    return {"tables": list(map(relative_to_paper, TABLE_PATHS)), "figures": figures}


# A hashed PythonNode: the list changes with the tables, estimations and labels.
@task(
    kwargs={
        "results": PythonNode(value=_list_results(), hash=hash_json),
        "path_to_results": PATH_TO_RESULTS,
    }
)
def task_list_results(
    results: dict[str, Any], path_to_results: Annotated[Path, Product]
) -> None:
    """List the tables, then the figures two to a page, for paper.tex to input."""
    lines = ["\\input{" + path + "}" for path in results["tables"]]
    for number, (name, figure) in enumerate(results["figures"].items()):
        if number % 2 == 0:
            lines.append(r"\clearpage")
        lines.append(LATEX_FIGURE.substitute(figure, name=name))
    path_to_results.write_text("\n".join(lines) + "\n")


@pytask.mark.skipif(not HAS_LATEX, reason=NO_LATEX)
@pytask.mark.latex(script=PAPER_SOURCE, document=PATH_TO_PAPER)
def task_compile_paper(
    results: Path = PATH_TO_RESULTS,
    tables: list[Path] = TABLE_PATHS,
    curves: dict[str, Path] = CURVE_PATHS,
    figures: dict[str, Path] = FIGURE_PATHS,
) -> None:
    """Compile the paper; pytask-latex runs latexmk in place of this body.

    The tables and figures are dependencies: a changed one recompiles the paper.
    """
