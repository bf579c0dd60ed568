"""Tabulate comparable effects side by side; plot specification curves across them.

Tables set estimations side by side on one scale; a specification curve plots an
effect of interest across all of them; on request, a figure shows each fit's
coefficients. All read each fit's record (``bld/estimation/<id>.json``, see the
template's ``summaries.py``): its numbers as they were when it was fitted, which a
reloaded pickle does not always give.

A curve's task id is its term's (``curve_id``): ``pytask -k income`` draws the curve of
income. A coefficient figure's task id is its estimation's, so ``pytask -k <estimation
id>`` also draws it. Each task reads only the labels it can show, so editing one label
reruns exactly the tables and figures that show it.

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
    path_to_estimation_record,
)
from {{ cookiecutter.project_slug }}.final.config import (
    COEFFICIENT_FIGURE,
    COEFFICIENT_FIGURES,
    COVARIANCE_LABELS,
    DATA_LABELS,
    EFFECTS_OF_INTEREST,
    MARGINAL_EFFECTS,
    MODEL_LABELS,
    SPECIFICATION_CURVE,
    TABLE_FORMAT,
    TABLES,
    VARIABLE_LABELS,
    curve_id,
    path_to_coefficient_figure,
    path_to_specification_curve,
    path_to_table,
)
from {{ cookiecutter.project_slug }}.final.curve import (
    curve_of,
    plot_specification_curve,
)
from {{ cookiecutter.project_slug }}.final.effects import (
    Record,
    effects_of,
    load_record,
    shows_marginal_effects,
)
from {{ cookiecutter.project_slug }}.final.latex import escape

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

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


def is_dummy_of(term: str, columns: list[str]) -> bool:
    """Tell whether a term is a dummy of a fixed effect, ``C(column)[T.level]``."""
    return any(term.startswith(f"C({column})[") for column in columns)


def without_dummies(effects: pd.DataFrame, fixed_effects: list[str]) -> pd.DataFrame:
    """Drop the dummies of fixed effects, which their own rows stand for."""
    dummies = [term for term in effects.index if is_dummy_of(term, fixed_effects)]
    return effects.drop(index=dummies)


def compact_json(value: object) -> str:
    """Return a value as JSON text without spaces, to find names in config entries."""
    return json.dumps(value).replace(" ", "")


def _create_table_parametrization() -> dict[str, dict[str, Any]]:
    """Map each table's id to the keyword arguments of its task."""
    return {
        name: {
            "paths_to_records": {
                estimation: path_to_estimation_record(estimation)
                for estimation in table["estimations"]
            },
            # Hashed PythonNodes make the table's entry, its labels and the format
            # dependencies of this table alone.
            "table": PythonNode(
                value={
                    "name": name,
                    **table,
                    "labels": labels_for(table["estimations"]),
                    "format": TABLE_FORMAT,
                    "marginal_effects": MARGINAL_EFFECTS,
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
            "path_to_record": path_to_estimation_record(name),
            "figure": PythonNode(
                value={
                    "name": name,
                    "labels": labels_for([name]),
                    "options": COEFFICIENT_FIGURE,
                },
                hash=hash_json,
            ),
            "path_to_figure": path_to_coefficient_figure(name),
        }
        for name in (ESTIMATIONS if COEFFICIENT_FIGURES else [])
    }


def _create_curve_parametrization() -> dict[str, dict[str, Any]]:
    """Map each curve's task id, its term's ``curve_id``, to its keyword arguments.

    A curve depends on the fits of the estimations whose data specification names its
    term, as a covariate or inside one (``np.log(income)`` for ``income``).
    """
    id_to_kwargs = {}
    for term in EFFECTS_OF_INTEREST:
        shown = [name for name in ESTIMATIONS if may_have(name, term)]
        labels = labels_for(shown)
        id_to_kwargs[curve_id(term)] = {
            "paths_to_records": {
                name: path_to_estimation_record(name) for name in shown
            },
            "curve": PythonNode(
                value={
                    "term": term,
                    "estimations": {name: ESTIMATIONS[name] for name in shown},
                    "labels": {
                        "variables": {term: VARIABLE_LABELS.get(term, term)},
                        "models": labels["models"],
                        "data": labels["data"],
                        "covariance": COVARIANCE_LABELS,
                    },
                    "marginal_effects": MARGINAL_EFFECTS,
                    "digits": TABLE_FORMAT["digits"],
                    "options": SPECIFICATION_CURVE,
                },
                hash=hash_json,
            ),
            "paths_to_curve": {
                fmt: path_to_specification_curve(term, fmt) for fmt in ("png", "csv")
            },
        }
    return id_to_kwargs


def may_have(name: str, term: str) -> bool:
    """Return whether the data specification of an estimation names ``term``."""
    covariates = DATA[ESTIMATIONS[name]["data"]]["covariates"]
    return compact_json(term.partition("[")[0])[1:-1] in compact_json(covariates)


for id_, kwargs in _create_table_parametrization().items():
    # The id is part of the name because pytask appends ids only to names that
    # repeat: with a single table it would drop the id, which -k relies on.
    @task(name=f"task_tabulate_estimations[{id_}]", kwargs=kwargs)
    def task_tabulate_estimations(
        paths_to_records: dict[str, Path],
        table: dict[str, Any],
        paths_to_tables: Annotated[dict[str, Path], Product],
    ) -> None:
        """Write one table of estimations side by side, in Markdown and LaTeX."""
        results = {name: load_record(path) for name, path in paths_to_records.items()}
        header, body, note = tabulate(results, table)
        paths_to_tables["md"].write_text(as_markdown(header, body, note, table))
        paths_to_tables["tex"].write_text(as_latex(header, body, note, table))


for id_, kwargs in _create_figure_parametrization().items():

    @task(name=f"task_plot_coefficients[{id_}]", kwargs=kwargs)
    def task_plot_coefficients(
        path_to_record: Path,
        figure: dict[str, Any],
        path_to_figure: Annotated[Path, Product],
    ) -> None:
        """Plot the coefficients of one estimation."""
        drawing = plot_coefficients(load_record(path_to_record), figure)
        # A PNG gets no timestamp; without the "Software" entry, matplotlib's version,
        # it holds the picture alone, so equal figures are equal files.
        dpi = figure["options"]["dpi"]
        drawing.savefig(path_to_figure, dpi=dpi, metadata={"Software": None})


for id_, kwargs in _create_curve_parametrization().items():

    @task(name=f"task_plot_specification_curve[{id_}]", kwargs=kwargs)
    def task_plot_specification_curve(
        paths_to_records: dict[str, Path],
        curve: dict[str, Any],
        paths_to_curve: Annotated[dict[str, Path], Product],
    ) -> None:
        """Plot one effect of interest across the estimations; save its data as CSV."""
        records = {name: load_record(path) for name, path in paths_to_records.items()}
        effects = {
            name: effects_of(record, curve["marginal_effects"])
            for name, record in records.items()
        }
        points = curve_of(effects, curve)
        drawing = plot_specification_curve(points, with_covariances(curve, records))
        dpi = curve["options"]["dpi"]
        drawing.savefig(paths_to_curve["png"], dpi=dpi, metadata={"Software": None})
        points.to_csv(paths_to_curve["csv"], index=False)


def with_covariances(
    curve: dict[str, Any], records: dict[str, Record]
) -> dict[str, Any]:
    """Add to each estimation of a curve the covariance that its fit computed."""
    estimations = {
        name: entry | {"covariance": records[name].covariance}
        for name, entry in curve["estimations"].items()
    }
    return curve | {"estimations": estimations}


def title_of(name: str, labels: dict[str, dict[str, str]]) -> str:
    """Return the readable name of an estimation: its model's and its data's labels."""
    estimation = ESTIMATIONS[name]
    model = labels["models"][estimation["model"]]
    return f"{model}: {labels['data'][estimation['data']]}"


def stars(p_value: float, thresholds: list[float]) -> str:
    """Return a star for each threshold that the p-value is below."""
    return "*" * sum(p_value < threshold for threshold in thresholds)


def tabulate(
    results: dict[str, Record], table: dict[str, Any]
) -> tuple[list[list[str]], Rows, list[str]]:
    """Return the header rows, the body rows (label, cells) and the note, as text."""
    header = header_of(list(results), table["labels"])
    effects = [
        without_dummies(effects_of(r, table["marginal_effects"]), r.fixed_effects)
        for r in results.values()
    ]
    body = effect_rows(effects, table) + fixed_effect_rows(results, table)
    body += instrumented_rows(results, table) + statistic_rows(results, table)
    return header, body, note_of(results, body, table)


def effect_rows(effects: list[pd.DataFrame], table: dict[str, Any]) -> Rows:
    """Return a row of effects with stars and one of standard errors per term.

    A term that a column lacks leaves its cell empty; the constant comes last.
    """
    digits, thresholds = table["format"]["digits"], table["format"]["stars"]
    terms = list(dict.fromkeys(term for frame in effects for term in frame.index))
    terms.sort(key=lambda term: term == "Intercept")
    rows = []
    for term in terms:
        cells = [frame.loc[term] if term in frame.index else None for frame in effects]
        estimates = [
            f"{c['estimate']:.{digits}f}{stars(c['p_value'], thresholds)}"
            if c is not None
            else ""
            for c in cells
        ]
        errors = [
            f"({c['std_error']:.{digits}f})" if c is not None else "" for c in cells
        ]
        label = table["labels"]["variables"].get(term, term)
        rows += [(label, estimates), ("", errors)]
    return rows


def fixed_effect_rows(results: dict[str, Record], table: dict[str, Any]) -> Rows:
    """Return a row per fixed effect: "Yes" where a column fits it, "No" elsewhere."""
    fixed_effects = [r.fixed_effects for r in results.values()]
    columns = dict.fromkeys(c for cs in fixed_effects for c in cs)
    labels = table["labels"]["variables"]
    return [
        (
            f"{labels.get(column, column)} FE",
            ["Yes" if column in cs else "No" for cs in fixed_effects],
        )
        for column in columns
    ]


def instrumented_rows(results: dict[str, Record], table: dict[str, Any]) -> Rows:
    """Return a row naming the instrumented covariates of each column, if any has."""
    if not any(r.instrumented for r in results.values()):
        return []
    labels = table["labels"]["variables"]
    cells = [
        ", ".join(labels.get(term, term) for term in r.instrumented)
        for r in results.values()
    ]
    return [("Instrumented", cells)]


def statistic_rows(results: dict[str, Record], table: dict[str, Any]) -> Rows:
    """Return the observations, R² or pseudo R², and the covariance if not default."""
    digits, fits = table["format"]["digits"], list(results.values())
    rows = [("Observations", [f"{int(r.nobs)}" for r in fits])]
    # The fit's own, as recorded when it was fitted: R² (and the within R² of a fit
    # with fixed effects), or McFadden's pseudo R².
    statistics = [r.statistics for r in fits]
    for name in ("R²", "Within R²", "Pseudo R²"):
        if any(name in s for s in statistics):
            cells = [f"{s[name]:.{digits}f}" if name in s else "" for s in statistics]
            rows.append((name, cells))
    if any(r.covariance != "nonrobust" for r in fits):
        rows.append(("Standard errors", [covariance_of(r, table) for r in fits]))
    return rows


def covariance_of(result: Record, table: dict[str, Any]) -> str:
    """Name a fit's covariance, with its clusters where the record names them."""
    label = table["labels"]["covariance"].get(result.covariance, result.covariance)
    if result.clusters:
        variables = table["labels"]["variables"]
        label += f" by {' and '.join(variables.get(c, c) for c in result.clusters)}"
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


def note_of(results: dict[str, Record], body: Rows, table: dict[str, Any]) -> list[str]:
    """Explain the effects, the parentheses, the stars and which pseudo R² it is.

    The note also names the dependent variable when all columns share it. Its lines
    are short, so that it does not widen the table.
    """
    thresholds = sorted(table["format"]["stars"], reverse=True)
    levels = ", ".join(f"{'*' * n} p < {p}" for n, p in enumerate(thresholds, 1))
    note = [
        *scale_note(results, table),
        "Standard errors in parentheses.",
        f"{levels}.",
    ]
    outcomes = {result.outcome for result in results.values()}
    if len(outcomes) == 1:
        (outcome,) = outcomes
        label = table["labels"]["variables"].get(outcome, outcome)
        note.insert(0, f"Dependent variable: {label}.")
    if any(label == "Pseudo R²" for label, _ in body):
        note.append("Pseudo R²: McFadden's.")
    stopped = [f"({n})" for n, r in enumerate(results.values(), 1) if not r.converged]
    if stopped:
        note.append(f"Not converged: {', '.join(stopped)}.")
    return note


def scale_note(results: dict[str, Record], table: dict[str, Any]) -> list[str]:
    """Say which columns show average marginal effects, if any do."""
    marginal = [
        f"({number})"
        for number, result in enumerate(results.values(), 1)
        if shows_marginal_effects(result, table["marginal_effects"])
    ]
    if not marginal:
        return []
    columns = "Column" if len(marginal) == 1 else "Columns"
    note = [
        f"{columns} {', '.join(marginal)}: average marginal effects, no constant;",
        "their standard errors by the delta method (statsmodels).",
    ]
    if len(marginal) < len(results):
        note.append("Other columns: coefficients.")
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


def plot_coefficients(result: Record, figure: dict[str, Any]) -> Figure:
    """Draw each coefficient with its 95% confidence interval, a panel per term.

    Coefficients differ widely in scale, so each panel has an x-axis of its own.
    """
    # A Figure made without pyplot renders with Agg and holds no global state.
    from matplotlib.figure import Figure  # noqa: PLC0415 (keeps collection fast)

    options, labels = figure["options"], figure["labels"]
    coefficients = without_dummies(result.coefficients, result.fixed_effects)
    coefficients = coefficients.drop(index=options["omit"], errors="ignore")
    drawing = Figure(
        figsize=(options["width"], options["height"]), layout="constrained"
    )
    panels = drawing.subplots(nrows=len(coefficients), squeeze=False)[:, 0]
    rows = coefficients[["estimate", "lower", "upper"]].iterrows()
    for axes, (term, (estimate, low, high)) in zip(panels, rows, strict=True):
        axes.errorbar(
            estimate, 0, xerr=[[estimate - low], [high - estimate]], fmt="o", capsize=3
        )
        axes.axvline(0, color="grey", linestyle="--", linewidth=0.8)
        axes.locator_params(axis="x", nbins=5)  # few ticks, readable when small
        axes.set_yticks([0], labels=[labels["variables"].get(term, term)])
    panels[-1].set_xlabel("Coefficient and 95% confidence interval (scale per panel)")
    drawing.suptitle(title_of(figure["name"], labels))
    return drawing
