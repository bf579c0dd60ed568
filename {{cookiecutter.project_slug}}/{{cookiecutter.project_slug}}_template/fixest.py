"""pyfixest, the second estimation library of the config: its rules, fit and result.

A model whose estimator is ``"pyfixest.feols"``, ``"pyfixest.fepois"`` or
``"pyfixest.feglm"`` is fitted here, with fixest's formula of its data specification
(fixed effects absorbed, instruments after the last bar) and pyfixest's keyword
arguments. pyfixest's results do not pickle, so the fit keeps what the outputs need in a
``FixestResult``, which the summaries and the final tables read like a statsmodels
result. ``rules.py`` checks such entries with ``MODEL_RULES`` below.

pyfixest is an optional extra of the project (``pip install -e ".[fixest]"``); nothing
here imports it, or pandas, before a task fits.
"""

from __future__ import annotations

import inspect
import pickle
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from {{ cookiecutter.project_slug }}_template import rules
from {{ cookiecutter.project_slug }}_template.rules import Entry, Found, Rule

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

PREFIX = "pyfixest."
ESTIMATORS = ("feols", "fepois", "feglm")
# What to install when pyfixest is missing.
INSTALL = "pyfixest is not installed; install the extra: pip install -e '.[fixest]'"
# The fit passes these itself; split and fsplit would fit several models at once.
RESERVED = {"fml", "data", "split", "fsplit"}
# Arguments that name a column of the data.
COLUMN_ARGUMENTS = {"weights", "offset"}
# Keys of "vcov_kwargs" that name a column of the data.
COLUMN_VCOV_KWARGS = {"time_id", "panel_id"}
VCOV_NAMES = ("iid", "hetero", "HC1", "HC2", "HC3", "NW", "DK")
CLUSTERED = ("CRV1", "CRV3")
FAMILIES = ("gaussian", "logit", "probit")
CLUSTER_EXAMPLE = "{'CRV1': 'a'} or {'CRV3': 'a+b'} (columns a, b)"


def is_fixest(estimator: object) -> bool:
    """Tell whether an estimator names pyfixest."""
    return isinstance(estimator, str) and estimator.startswith(PREFIX)


def formula(specification: dict[str, Any]) -> str:
    """Return fixest's formula: ``y ~ exogenous | fixed effects | endogenous ~ z``."""
    endogenous = specification.get("endogenous", [])
    exogenous = [t for t in specification["covariates"] if t not in endogenous]
    parts = [f"{specification['outcome']} ~ {' + '.join(exogenous) or '1'}"]
    if fixed_effects := specification.get("fixed_effects", []):
        parts.append(" + ".join(fixed_effects))
    if endogenous:
        instruments = " + ".join(specification["instruments"])
        parts.append(f"{' + '.join(endogenous)} ~ {instruments}")
    return " | ".join(parts)


# The fit, and what it keeps.


@dataclass(frozen=True)
class FixestData:
    """The rows a fit used, as statsmodels' ``model.data`` names them."""

    row_labels: list[Any]


@dataclass(frozen=True)
class FixestModel:
    """What the outputs read of ``result.model``."""

    endog_names: str
    data: FixestData


@dataclass
class FixestResult:
    """A pyfixest fit as the outputs read it, picklable like a statsmodels result."""

    params: pd.Series
    bse: pd.Series
    tvalues: pd.Series
    pvalues: pd.Series
    intervals: pd.DataFrame
    nobs: int
    cov_type: str
    model: FixestModel
    # Fit statistics for the tables, taken at fit time: R², within R², pseudo R².
    statistics: dict[str, float]
    # The summary's settings: estimator, fixed effects, instruments, covariance...
    settings: dict[str, str]
    fixed_effects: list[str] = field(default_factory=list)
    clusters: list[str] = field(default_factory=list)
    use_t: bool = True

    def conf_int(self) -> pd.DataFrame:
        """Return the 95% confidence intervals, columns 0 and 1 as statsmodels'."""
        return self.intervals

    def save(self, path: Path) -> None:
        """Pickle the result; ``statsmodels.iolib.smpickle.load_pickle`` reads it."""
        with open(path, "wb") as file:  # noqa: PTH123 (as statsmodels' save)
            pickle.dump(self, file)


def fit(model: dict[str, Any], formula: str, data: pd.DataFrame) -> FixestResult:
    """Fit ``formula`` with the pyfixest estimator and arguments of ``model``.

    Rows that lack a column the arguments name (weights, clusters) are dropped first;
    pyfixest drops those that lack a variable of the formula.
    """
    import pyfixest  # noqa: PLC0415 (optional and heavy: only when fitting)

    arguments = model.get("arguments", {})
    rows = data.dropna(subset=sorted(argument_columns(arguments)))
    estimator = getattr(pyfixest, model["estimator"].removeprefix(PREFIX))
    fitted = estimator(formula, data=rows, **arguments)
    used = rows.index.delete(sorted(fitted._na_index))
    return adapt(fitted, model, formula, used)


def argument_columns(arguments: dict[str, Any]) -> set[str]:
    """Return the columns that the arguments name: weights, offset, clusters..."""
    columns = {arguments[key] for key in COLUMN_ARGUMENTS & arguments.keys()}
    vcov_kwargs = arguments.get("vcov_kwargs") or {}
    columns |= {vcov_kwargs[key] for key in COLUMN_VCOV_KWARGS & vcov_kwargs.keys()}
    return columns | set(cluster_columns(arguments.get("vcov")))


def cluster_columns(vcov: object) -> list[str]:
    """Return the cluster columns of a vcov such as ``{"CRV1": "firm+year"}``."""
    if not isinstance(vcov, dict):
        return []
    return [c.strip() for value in vcov.values() for c in str(value).split("+")]


def adapt(
    fitted: Any,  # noqa: ANN401 (a pyfixest result)
    model: dict[str, Any],
    formula: str,
    row_labels: pd.Index,
) -> FixestResult:
    """Keep what the outputs need of a pyfixest fit, named as statsmodels names it."""
    intervals = fitted.confint()
    intervals.columns = [0, 1]
    fixed_effects = fitted._fixef.split("+") if fitted._has_fixef else []
    clusters = list(fitted._clustervar or []) if fitted._is_clustered else []
    return FixestResult(
        params=fitted.coef().rename(None).rename_axis(None),
        bse=fitted.se().rename(None).rename_axis(None),
        tvalues=fitted.tstat().rename(None).rename_axis(None),
        pvalues=fitted.pvalue().rename(None).rename_axis(None),
        intervals=intervals.rename_axis(None),
        nobs=int(fitted._N),
        cov_type=fitted._vcov_type_detail,
        model=FixestModel(fitted._depvar, FixestData(list(row_labels))),
        statistics=statistics_of(fitted),
        settings=settings_of(fitted, model, formula, clusters),
        fixed_effects=fixed_effects,
        clusters=clusters,
    )


def statistics_of(fitted: Any) -> dict[str, float]:  # noqa: ANN401 (a pyfixest result)
    """Return R² and within R² of a linear fit, McFadden's pseudo R² of another."""
    import math  # noqa: PLC0415

    found = {
        "R²": getattr(fitted, "_r2", None),
        "Within R²": getattr(fitted, "_r2_within", None) if fitted._has_fixef else None,
        "Pseudo R²": getattr(fitted, "_pseudo_r2", None),
    }
    return {
        name: float(value)
        for name, value in found.items()
        if isinstance(value, int | float) and math.isfinite(value)
    }


def settings_of(
    fitted: Any,  # noqa: ANN401 (a pyfixest result)
    model: dict[str, Any],
    formula: str,
    clusters: list[str],
) -> dict[str, str]:
    """Describe what was fitted, as the summary's table of settings shows it."""
    arguments = model.get("arguments", {})
    # fixest's formula: outcome ~ exogenous | fixed effects | endogenous ~ instruments
    parts = [part.strip() for part in formula.split("|")]
    instrumented = parts.pop().split("~") if fitted._is_iv else ["", ""]
    return {
        "estimator": f"{model['estimator']} ({type(fitted).__name__})",
        "family": str(arguments.get("family", "")),
        "fixed effects (absorbed)": parts[1] if len(parts) > 1 else "",
        "endogenous": instrumented[0].strip(),
        "instruments": instrumented[1].strip(),
        **{
            key: f"column {arguments[key]}"
            for key in sorted(COLUMN_ARGUMENTS & arguments.keys())
        },
        "covariance": fitted._vcov_type_detail,
        "covariance clusters": ", ".join(f"column {c}" for c in clusters),
    }


# The rules of a pyfixest entry of MODELS, read by rules.py.


def check_estimator(value: str, entry: Entry) -> Found:
    """The estimator is one of pyfixest's."""
    name = value.removeprefix(PREFIX)
    if name not in ESTIMATORS:
        allowed = [PREFIX + estimator for estimator in ESTIMATORS]
        message = (
            f"{value!r} is no estimator of pyfixest; allowed: {rules.quoted(allowed)}"
            f"{rules.closest(value, allowed)}"
        )
        yield (), message


def check_installed(value: str, entry: Entry) -> Found:
    """The estimator's library, pyfixest, can be imported."""
    try:
        import pyfixest  # noqa: F401, PLC0415 (optional)
    except ImportError:
        yield (), INSTALL


def check_arguments(value: dict[str, Any], entry: Entry) -> Found:
    """Arguments are JSON data; vcov, family and the columns they name are valid."""
    yield from rules.not_json_data(value)
    for key in sorted(COLUMN_ARGUMENTS & value.keys()):
        yield from (((key,), text) for text in rules.column_problems(value[key], entry))
    if "vcov" in value:
        yield from vcov_problems(value["vcov"], entry)
    vcov_kwargs = value.get("vcov_kwargs")
    if not isinstance(vcov_kwargs, dict):
        vcov_kwargs = {}
    for key in sorted(COLUMN_VCOV_KWARGS & vcov_kwargs.keys()):
        for text in rules.column_problems(vcov_kwargs[key], entry):
            yield ("vcov_kwargs", key), text
    family = value.get("family")
    if "family" in value and family not in FAMILIES:
        message = (
            f"{family!r} is no family of pyfixest.feglm; allowed: "
            f"{rules.quoted(FAMILIES)}{rules.closest(family, FAMILIES)}"
        )
        yield ("family",), message


def vcov_problems(vcov: object, entry: Entry) -> Found:
    """The vcov is a name of pyfixest's, or one clustered type with its columns."""
    allowed = f"{rules.quoted(VCOV_NAMES)}, or a dict like " + CLUSTER_EXAMPLE
    if isinstance(vcov, str):
        if vcov not in VCOV_NAMES:
            close = rules.closest(vcov, VCOV_NAMES)
            message = f"{vcov!r} is no vcov of pyfixest; allowed: {allowed}{close}"
            yield ("vcov",), message
        return
    if not (isinstance(vcov, dict) and len(vcov) == 1):
        yield ("vcov",), f"{vcov!r} is no vcov of pyfixest; allowed: {allowed}"
        return
    ((kind, value),) = vcov.items()
    if kind not in CLUSTERED:
        message = f"no clustered vcov; allowed: {rules.quoted(CLUSTERED)}"
        yield ("vcov", kind), f"{message}{rules.closest(kind, CLUSTERED)}"
        return
    columns = cluster_columns(vcov) if isinstance(value, str) else [value]
    if not 1 <= len(columns) <= 2:  # noqa: PLR2004 (pyfixest clusters two ways at most)
        yield ("vcov", kind), f"{value!r}: allowed: one column or two, as 'a+b'"
        return
    for column in columns:
        for text in rules.column_problems(column, entry):
            yield ("vcov", kind), text


def check_argument_names(value: dict[str, Any], entry: Entry) -> Found:
    """Arguments are named by the estimator's own signature."""
    name = entry.value["estimator"].removeprefix(PREFIX)
    allowed = argument_names(name)
    for key in sorted(value.keys() - allowed):
        message = (
            f"not an argument of pyfixest.{name}; allowed: {rules.quoted(allowed)}"
            f"{rules.closest(key, allowed)}"
        )
        yield (key,), message


def argument_names(estimator: str) -> set[str]:
    """Return the keyword arguments of a pyfixest estimator, but formula and data."""
    import pyfixest  # noqa: PLC0415 (optional and heavy)

    parameters = inspect.signature(getattr(pyfixest, estimator)).parameters
    return set(parameters) - RESERVED


def check_installed_names(value: dict[str, Any], entry: Entry) -> Found:
    """Check the argument names once pyfixest is known to be installed."""
    estimator = entry.value.get("estimator")
    if is_fixest(estimator) and estimator.removeprefix(PREFIX) in ESTIMATORS:
        try:
            import pyfixest  # noqa: F401, PLC0415 (optional)
        except ImportError:  # the estimator's own check reports it
            return
        yield from check_argument_names(value, entry)


MODEL_RULES = {
    "estimator": Rule(
        f"an estimator of pyfixest: {', '.join(PREFIX + e for e in ESTIMATORS)}",
        (str,),
        check_estimator,
        deep=check_installed,
    ),
    "arguments": Rule(
        "a dict of the estimator's keyword arguments, as pyfixest takes them",
        (dict,),
        check_arguments,
        deep=check_installed_names,
        required=False,
    ),
}
