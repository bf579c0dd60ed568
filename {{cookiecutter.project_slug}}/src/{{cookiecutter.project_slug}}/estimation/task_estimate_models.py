"""Fit one model to one prepared data set per entry of ``ESTIMATIONS``."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pytask
from pytask import Product, PythonNode, task

from {{ cookiecutter.project_slug }}.config import hash_json
from {{ cookiecutter.project_slug }}.data_preparation.config import (
    DATA,
    path_to_processed_data,
)
from {{ cookiecutter.project_slug }}.estimation.config import (
    ESTIMATIONS,
    MODELS,
    PERSIST,
    path_to_estimation_result,
    path_to_estimation_summary,
    path_to_estimation_table,
)

if TYPE_CHECKING:
    import pandas as pd
    from statsmodels.base.model import LikelihoodModelResults


def _create_parametrization(
    estimations: dict[str, dict[str, str]],
) -> dict[str, dict[str, Any]]:
    """Map each task id to the keyword arguments of its task."""
    id_to_kwargs = {}
    for name, estimation in estimations.items():
        data = DATA[estimation["data"]]
        formula = f"{data['outcome']} ~ {' + '.join(data['covariates'])}"
        id_to_kwargs[name] = {
            "path_to_data": path_to_processed_data(estimation["data"]),
            # A hashed PythonNode makes the formula and the model's entry in MODELS a
            # dependency: editing one model reruns only its estimations. One node for
            # both keeps pytask's bookkeeping per task small.
            "specification": PythonNode(
                value={"formula": formula, "model": MODELS[estimation["model"]]},
                hash=hash_json,
            ),
            "path_to_result": path_to_estimation_result(name),
            # The coefficients in Markdown, with the formula, and as a LaTeX table.
            "paths_to_tables": {
                "md": path_to_estimation_summary(name),
                "tex": path_to_estimation_table(name),
            },
        }
    return id_to_kwargs


def fit_model(
    specification: dict[str, Any], data: "pd.DataFrame"
) -> "LikelihoodModelResults":
    """Fit the formula with the statsmodels estimator and fit options of the model."""
    import statsmodels.formula.api as smf  # noqa: PLC0415 (keeps collection fast)

    model = specification["model"]
    estimator = getattr(smf, model["estimator"])
    return estimator(specification["formula"], data=data).fit(**model["fit"])


def summarize(result: "LikelihoodModelResults", formula: str) -> str:
    """Describe a fit in Markdown: the formula, the sample size and the coefficients."""
    coefficients = result.summary2().tables[1].to_markdown(floatfmt=".4f")
    return (
        f"`{formula}` fitted by {type(result.model).__name__}, "
        f"{int(result.nobs)} observations, covariance: {result.cov_type}\n\n"
        f"{coefficients}\n"
    )


def tabulate_in_latex(result: "LikelihoodModelResults") -> str:
    """Write the coefficients as a LaTeX tabular, rounded like the Markdown summary."""
    from statsmodels.iolib.table import SimpleTable  # noqa: PLC0415 (keeps collection fast)

    coefficients = result.summary2().tables[1]
    cells = [[f"{value:.4f}" for value in row] for row in coefficients.to_numpy()]
    # SimpleTable escapes LaTeX's special characters in names, e.g. "_" and "%".
    table = SimpleTable(
        cells, headers=list(coefficients.columns), stubs=list(coefficients.index)
    )
    return table.as_latex_tabular()


for id_, kwargs in _create_parametrization(ESTIMATIONS).items():
    # The id is part of the name because pytask appends ids only to names that
    # repeat: with a single entry it would drop the id, which -k and pytask's
    # record of past runs rely on.
    @task(name=f"task_estimate_model[{id_}]", kwargs=kwargs)
    def task_estimate_model(
        path_to_data: Path,
        specification: dict[str, Any],
        path_to_result: Annotated[Path, Product],
        paths_to_tables: Annotated[dict[str, Path], Product],
    ) -> None:
        """Fit one model to one prepared data set; save the fit and its tables."""
        import pandas as pd  # noqa: PLC0415 (keeps collection fast)

        result = fit_model(specification, pd.read_pickle(path_to_data))
        result.save(path_to_result)
        paths_to_tables["md"].write_text(summarize(result, specification["formula"]))
        paths_to_tables["tex"].write_text(tabulate_in_latex(result))

    if id_ in PERSIST:
        pytask.mark.persist(task_estimate_model)
