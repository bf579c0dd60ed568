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
from {{ cookiecutter.project_slug }}.estimation import rules
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
    from statsmodels.base.model import LikelihoodModelResults, Model
    from statsmodels.genmod.families import Family


def _create_parametrization(
    estimations: dict[str, dict[str, str]],
) -> dict[str, dict[str, Any]]:
    """Map each task id to the keyword arguments of its task.

    A mistake in the configuration stops pytask here, before any task runs.
    """
    rules.stop_at_first(rules.problems(DATA, MODELS))
    id_to_kwargs = {}
    for name, estimation in estimations.items():
        data, model = DATA[estimation["data"]], MODELS[estimation["model"]]
        covariates = " + ".join(data["covariates"]) or "1"
        id_to_kwargs[name] = {
            "path_to_data": path_to_processed_data(estimation["data"]),
            # A hashed PythonNode makes the formula and the model's entry in MODELS a
            # dependency: editing one model reruns only its estimations. One node for
            # all keeps pytask's bookkeeping per task small.
            "specification": PythonNode(
                value={
                    "formula": f"{data['outcome']} ~ {covariates}",
                    "model_name": estimation["model"],
                    "model": model,
                    # Rows that lack one of them are dropped before the fit.
                    "columns": rules.data_columns(data) + rules.model_columns(model),
                },
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
    specification: dict[str, Any], data: pd.DataFrame
) -> LikelihoodModelResults:
    """Fit the formula with the estimator, arguments and fit options of the model.

    This is the one place that fits: a custom estimator goes here. ``data`` must have a
    value in every column the estimation uses, so arrays such as weights line up with
    the rows of the formula.
    """
    # Formula terms such as np.log(x) find np in the namespace of this function.
    import numpy as np  # noqa: F401, PLC0415
    import statsmodels.formula.api as smf  # noqa: PLC0415 (keeps collection fast)

    name, model = specification["model_name"], specification["model"]
    rules.stop_at_first(rules.problems({}, {name: model}, deep=True))
    arguments = with_columns(model.get("arguments", {}), rules.COLUMN_ARGUMENTS, data)
    if "family" in arguments:
        link = arguments.pop("link", None)
        arguments["family"] = make_family(arguments["family"], link)
    options = dict(model.get("fit", {}))
    if "cov_kwds" in options:
        cov_kwds = options["cov_kwds"]
        options["cov_kwds"] = with_columns(cov_kwds, rules.COLUMN_COV_KWDS, data)
    estimator = getattr(smf, model["estimator"])
    return estimator(specification["formula"], data=data, **arguments).fit(**options)


def make_family(name: str, link: str | None) -> Family:
    """Make the statsmodels family ``name`` with the link ``link``, or its default."""
    from statsmodels.genmod import families  # noqa: PLC0415 (keeps collection fast)

    if link is None:
        return getattr(families, name)()
    return getattr(families, name)(link=getattr(families.links, link)())


def with_columns(
    options: dict[str, Any], keys: set[str], data: pd.DataFrame
) -> dict[str, Any]:
    """Replace the values of ``keys``, names of columns, by the columns' values."""
    return {
        key: data[value].to_numpy() if key in keys else value
        for key, value in options.items()
    }


def summarize(
    result: LikelihoodModelResults, specification: dict[str, Any], dropped: int
) -> str:
    """Describe a fit in Markdown: what was fitted to which rows, and the result."""
    model = specification["model"]
    arguments, options = model.get("arguments", {}), model.get("fit", {})
    settings = {
        "estimator": f"{model['estimator']} ({type(result.model).__name__})",
        "family, link": describe_family(result.model),
        **{
            key: f"column {arguments[key]}"
            for key in sorted(rules.COLUMN_ARGUMENTS & arguments.keys())
        },
        # Some results, such as MixedLM's and RLM's, have no cov_type.
        "covariance": getattr(result, "cov_type", ""),
        **{
            f"covariance {key}": f"column {value}"
            for key, value in sorted(options.get("cov_kwds", {}).items())
            if key in rules.COLUMN_COV_KWDS
        },
        "observations": f"{int(result.nobs)} used, "
        f"{dropped} dropped for missing values",
    }
    rows = "".join(f"| {key} | {value} |\n" for key, value in settings.items() if value)
    table = f"| setting | value |\n| --- | --- |\n{rows}"
    coefficients = coefficient_table(result).to_markdown(floatfmt=".4f")
    return f"`{specification['formula']}`\n\n{table}\n{coefficients}\n"


def describe_family(model: Model) -> str:
    """Name a model's family and link, or nothing for a model without a family."""
    family = getattr(model, "family", None)
    if family is None:
        return ""
    return f"{type(family).__name__}, {type(family.link).__name__}"


def coefficient_table(result: LikelihoodModelResults) -> pd.DataFrame:
    """Tabulate the coefficients as statsmodels' summary2 does, for any model.

    Some results, such as MixedLM's, have no summary2.
    """
    import pandas as pd  # noqa: PLC0415 (keeps collection fast)

    statistic = "t" if getattr(result, "use_t", False) else "z"
    intervals = result.conf_int()
    return pd.DataFrame(
        {
            "Coef.": result.params,
            "Std.Err.": result.bse,
            statistic: result.tvalues,
            f"P>|{statistic}|": result.pvalues,
            "[0.025": intervals[0],
            "0.975]": intervals[1],
        }
    )


def tabulate_in_latex(result: LikelihoodModelResults) -> str:
    """Write the coefficients as a LaTeX tabular, rounded like the Markdown summary."""
    from statsmodels.iolib.table import SimpleTable  # noqa: PLC0415 (keeps collection fast)

    coefficients = coefficient_table(result)
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

        data = pd.read_pickle(path_to_data)
        rows = data.dropna(subset=specification["columns"])
        result = fit_model(specification, rows)
        # Everything is computed before anything is written, so that a failure leaves
        # no result behind.
        summary = summarize(result, specification, len(data) - len(rows))
        latex = tabulate_in_latex(result)
        result.save(path_to_result)
        paths_to_tables["md"].write_text(summary)
        paths_to_tables["tex"].write_text(latex)

    if id_ in PERSIST:
        pytask.mark.persist(task_estimate_model)
