"""Compare all estimations in one table and plot the coefficients of each.

The figures' task ids are the estimation ids, so ``pytask -k <estimation id>`` also
draws that estimation's figure.

"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pytask import Product, PythonNode, task

from {{ cookiecutter.project_slug }}.config import hash_json
from {{ cookiecutter.project_slug }}.estimation.config import (
    ESTIMATIONS,
    path_to_estimation_result,
)
from {{ cookiecutter.project_slug }}.final.config import (
    COEFFICIENT_FIGURE,
    COMPARISON_TABLE,
    path_to_coefficient_figure,
    path_to_comparison_table,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from statsmodels.base.model import LikelihoodModelResults
    from statsmodels.iolib.summary2 import Summary


def _create_parametrization(estimations: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Map each figure's task id, the id of its estimation, to its keyword arguments."""
    return {
        name: {
            "path_to_result": path_to_estimation_result(name),
            # Hashed PythonNodes make the title and the options dependencies.
            "title": PythonNode(value=name, hash=True),
            "options": PythonNode(value=COEFFICIENT_FIGURE, hash=hash_json),
            "path_to_figure": path_to_coefficient_figure(name),
        }
        for name in estimations
    }


def load_result(path: Path) -> "LikelihoodModelResults":
    """Load a fit that the estimation saved."""
    from statsmodels.iolib.smpickle import load_pickle  # noqa: PLC0415 (keeps collection fast)

    return load_pickle(path)


def compare(
    results: dict[str, "LikelihoodModelResults"], options: dict[str, Any]
) -> "Summary":
    """Set the fits side by side, one column each, with their number of observations."""
    from statsmodels.iolib.summary2 import summary_col  # noqa: PLC0415 (keeps collection fast)

    return summary_col(
        list(results.values()),
        model_names=list(results),
        info_dict={"Observations": lambda result: f"{int(result.nobs)}"},
        **options,
    )


def plot_coefficients(
    result: "LikelihoodModelResults", title: str, options: dict[str, Any]
) -> "Figure":
    """Draw each coefficient with its 95% confidence interval."""
    # A Figure made without pyplot renders with Agg and holds no global state.
    from matplotlib.figure import Figure  # noqa: PLC0415 (keeps collection fast)

    intervals = result.conf_int().drop(index=options["omit"], errors="ignore")
    estimates = result.params[intervals.index]
    figure = Figure(figsize=(options["width"], options["height"]), layout="constrained")
    axes = figure.subplots()
    positions = range(len(estimates))
    errors = [estimates - intervals[0], intervals[1] - estimates]
    axes.errorbar(estimates, positions, xerr=errors, fmt="o", capsize=3)
    axes.axvline(0, color="grey", linestyle="--", linewidth=0.8)
    axes.set_yticks(positions, labels=estimates.index)
    axes.invert_yaxis()
    axes.set_xlabel("Coefficient and 95% confidence interval")
    axes.set_title(title)
    return figure


@task(
    kwargs={
        "paths_to_results": {
            name: path_to_estimation_result(name) for name in ESTIMATIONS
        },
        "options": PythonNode(value=COMPARISON_TABLE, hash=hash_json),
        "path_to_markdown": path_to_comparison_table("md"),
        "path_to_latex": path_to_comparison_table("tex"),
    }
)
def task_compare_estimations(
    paths_to_results: dict[str, Path],
    options: dict[str, Any],
    path_to_markdown: Annotated[Path, Product],
    path_to_latex: Annotated[Path, Product],
) -> None:
    """Write one table of all estimations side by side, in Markdown and LaTeX."""
    results = {name: load_result(path) for name, path in paths_to_results.items()}
    summary = compare(results, options)
    summary.add_title("Coefficients of all estimations")
    # Escaped, the stars of the significance note do not turn into Markdown emphasis.
    notes = [text.replace("*", r"\*") for text in summary.extra_txt]
    table = summary.tables[0].to_markdown()
    path_to_markdown.write_text("\n\n".join([table, *notes]) + "\n")
    path_to_latex.write_text(summary.as_latex(label="tab:comparison") + "\n")


for id_, kwargs in _create_parametrization(ESTIMATIONS).items():
    # The id is part of the name because pytask appends ids only to names that
    # repeat: with a single estimation it would drop the id, which -k relies on.
    @task(name=f"task_plot_coefficients[{id_}]", kwargs=kwargs)
    def task_plot_coefficients(
        path_to_result: Path,
        title: str,
        options: dict[str, Any],
        path_to_figure: Annotated[Path, Product],
    ) -> None:
        """Plot the coefficients of one estimation."""
        figure = plot_coefficients(load_result(path_to_result), title, options)
        # A PNG gets no timestamp; without the "Software" entry, matplotlib's version,
        # it holds the picture alone, so equal figures are equal files.
        figure.savefig(path_to_figure, dpi=options["dpi"], metadata={"Software": None})
