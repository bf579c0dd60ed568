"""pyfixest, the second estimation library of the config: its formula, fit and result.

A model whose estimator is ``"pyfixest.feols"``, ``"pyfixest.fepois"`` or
``"pyfixest.feglm"`` is fitted here, with fixest's formula of its data specification
(fixed effects absorbed, instruments after the last bar) and pyfixest's keyword
arguments. pyfixest's results do not pickle, so the fit keeps what the outputs need in a
``FixestResult``, which the summaries and the final tables read like a statsmodels
result; it needs only the standard library to be unpickled. ``fixest_rules.py`` holds
the rules of such entries.

pyfixest is an optional extra of the project (``pip install -e ".[fixest]"``); nothing
here imports it, or pandas, before a task fits.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

PREFIX = "pyfixest."
ESTIMATORS = ("feols", "fepois", "feglm")
# Arguments that name a column of the data.
COLUMN_ARGUMENTS = {"weights", "offset"}
# Keys of "vcov_kwargs" that name a column of the data.
COLUMN_VCOV_KWARGS = {"time_id", "panel_id"}


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


def instrumented_by(formula: str) -> tuple[list[str], list[str]]:
    """Return the endogenous covariates of fixest's formula, and their instruments.

    They are its last part, ``endogenous ~ instruments``, if it has one.
    """
    _, *others = formula.split("|")
    if not others or "~" not in others[-1]:
        return [], []
    endogenous, instruments = others[-1].split("~")
    return terms_of(endogenous), terms_of(instruments)


def terms_of(text: str) -> list[str]:
    """Return the terms of a formula's part: ``"a + b"`` gives a and b."""
    return [term.strip() for term in text.split("+")]


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
    # pyfixest's class of the fit: Feols, Fepois, Feiv...
    class_name: str


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
    # The covariates that instruments stand in for (two-stage least squares).
    instrumented: list[str] = field(default_factory=list)
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
    if "ssc" in arguments:
        # pyfixest takes ssc() whole; it fills in the keys the config leaves out.
        arguments = arguments | {"ssc": pyfixest.ssc(**arguments["ssc"])}
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
    return [column for value in vcov.values() for column in terms_of(str(value))]


def adapt(
    fitted: Any,  # noqa: ANN401 (a pyfixest result)
    model: dict[str, Any],
    formula: str,
    row_labels: pd.Index,
) -> FixestResult:
    """Keep what the outputs need of a pyfixest fit, named as statsmodels names it."""
    intervals = fitted.confint()
    intervals.columns = [0, 1]
    # fixest's "PID+state", or "PID + state" as the formula spells it.
    fixed_effects = terms_of(fitted._fixef) if fitted._has_fixef else []
    clusters = list(fitted._clustervar or []) if fitted._is_clustered else []
    endogenous, _ = instrumented_by(formula)
    return FixestResult(
        params=fitted.coef().rename(None).rename_axis(None),
        bse=fitted.se().rename(None).rename_axis(None),
        tvalues=fitted.tstat().rename(None).rename_axis(None),
        pvalues=fitted.pvalue().rename(None).rename_axis(None),
        intervals=intervals.rename_axis(None),
        nobs=int(fitted._N),
        cov_type=fitted._vcov_type_detail,
        model=FixestModel(
            fitted._depvar, FixestData(list(row_labels)), type(fitted).__name__
        ),
        statistics=statistics_of(fitted),
        settings=settings_of(fitted, model, formula, clusters),
        fixed_effects=fixed_effects,
        clusters=clusters,
        instrumented=endogenous,
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
    endogenous, instruments = instrumented_by(formula)
    fixed_effects = parts[1 : len(parts) - bool(endogenous)]
    return {
        "estimator": f"{model['estimator']} ({type(fitted).__name__})",
        "family": str(arguments.get("family", "")),
        "fixed effects (absorbed)": "".join(fixed_effects),
        "endogenous": " + ".join(endogenous),
        "instruments": " + ".join(instruments),
        **{
            key: f"column {arguments[key]}"
            for key in sorted(COLUMN_ARGUMENTS & arguments.keys())
        },
        "covariance": fitted._vcov_type_detail,
        "covariance clusters": ", ".join(f"column {c}" for c in clusters),
    }
