"""Readable summaries of a fit: the settings and coefficients in Markdown and LaTeX.

The estimation task writes them beside each fitted model; they are deterministic, so
a rebuild can be compared with a clean build.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from {{ cookiecutter.project_slug }}.estimation.config import (
    COLUMN_ARGUMENTS,
    COLUMN_COV_KWDS,
)

if TYPE_CHECKING:
    import pandas as pd
    from statsmodels.base.model import LikelihoodModelResults, Model


def summarize(
    result: LikelihoodModelResults, specification: dict[str, Any], dropped: int
) -> str:
    """Describe a fit in Markdown: what was fitted to which rows, and the result."""
    model = specification["model"]
    arguments, options = model.get("arguments", {}), model.get("fit", {})
    # A pyfixest fit (fixest.FixestResult) describes its settings itself.
    settings = getattr(result, "settings", None) or {
        "estimator": f"{model['estimator']} ({type(result.model).__name__})",
        "family, link": describe_family(result.model),
        **{
            key: f"column {arguments[key]}"
            for key in sorted(COLUMN_ARGUMENTS & arguments.keys())
        },
        # Some results, such as MixedLM's and RLM's, have no cov_type.
        "covariance": getattr(result, "cov_type", ""),
        **{
            f"covariance {key}": f"column {value}"
            for key, value in sorted(options.get("cov_kwds", {}).items())
            if key in COLUMN_COV_KWDS
        },
    }
    settings = settings | {
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
