"""Set estimations side by side in journal tables and plot the coefficients of each.

The figures' task ids are the estimation ids, so ``pytask -k <estimation id>`` also
draws that estimation's figure. Each task reads only the labels it can show, so editing
one label reruns exactly the tables and figures that show it.

"""

from __future__ import annotations

import json
import re
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Annotated, Any

from pytask import Product, PythonNode, task

from {{ cookiecutter.project_slug }}.config import hash_json
from {{ cookiecutter.project_slug }}.data_preparation.config import DATA
from {{ cookiecutter.project_slug }}.estimation.config import (
    ESTIMATIONS,
    MODELS,
    path_to_estimation_result,
)
from {{ cookiecutter.project_slug }}.final.config import (
    COEFFICIENT_FIGURE,
    COVARIANCE_LABELS,
    DATA_LABELS,
    MODEL_LABELS,
    TABLE_FORMAT,
    TABLES,
    VARIABLE_LABELS,
    path_to_coefficient_figure,
    path_to_table,
)
from {{ cookiecutter.project_slug }}.final.latex import escape

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from statsmodels.base.model import LikelihoodModelResults

# A table's rows: a label and the cell of each column.
Rows = list[tuple[str, list[str]]]
# A coefficient with its stars, or a standard error in parentheses.
NUMBER = re.compile(r"(?P<number>\(?-?\d+\.\d+\)?)(?P<stars>\**)")
# A journal's table: booktabs rules, the note inside the tabular, and scaled down to
# the width of the text only when it is wider.
LATEX_TABLE = Template(r"""\begin{table}[htbp]
\centering
\caption{$caption}
\label{tab:$name}
\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}{\begin{tabular}{@{}l$columns@{}}
\toprule
$rows
\bottomrule
$note
\end{tabular}}
\end{table}
""")
# A line of the note, under the table and as wide as it.
LATEX_NOTE = Template(r"\multicolumn{$width}{@{}l@{}}{\footnotesize $line} \\")


def labels_for(estimations: list[str]) -> dict[str, dict[str, str]]:
    """Return the labels that a table or figure of these estimations can show.

    A variable's label counts if its name occurs in the estimations' entries of DATA
    or MODELS ("C(region)[T.South]" by "C(region)"); "Intercept" always does.
    """
    entries = [ESTIMATIONS[name] for name in estimations]
    text = compact_json(
        [DATA[e["data"]] for e in entries] + [MODELS[e["model"]] for e in entries]
    )
    return {
        "variables": {
            term: label
            for term, label in VARIABLE_LABELS.items()
            if term == "Intercept" or compact_json(term.split("[")[0])[1:-1] in text
        },
        "models": {
            e["model"]: MODEL_LABELS.get(e["model"], e["model"]) for e in entries
        },
        "data": {e["data"]: DATA_LABELS.get(e["data"], e["data"]) for e in entries},
        "covariance": COVARIANCE_LABELS,
    }


def fixed_effects_of(estimations: list[str]) -> dict[str, list[str]]:
    """Return the columns whose fixed effects each estimation fits."""
    return {
        name: DATA[ESTIMATIONS[name]["data"]].get("fixed_effects", [])
        for name in estimations
    }


def is_dummy_of(term: str, columns: list[str]) -> bool:
    """Tell whether a term is a dummy of a fixed effect, ``C(column)[T.level]``."""
    return any(term.startswith(f"C({column})[") for column in columns)


def compact_json(value: object) -> str:
    """Return a value as JSON text without spaces, to find names in config entries."""
    return json.dumps(value).replace(" ", "")


def _create_table_parametrization() -> dict[str, dict[str, Any]]:
    """Map each table's id to the keyword arguments of its task."""
    return {
        name: {
            "paths_to_results": {
                estimation: path_to_estimation_result(estimation)
                for estimation in table["estimations"]
            },
            # Hashed PythonNodes make the table's entry, its labels and the format
            # dependencies of this table alone.
            "table": PythonNode(
                value={
                    "name": name,
                    **table,
                    "labels": labels_for(table["estimations"]),
                    "fixed_effects": fixed_effects_of(table["estimations"]),
                    "format": TABLE_FORMAT,
                },
                hash=hash_json,
            ),
            "paths_to_tables": {fmt: path_to_table(name, fmt) for fmt in ("md", "tex")},
        }
        for name, table in TABLES.items()
    }


def _create_figure_parametrization() -> dict[str, dict[str, Any]]:
    """Map each figure's task id, the id of its estimation, to its keyword arguments."""
    return {
        name: {
            "path_to_result": path_to_estimation_result(name),
            "figure": PythonNode(
                value={
                    "name": name,
                    "labels": labels_for([name]),
                    "fixed_effects": fixed_effects_of([name])[name],
                    "options": COEFFICIENT_FIGURE,
                },
                hash=hash_json,
            ),
            "path_to_figure": path_to_coefficient_figure(name),
        }
        for name in ESTIMATIONS
    }


for id_, kwargs in _create_table_parametrization().items():
    # The id is part of the name because pytask appends ids only to names that
    # repeat: with a single table it would drop the id, which -k relies on.
    @task(name=f"task_tabulate_estimations[{id_}]", kwargs=kwargs)
    def task_tabulate_estimations(
        paths_to_results: dict[str, Path],
        table: dict[str, Any],
        paths_to_tables: Annotated[dict[str, Path], Product],
    ) -> None:
        """Write one table of estimations side by side, in Markdown and LaTeX."""
        results = {name: load_result(path) for name, path in paths_to_results.items()}
        header, body, note = tabulate(results, table)
        paths_to_tables["md"].write_text(as_markdown(header, body, note, table))
        paths_to_tables["tex"].write_text(as_latex(header, body, note, table))


for id_, kwargs in _create_figure_parametrization().items():

    @task(name=f"task_plot_coefficients[{id_}]", kwargs=kwargs)
    def task_plot_coefficients(
        path_to_result: Path,
        figure: dict[str, Any],
        path_to_figure: Annotated[Path, Product],
    ) -> None:
        """Plot the coefficients of one estimation."""
        drawing = plot_coefficients(load_result(path_to_result), figure)
        # A PNG gets no timestamp; without the "Software" entry, matplotlib's version,
        # it holds the picture alone, so equal figures are equal files.
        dpi = figure["options"]["dpi"]
        drawing.savefig(path_to_figure, dpi=dpi, metadata={"Software": None})


def load_result(path: Path) -> LikelihoodModelResults:
    """Load a fit that the estimation saved."""
    from statsmodels.iolib.smpickle import load_pickle  # noqa: PLC0415 (keeps collection fast)

    return load_pickle(path)


def title_of(name: str, labels: dict[str, dict[str, str]]) -> str:
    """Return the readable name of an estimation: its model's and its data's labels."""
    estimation = ESTIMATIONS[name]
    model = labels["models"][estimation["model"]]
    return f"{model}: {labels['data'][estimation['data']]}"


def stars(p_value: float, thresholds: list[float]) -> str:
    """Return a star for each threshold that the p-value is below."""
    return "*" * sum(p_value < threshold for threshold in thresholds)


def fit_statistics(result: LikelihoodModelResults) -> dict[str, float]:
    """Return R² of a linear model, or McFadden's pseudo R² of another fit.

    A pyfixest fit took its statistics when it was fitted, with the within R².
    """
    if (statistics := getattr(result, "statistics", None)) is not None:
        return statistics
    if hasattr(result, "rsquared"):
        return {"R²": result.rsquared}
    if hasattr(result, "prsquared"):  # discrete models: Logit, Probit, Poisson...
        return {"Pseudo R²": result.prsquared}
    if hasattr(result, "pseudo_rsquared"):  # GLM
        return {"Pseudo R²": result.pseudo_rsquared(kind="mcf")}
    return {}


def tabulate(
    results: dict[str, LikelihoodModelResults], table: dict[str, Any]
) -> tuple[list[list[str]], Rows, list[str]]:
    """Return the header rows, the body rows (label, cells) and the note, as text."""
    header = header_of(list(results), table["labels"])
    body = coefficient_rows(results, table) + fixed_effect_rows(table)
    body += statistic_rows(results, table)
    return header, body, note_of(results, body, table)


def coefficient_rows(
    results: dict[str, LikelihoodModelResults], table: dict[str, Any]
) -> Rows:
    """Return a row of coefficients with stars and one of standard errors per term.

    A term that a fit lacks leaves its cells empty; the constant comes last. The
    dummies of fixed effects are left to their rows.
    """
    digits, thresholds = table["format"]["digits"], table["format"]["stars"]
    fixed_effects = table.get("fixed_effects", {})
    terms = list(
        dict.fromkeys(
            term
            for name, r in results.items()
            for term in r.params.index
            if not is_dummy_of(term, fixed_effects.get(name, []))
        )
    )
    terms.sort(key=lambda term: term == "Intercept")
    rows = []
    for term in terms:
        coefficients = [
            f"{r.params[term]:.{digits}f}{stars(r.pvalues[term], thresholds)}"
            if term in r.params.index
            else ""
            for r in results.values()
        ]
        errors = [
            f"({r.bse[term]:.{digits}f})" if term in r.params.index else ""
            for r in results.values()
        ]
        label = table["labels"]["variables"].get(term, term)
        rows += [(label, coefficients), ("", errors)]
    return rows


def fixed_effect_rows(table: dict[str, Any]) -> Rows:
    """Return a row per fixed effect: "Yes" where a column fits it, "No" elsewhere."""
    fixed_effects = list(table.get("fixed_effects", {}).values())
    columns = dict.fromkeys(c for cs in fixed_effects for c in cs)
    labels = table["labels"]["variables"]
    return [
        (
            f"{labels.get(column, column)} FE",
            ["Yes" if column in cs else "No" for cs in fixed_effects],
        )
        for column in columns
    ]


def statistic_rows(
    results: dict[str, LikelihoodModelResults], table: dict[str, Any]
) -> Rows:
    """Return the observations, R² or pseudo R², and the covariance if not default."""
    digits, fits = table["format"]["digits"], list(results.values())
    rows = [("Observations", [f"{int(r.nobs)}" for r in fits])]
    statistics = [fit_statistics(r) for r in fits]
    for name in ("R²", "Within R²", "Pseudo R²"):
        if any(name in s for s in statistics):
            cells = [f"{s[name]:.{digits}f}" if name in s else "" for s in statistics]
            rows.append((name, cells))
    if any(r.cov_type != "nonrobust" for r in fits):
        rows.append(("Standard errors", [covariance_of(r, table) for r in fits]))
    return rows


def covariance_of(result: LikelihoodModelResults, table: dict[str, Any]) -> str:
    """Name a fit's covariance, with its clusters where the fit knows them."""
    label = table["labels"]["covariance"].get(result.cov_type, result.cov_type)
    if clusters := getattr(result, "clusters", None):  # a pyfixest fit's
        variables = table["labels"]["variables"]
        label += f" ({', '.join(variables.get(c, c) for c in clusters)})"
    return label


def header_of(names: list[str], labels: dict[str, dict[str, str]]) -> list[list[str]]:
    """Return the column numbers, the models' labels, and the data's if they differ."""
    estimations = [ESTIMATIONS[name] for name in names]
    header = [
        [f"({number})" for number in range(1, len(names) + 1)],
        [labels["models"][e["model"]] for e in estimations],
    ]
    if len({e["data"] for e in estimations}) > 1:
        header.append([labels["data"][e["data"]] for e in estimations])
    return header


def note_of(
    results: dict[str, LikelihoodModelResults], body: Rows, table: dict[str, Any]
) -> list[str]:
    """Explain the parentheses, the stars and, if shown, which pseudo R² it is.

    The note also names the dependent variable when all columns share it. Its lines
    are short, so that it does not widen the table.
    """
    thresholds = sorted(table["format"]["stars"], reverse=True)
    levels = ", ".join(f"{'*' * n} p < {p}" for n, p in enumerate(thresholds, 1))
    note = ["Standard errors in parentheses.", f"{levels}."]
    outcomes = {result.model.endog_names for result in results.values()}
    if len(outcomes) == 1:
        (outcome,) = outcomes
        label = table["labels"]["variables"].get(outcome, outcome)
        note.insert(0, f"Dependent variable: {label}.")
    if any(label == "Pseudo R²" for label, _ in body):
        note.append("Pseudo R²: McFadden's.")
    return note


def as_markdown(
    header: list[list[str]], body: Rows, note: list[str], table: dict[str, Any]
) -> str:
    """Render a table in Markdown, for a quick look."""
    columns = ["", *(" ".join(parts) for parts in zip(*header, strict=True))]
    rows = [
        columns,
        ["---"] * len(columns),
        *([label, *cells] for label, cells in body),
    ]
    lines = [f"| {' | '.join(row)} |" for row in rows]
    # Escaped, the stars of the table and its note do not turn into emphasis.
    text = "\n".join([*lines, "", " ".join(note)]).replace("*", r"\*")
    return f"**{table['caption']}**\n\n{text}\n"


def latex_cell(text: str) -> str:
    """Escape text for LaTeX; set numbers in math, with a real minus and stars."""
    if match := NUMBER.fullmatch(text):
        marks = "^{" + match["stars"] + "}" if match["stars"] else ""
        return f"${match['number']}{marks}$"
    return escape(text)


def is_statistic(label: str) -> bool:
    """Tell whether a row of the body is no coefficient's: a fixed effect's or below."""
    return label == "Observations" or label.endswith(" FE")


def as_latex(
    header: list[list[str]], body: Rows, note: list[str], table: dict[str, Any]
) -> str:
    """Render a booktabs table with caption, label and the note inside the tabular."""
    rows = [" & ".join(["", *map(latex_cell, cells)]) + r" \\" for cells in header]
    rows.append(r"\midrule")
    # A rule under the coefficients: before the fixed effects' rows or the statistics.
    first = next(i for i, (label, _) in enumerate(body) if is_statistic(label))
    for index, (label, cells) in enumerate(body):
        if index == first:
            rows.append(r"\midrule")
        rows.append(" & ".join(map(latex_cell, [label, *cells])) + r" \\")
    return LATEX_TABLE.substitute(
        caption=escape(table["caption"]),
        name=table["name"],
        columns="c" * len(header[0]),
        rows="\n".join(rows),
        note="\n".join(
            LATEX_NOTE.substitute(width=len(header[0]) + 1, line=escape(line))
            for line in note
        ),
    )


def plot_coefficients(result: LikelihoodModelResults, figure: dict[str, Any]) -> Figure:
    """Draw each coefficient with its 95% confidence interval, a panel per term.

    Coefficients differ widely in scale, so each panel has an x-axis of its own.
    """
    # A Figure made without pyplot renders with Agg and holds no global state.
    from matplotlib.figure import Figure  # noqa: PLC0415 (keeps collection fast)

    options, labels = figure["options"], figure["labels"]
    intervals = result.conf_int().drop(index=options["omit"], errors="ignore")
    dummies = [t for t in intervals.index if is_dummy_of(t, figure["fixed_effects"])]
    intervals = intervals.drop(index=dummies)
    drawing = Figure(
        figsize=(options["width"], options["height"]), layout="constrained"
    )
    panels = drawing.subplots(nrows=len(intervals), squeeze=False)[:, 0]
    for axes, (term, (low, high)) in zip(panels, intervals.iterrows(), strict=True):
        estimate = result.params[term]
        axes.errorbar(
            estimate, 0, xerr=[[estimate - low], [high - estimate]], fmt="o", capsize=3
        )
        axes.axvline(0, color="grey", linestyle="--", linewidth=0.8)
        axes.locator_params(axis="x", nbins=5)  # few ticks, readable when small
        axes.set_yticks([0], labels=[labels["variables"].get(term, term)])
    panels[-1].set_xlabel("Coefficient and 95% confidence interval (scale per panel)")
    drawing.suptitle(title_of(figure["name"], labels))
    return drawing
