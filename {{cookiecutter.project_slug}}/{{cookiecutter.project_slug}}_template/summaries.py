"""Readable summaries of a fit, its record for the outputs, and a failed fit's line.

The estimation task writes them beside each fitted model; they are deterministic, so
a rebuild can be compared with a clean build.

- ``<id>.md`` and ``<id>.tex``: the settings and the coefficients, in Markdown and as
  a LaTeX tabular.
- ``<id>.json``, the record of the fit that tables read: statistics taken when it was
  fitted (a reloaded pickle can differ, as NegativeBinomial's does), also for
  estimators whose results do not pickle. A JSON object with the keys

  - ``"estimation"``, ``"model"``, ``"data"``: the ids; ``"formula"``, ``"estimator"``
    (the function of statsmodels.formula.api, or ``"pyfixest.feols"``...) and
    ``"class"`` (its model's class, pyfixest's such as ``"Feols"``);
  - ``"outcome"``: the dependent variable's name;
  - ``"observations"``, ``"dropped"``: the rows used, and the rows of the prepared data
    left out (missing values, or a term undefined there, as ``np.sqrt(-1)``);
  - ``"statistics"``: ``{"R²": ...}`` for a fit with a finite R², else
    ``{"Pseudo R²": ...}`` (McFadden's, 1 - llf / llnull) for a fit with both
    log-likelihoods, else ``{}``; a pyfixest fit with fixed effects adds
    ``"Within R²"``, as pyfixest computes them;
  - ``"covariance"``: the covariance of the standard errors as fitted, in statsmodels'
    spelling (``"HC1"`` also for ``"hc1"``; QuantReg's ``vcov`` and RLM's ``cov``),
    or ``""`` if the fit has no such option (MixedLM); a pyfixest fit's in pyfixest's
    (``"iid"``, ``"hetero"``, ``"CRV1"``...);
  - ``"clusters"``: the columns the standard errors are clustered by (statsmodels'
    ``cov_kwds`` groups, pyfixest's ``vcov`` clusters), or ``[]``;
  - ``"fixed_effects"``: the columns whose fixed effects the fit has, absorbed by
    pyfixest or as ``C(column)`` terms by statsmodels, or ``[]``;
  - ``"instrumented"``: the covariates that pyfixest's two-stage least squares
    instrumented, or ``[]``;
  - ``"converged"``: false where statsmodels' optimizer stopped before converging
    (``maxiter`` reached), else true;
  - ``"terms"``: for each coefficient, in statsmodels' order, ``{"coef", "std_err",
    "p_value", "low", "high"}`` (95% interval); ``null`` where statsmodels has no
    number. A model with a column of coefficients per category (MNLogit) names them
    ``"term[outcome=category]"``;
  - ``"marginal_effects"``: for a binary choice (Logit, Probit, a GLM of the Binomial
    family), each term's average marginal effect in the same keys, as statsmodels'
    ``get_margeff(at="overall")`` gives it with its delta-method standard error;
    ``null`` for other fits, and for a GLM with weights, which get_margeff ignores.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from {{ cookiecutter.project_slug }}.estimation.config import (
    COLUMN_ARGUMENTS,
    COLUMN_COV_KWDS,
)
from {{ cookiecutter.project_slug }}_template.fixest import FixestResult

if TYPE_CHECKING:
    import pandas as pd
    from statsmodels.base.model import LikelihoodModelResults, Model

# The options by which fits take their covariance: most take cov_type, QuantReg vcov,
# RLM cov.
COVARIANCE_OPTIONS = ("cov_type", "vcov", "cov")
# What a failed fit's message says the likely cause is, by words of the error.
LIKELY_CAUSES = (
    (
        ("singular",),
        "a singular design: a term is constant, or a combination of others, in the "
        "rows used",
    ),
    (("separation",), "perfect separation: a term predicts the outcome exactly"),
    (
        # Whole words: "inf" begins "inference" too.
        (r"infs?\b", "infinit", r"nans?\b"),
        "a term is infinite or undefined in some rows, as np.log(0) is",
    ),
)

# The libraries that fit: an error they raise is the fit's, not the template's.
LIBRARIES = {"numpy", "scipy", "patsy", "statsmodels", "pandas"}
LIBRARIES |= {"pyfixest", "formulaic"}
# What statsmodels raises for a statistic it cannot compute for a model (RLM's llf).
UNAVAILABLE = (AttributeError, NotImplementedError, TypeError, ValueError)


class FitError(Exception):
    """A fit that statsmodels could not make: pytask shows its one line."""


def summarize(
    result: LikelihoodModelResults, specification: dict[str, Any], dropped: int
) -> str:
    """Describe a fit in Markdown: what was fitted to which rows, and the result."""
    model = specification["model"]
    arguments, options = model.get("arguments", {}), model.get("fit", {})
    # A pyfixest fit (fixest.FixestResult) describes its settings itself.
    if isinstance(result, FixestResult):
        settings = result.settings
    else:
        settings = {
            "estimator": f"{model['estimator']} ({type(result.model).__name__})",
            "family, link": describe_family(result.model),
            **{
                key: f"column {arguments[key]}"
                for key in sorted(COLUMN_ARGUMENTS & arguments.keys())
            },
            "covariance": covariance_of(result, options),
            **{
                f"covariance {key}": f"column {value}"
                for key, value in sorted(options.get("cov_kwds", {}).items())
                if key in COLUMN_COV_KWDS
            },
        }
    settings = settings | {
        "observations": f"{observations(result)} used, "
        f"{dropped} dropped for missing or undefined values",
        "converged": "no: the optimizer stopped first" if not converged(result) else "",
    }
    rows = "".join(f"| {key} | {value} |\n" for key, value in settings.items() if value)
    table = f"| setting | value |\n| --- | --- |\n{rows}"
    coefficients = coefficient_table(result).to_markdown(floatfmt=".4f")
    return f"`{specification['formula']}`\n\n{table}\n{coefficients}\n"


def converged(result: LikelihoodModelResults) -> bool:
    """Return False if statsmodels' optimizer says it stopped before converging."""
    retvals = getattr(result, "mle_retvals", None)
    said = retvals.get("converged") if isinstance(retvals, dict) else None
    return said is not False and getattr(result, "converged", None) is not False


def describe_family(model: Model) -> str:
    """Name a model's family and link, or nothing for a model without a family."""
    family = getattr(model, "family", None)
    if family is None:
        return ""
    return f"{type(family).__name__}, {type(family.link).__name__}"


def coefficient_table(result: LikelihoodModelResults) -> pd.DataFrame:
    """Tabulate the coefficients as statsmodels' summary2 does, for any model.

    Some results, such as MixedLM's, have no summary2; MNLogit's have a column of
    coefficients per category, which become rows named ``term[outcome=category]``.
    """
    import numpy as np  # noqa: PLC0415 (keeps collection fast)
    import pandas as pd  # noqa: PLC0415

    statistic = "t" if getattr(result, "use_t", False) else "z"
    intervals = np.asarray(result.conf_int())
    columns = {
        "Coef.": result.params,
        "Std.Err.": result.bse,
        statistic: result.tvalues,
        f"P>|{statistic}|": result.pvalues,
    }
    # Column by column: the order of conf_int's rows for MNLogit.
    table = {name: np.asarray(v).ravel(order="F") for name, v in columns.items()}
    table |= {"[0.025": intervals[:, 0], "0.975]": intervals[:, 1]}
    return pd.DataFrame(table, index=coefficient_names(result))


def coefficient_names(result: LikelihoodModelResults) -> list[str]:
    """Name each coefficient; one per term and category for MNLogit."""
    params = result.params
    if getattr(params, "ndim", 1) > 1:
        outcome = result.model.endog_names
        return [f"{term}[{outcome}={level}]" for level, term in result.conf_int().index]
    # Arrays without an index take the model's names (a pyfixest fit has no others).
    names = params.index if hasattr(params, "index") else result.model.exog_names
    return [str(name) for name in names]


def observations(result: LikelihoodModelResults) -> int:
    """Return the rows a fit used, also for results without nobs (PHReg's)."""
    return int(getattr(result, "nobs", None) or len(result.model.endog))


def covariance_of(result: LikelihoodModelResults, options: dict[str, Any]) -> str:
    """Name the covariance of the standard errors as the fit computed it.

    From the fit's option or its default, in statsmodels' spelling: a result's
    cov_type keeps the spelling given ("hc1"), and QuantReg's and RLM's do not say it.
    A pyfixest fit names its own.
    """
    import inspect  # noqa: PLC0415

    if isinstance(result, FixestResult):  # pyfixest's name, as it fitted
        return result.cov_type

    from {{ cookiecutter.project_slug }}_template.rules import (  # noqa: PLC0415
        COV_TYPES,
        cov_type_name,
    )

    parameters = inspect.signature(result.model.fit).parameters
    for name in COVARIANCE_OPTIONS:
        default = parameters[name].default if name in parameters else None
        value = options.get(name, default)
        if isinstance(value, str):
            return cov_type_name(value, list(COV_TYPES)) or value
    return getattr(result, "cov_type", "")


def clusters_of(result: LikelihoodModelResults, options: dict[str, Any]) -> list[str]:
    """Return the columns that the standard errors are clustered by."""
    if isinstance(result, FixestResult):
        return list(result.clusters)
    groups = options.get("cov_kwds", {}).get("groups")
    clustered = covariance_of(result, options) == "cluster"
    return [groups] if clustered and isinstance(groups, str) else []


def fixed_effects_of(
    result: LikelihoodModelResults, specification: dict[str, Any]
) -> list[str]:
    """Return the columns of fixed effects: pyfixest's absorbed, statsmodels' C()."""
    if isinstance(result, FixestResult):
        return list(result.fixed_effects)
    return list(specification.get("fixed_effects", []))


def instrumented_of(result: LikelihoodModelResults) -> list[str]:
    """Return the covariates that pyfixest's two-stage least squares instrumented."""
    return list(result.instrumented) if isinstance(result, FixestResult) else []


def class_of(result: LikelihoodModelResults) -> str:
    """Return the name of the model's class; pyfixest's for a pyfixest fit."""
    if isinstance(result, FixestResult):
        return result.model.class_name
    return type(result.model).__name__


def statistics_of(result: LikelihoodModelResults) -> dict[str, float]:
    """Return R² of the fit if it has one, else McFadden's pseudo R², else nothing.

    A pyfixest fit took its own when it was fitted, with the within R². GEE's
    quasi-likelihood has no likelihood to compare: statsmodels' llf is another's.
    """
    import math  # noqa: PLC0415

    from statsmodels.genmod.generalized_estimating_equations import GEE  # noqa: PLC0415

    if isinstance(result, FixestResult):
        return dict(result.statistics)
    if isinstance(result.model, GEE):
        return {}

    rsquared = attribute(result, "rsquared")
    if isinstance(rsquared, float) and math.isfinite(rsquared):
        return {"R²": rsquared}
    llf, llnull = attribute(result, "llf"), attribute(result, "llnull")
    numbers = all(isinstance(v, float) and math.isfinite(v) for v in (llf, llnull))
    return {"Pseudo R²": 1 - llf / llnull} if numbers and llnull else {}


def attribute(result: LikelihoodModelResults, name: str) -> object:
    """Return a statistic of a result, or None where statsmodels cannot compute it."""
    try:
        value = getattr(result, name)
    except UNAVAILABLE:
        return None
    return float(value) if hasattr(value, "__float__") else None


def record(
    result: LikelihoodModelResults, specification: dict[str, Any], dropped: int
) -> str:
    """Return the fit's record as JSON, in the format of this module's docstring."""
    import json  # noqa: PLC0415

    table = coefficient_table(result)
    model = specification["model"]
    return json.dumps(
        {
            "estimation": specification["estimation"],
            "model": specification["model_name"],
            "data": specification["data_name"],
            "formula": specification["formula"],
            "estimator": model["estimator"],
            "class": class_of(result),
            "outcome": result.model.endog_names,
            "observations": observations(result),
            "dropped": dropped,
            "statistics": statistics_of(result),
            "covariance": covariance_of(result, model.get("fit", {})),
            "clusters": clusters_of(result, model.get("fit", {})),
            "fixed_effects": fixed_effects_of(result, specification),
            "instrumented": instrumented_of(result),
            "converged": converged(result),
            "terms": as_terms(table),
            "marginal_effects": marginal_effects_of(result),
        },
        indent=2,
        ensure_ascii=False,
    )


def as_terms(table: pd.DataFrame) -> dict[str, dict[str, float | None]]:
    """Return the rows of a coefficient table in the keys of the record's terms.

    Its columns are estimate, standard error, statistic, p-value and the interval.
    """
    import math  # noqa: PLC0415

    keys = ("coef", "std_err", "p_value", "low", "high")
    return {
        str(name): {
            key: float(value) if math.isfinite(value) else None
            for key, value in zip(keys, row[[0, 1, 3, 4, 5]], strict=True)
        }
        for name, row in zip(table.index, table.to_numpy(), strict=True)
    }


def is_binary_choice(result: LikelihoodModelResults) -> bool:
    """Return whether a fit is a binary choice: Logit, Probit, or a binomial GLM."""
    from statsmodels.discrete.discrete_model import Logit, Probit  # noqa: PLC0415
    from statsmodels.genmod.families import Binomial  # noqa: PLC0415

    family = getattr(result.model, "family", None)
    return isinstance(result.model, Logit | Probit) or isinstance(family, Binomial)


def marginal_effects_of(
    result: LikelihoodModelResults,
) -> dict[str, dict[str, float | None]] | None:
    """Return a binary choice's average marginal effects, in the record's keys.

    A GLM that weighs its rows has none: statsmodels' get_margeff ignores the weights.
    """
    if isinstance(result, FixestResult) or not is_binary_choice(result):
        return None
    if is_weighted(result):
        return None
    # dy/dx, Std. Err., z, Pr(>|z|), Conf. Int. Low, Conf. Int. Hi.
    return as_terms(result.get_margeff(at="overall").summary_frame(alpha=0.05))


def is_weighted(result: LikelihoodModelResults) -> bool:
    """Return whether a GLM's rows have frequency or variance weights other than 1."""
    import numpy as np  # noqa: PLC0415

    names = ("freq_weights", "var_weights")
    weights = [np.asarray(getattr(result.model, name, 1)) for name in names]
    return any((w != 1).any() for w in weights)


def check_finite(result: LikelihoodModelResults) -> None:
    """Raise if a fit's coefficients are not all numbers: statsmodels returns them."""
    import numpy as np  # noqa: PLC0415

    if not np.isfinite(np.asarray(result.params, dtype=float)).all():
        msg = "the fit's coefficients hold nan or inf"
        raise ValueError(msg)


def raised_in_library(error: Exception) -> bool:
    """Tell whether a library raised the error, a TypeError on a value of the config."""
    import traceback  # noqa: PLC0415

    frames = traceback.extract_tb(error.__traceback__)
    parts = Path(frames[-1].filename).parts if frames else ()
    installed = {"site-packages", "dist-packages"} & set(parts)
    return bool(installed) and bool(LIBRARIES & set(parts))


def fit_failed(error: Exception, specification: dict[str, Any]) -> FitError | None:
    """Describe in one line a fit that statsmodels, pyfixest, numpy or patsy refused.

    An option that the library rejects ("method must be one of ...") is named as in
    the rules' messages; otherwise the line names the estimation and the likely cause.
    Other errors, of the template's own code, return None and keep their traceback.
    """
    from {{ cookiecutter.project_slug }}_template import fixest, rules  # noqa: PLC0415

    model = specification["model"]
    library = "pyfixest" if fixest.is_fixest(model["estimator"]) else "statsmodels"
    if not isinstance(error, ArithmeticError | ValueError) and not (
        type(error).__module__.split(".")[0] in LIBRARIES or raised_in_library(error)
    ):
        return None
    said = f"{type(error).__name__}: {rules.first_line(error)}"
    name = specification["model_name"]
    where = f"{rules.config_file('MODELS')}: MODELS[{name!r}]"
    for part in ("arguments", "fit"):
        for key, value in model.get(part, {}).items():
            if said.split(": ", 1)[1].startswith(f"{key} "):
                line = f"{where}[{part!r}][{key!r}]: {value!r} refused by {library}"
                return FitError(f"{line}; {said}")
    cause = next(
        (
            t
            for words, t in LIKELY_CAUSES
            if any(re.search(rf"\b{w}", said, re.I) for w in words)
        ),
        f"{library} could not fit it",
    )
    estimation = specification["estimation"]
    data = specification["data_name"]
    return FitError(
        f"{estimation} (MODELS[{name!r}] on DATA[{data!r}]) failed: likely {cause}; "
        f"{said}"
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
