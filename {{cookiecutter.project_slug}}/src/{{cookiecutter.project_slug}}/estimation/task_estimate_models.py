"""Fit one model to one prepared data set per entry of ``ESTIMATIONS``."""

from __future__ import annotations

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
    COLUMN_ARGUMENTS,
    COLUMN_COV_KWDS,
    ESTIMATIONS,
    MODELS,
    PERSIST,
    path_to_estimation_record,
    path_to_estimation_result,
    path_to_estimation_summary,
    path_to_estimation_table,
)
from {{ cookiecutter.project_slug }}_template import fixest, summaries

if TYPE_CHECKING:
    import pandas as pd
    from statsmodels.base.model import LikelihoodModelResults


def _create_parametrization(
    estimations: dict[str, dict[str, str]],
) -> dict[str, dict[str, Any]]:
    """Map each task id to the keyword arguments of its task."""
    id_to_kwargs = {}
    for name, estimation in estimations.items():
        data, model = DATA[estimation["data"]], MODELS[estimation["model"]]
        id_to_kwargs[name] = {
            "path_to_data": path_to_processed_data(estimation["data"]),
            # A hashed PythonNode makes the formula and the model's entry in MODELS a
            # dependency: editing one model reruns only its estimations. One node for
            # all keeps pytask's bookkeeping per task small.
            "specification": PythonNode(
                value={
                    "formula": formula_of(data, model["estimator"]),
                    "estimation": name,
                    "model_name": estimation["model"],
                    "data_name": estimation["data"],
                    "fixed_effects": data.get("fixed_effects", []),
                    "model": model,
                },
                hash=hash_json,
            ),
            # The template's code that this estimation runs: dependencies, so that
            # updating it (cruft update) reruns what it made.
            "paths_to_template_code": template_code_of(model["estimator"]),
            "path_to_result": path_to_estimation_result(name),
            # The coefficients in Markdown, with the formula, and as a LaTeX table;
            # the record of the fit that tables read, in JSON.
            "paths_to_tables": {
                "md": path_to_estimation_summary(name),
                "tex": path_to_estimation_table(name),
                "json": path_to_estimation_record(name),
            },
        }
    return id_to_kwargs


def template_code_of(estimator: str) -> list[Path]:
    """Return the template's modules that fit with ``estimator`` and summarize."""
    modules = [fixest, summaries] if fixest.is_fixest(estimator) else [summaries]
    return [Path(module.__file__) for module in modules]


def formula_of(data: dict[str, Any], estimator: str) -> str:
    """Return the formula of a data specification for the estimator's library.

    pyfixest absorbs the fixed effects (fixest's ``y ~ x | fe``); statsmodels fits
    them as ``C(column)`` terms.
    """
    if fixest.is_fixest(estimator):
        return fixest.formula(data)
    fixed_effects = [f"C({column})" for column in data.get("fixed_effects", [])]
    terms = " + ".join(data["covariates"] + fixed_effects) or "1"
    return f"{data['outcome']} ~ {terms}"


for id_, kwargs in _create_parametrization(ESTIMATIONS).items():
    # The id is part of the name because pytask appends ids only to names that
    # repeat: with a single entry it would drop the id, which -k and pytask's
    # record of past runs rely on.
    @task(name=f"task_estimate_model[{id_}]", kwargs=kwargs)
    def task_estimate_model(
        path_to_data: Path,
        specification: dict[str, Any],
        paths_to_template_code: list[Path],
        path_to_result: Annotated[Path, Product],
        paths_to_tables: Annotated[dict[str, Path], Product],
    ) -> None:
        """Fit one model to one prepared data set; save the fit and its summaries."""
        import pandas as pd  # noqa: PLC0415 (keeps collection fast)

        data = pd.read_parquet(path_to_data)
        try:
            result = fit_model(specification["model"], specification["formula"], data)
            summaries.check_finite(result)
        except Exception as error:
            # A fit that statsmodels refuses fails this task in one line.
            if failed := summaries.fit_failed(error, specification):
                raise failed from None
            raise
        # Everything is computed before anything is written, so that a failure leaves
        # no result behind.
        dropped = len(data) - len(result.model.data.row_labels)
        texts = {
            "md": summaries.summarize(result, specification, dropped),
            "tex": summaries.tabulate_in_latex(result),
            "json": summaries.record(result, specification, dropped),
        }
        result.save(path_to_result)
        for fmt, text in texts.items():
            paths_to_tables[fmt].write_text(text)

    if id_ in PERSIST:
        pytask.mark.persist(task_estimate_model)


def fit_model(
    model: dict[str, Any], formula: str, data: pd.DataFrame
) -> LikelihoodModelResults | fixest.FixestResult:
    """Fit the formula with the estimator, arguments and fit options of ``model``.

    This is the one place that fits: a custom estimator goes here. Rows that lack a
    column the model names, such as weights, or a value of a term are dropped first,
    so that arrays beside the formula, such as clusters, follow the model's rows.
    A pyfixest estimator fits in the template's ``fixest.py``, which keeps what the
    outputs need of its fit.
    """
    if fixest.is_fixest(model["estimator"]):
        return fixest.fit(model, formula, data)
    # Formula terms such as np.log(x) find np in the namespace of this function.
    import numpy as np  # noqa: F401, PLC0415
    import patsy  # noqa: PLC0415
    import statsmodels.formula.api as smf  # noqa: PLC0415 (keeps collection fast)

    arguments = model.get("arguments", {})
    options = dict(model.get("fit", {}))
    cov_kwds = options.get("cov_kwds", {})
    rows = data.dropna(
        subset=[arguments[key] for key in COLUMN_ARGUMENTS & arguments.keys()]
        + [cov_kwds[key] for key in COLUMN_COV_KWDS & cov_kwds.keys()]
    )
    # Also the rows where a term is undefined (np.sqrt(-1)): some estimators refuse
    # them rather than drop them, and arrays beside the formula must follow them.
    rows = rows.loc[patsy.dmatrices(formula, rows, return_type="dataframe")[0].index]
    estimator = getattr(smf, model["estimator"])
    fitted = estimator(formula, data=rows, **resolve_arguments(arguments, rows))
    if cov_kwds:
        fitted_rows = rows.loc[fitted.data.row_labels]
        options["cov_kwds"] = with_columns(cov_kwds, COLUMN_COV_KWDS, fitted_rows)
    return fitted.fit(**options)


def resolve_arguments(arguments: dict[str, Any], rows: pd.DataFrame) -> dict[str, Any]:
    """Turn the names in an estimator's arguments into what statsmodels takes.

    Columns become arrays, and a family's name, with its link's, becomes the family.
    """
    from statsmodels.genmod import families  # noqa: PLC0415 (keeps collection fast)

    resolved = with_columns(arguments, COLUMN_ARGUMENTS, rows)
    if "family" in resolved:
        family, link = getattr(families, resolved["family"]), resolved.pop("link", None)
        links = {} if link is None else {"link": getattr(families.links, link)()}
        resolved["family"] = family(**links)
    return resolved


def with_columns(
    options: dict[str, Any], keys: set[str], rows: pd.DataFrame
) -> dict[str, Any]:
    """Replace the values of ``keys``, names of columns, by the columns' values."""
    return {
        key: rows[value].to_numpy() if key in keys else value
        for key, value in options.items()
    }
