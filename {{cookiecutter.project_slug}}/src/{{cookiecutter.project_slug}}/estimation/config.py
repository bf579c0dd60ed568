"""The models and the estimations, the cartesian product of models and data.

Each entry of ``MODELS`` says in statsmodels' own words what to fit (the template's
``rules.py`` checks it, and ``pytask`` and ``pytest`` name any mistake):

- ``"estimator"``: a function of ``statsmodels.formula.api``, such as ``"ols"``,
  ``"wls"``, ``"glm"``, ``"logit"``, ``"probit"``, ``"poisson"`` or ``"quantreg"``.
- ``"arguments"`` (optional): the estimator's keyword arguments besides formula and
  data. ``"family"`` names a class of ``statsmodels.genmod.families`` and ``"link"``,
  beside it, one of ``statsmodels.genmod.families.links``; the arguments of
  ``COLUMN_ARGUMENTS`` name a column of the data.
- ``"fit"`` (optional): keyword arguments of the fit. ``"cov_type"`` is a covariance
  type that the model's fit knows, such as ``"HC1"``, ``"HAC"`` or ``"cluster"``, and
  ``"cov_kwds"`` holds the options that type reads. In ``"cov_kwds"``, the keys of
  ``COLUMN_COV_KWDS`` name a column.

An entry may also name an estimator of pyfixest (``pip install -e ".[fixest]"``):
``"pyfixest.feols"``, ``"pyfixest.fepois"`` or ``"pyfixest.feglm"``, with pyfixest's
keyword arguments in ``"arguments"``, as pyfixest takes them: ``"vcov"`` is ``"iid"``,
``"hetero"``, ``"HC1"``... or ``{"CRV1": "PID"}`` (``"PID+state"`` clusters two ways),
``"weights"`` a column, ``"family"`` (feglm) ``"gaussian"`` (its logit and probit give
no average marginal effects for the tables: fit those with statsmodels), ``"ssc"``
some keywords of ``pyfixest.ssc()``. ``"NW"`` needs ``"vcov_kwargs"`` with a
``"time_id"`` column, ``"DK"`` also a ``"panel_id"``; pyfixest computes no ``"HC2"``
or ``"HC3"`` with fixed effects or instruments, nor ``"CRV3"`` with instruments. Such
an entry has no ``"fit"``. It absorbs the data specification's fixed effects and fits
its instruments.

For example, a probit fitted as a GLM, least squares with errors clustered by party
identification, and pyfixest's least squares with errors clustered two ways::

    "glm_probit": {
        "estimator": "glm",
        "arguments": {"family": "Binomial", "link": "Probit"},
    },
    "clustered": {
        "estimator": "ols",
        "fit": {"cov_type": "cluster", "cov_kwds": {"groups": "PID"}},
    },
    "fixest": {
        "estimator": "pyfixest.feols",
        "arguments": {"vcov": {"CRV1": "PID+educ"}},
    },

``ESTIMATIONS`` pairs every model with every data specification, but a specification
with instruments pairs only with ``"pyfixest.feols"``: filter the product, e.g. with
``if "endogenous" not in DATA[data] or MODELS[model]["estimator"] ==
"pyfixest.feols"``.

"""

from pathlib import Path

from {{ cookiecutter.project_slug }}.config import BLD
from {{ cookiecutter.project_slug }}.data_preparation.config import DATA

MODELS = {
    "linear_probability": {"estimator": "ols", "fit": {"cov_type": "HC1"}},
    "logit": {"estimator": "logit", "fit": {"disp": False}},
    "probit": {"estimator": "probit", "fit": {"disp": False}},
}

ESTIMATIONS = {
    f"{model}_{data}": {"model": model, "data": data}
    for model in MODELS
    for data in DATA
}

# Ids of costly estimations whose results are kept when their inputs change, e.g.
# {"probit_data_3"}: they rerun only once their results are deleted.
PERSIST: set[str] = set()

# Arguments that statsmodels takes as one value per observation: the config names the
# column that holds them.
COLUMN_ARGUMENTS = {
    "weights",
    "freq_weights",
    "var_weights",
    "exposure",
    "offset",
    "groups",
    "time",
    "status",
}
# Keys of the fit option "cov_kwds" that name a column, like the clusters' groups.
COLUMN_COV_KWDS = {"groups", "time"}


def path_to_estimation_result(name: str) -> Path:
    """Return where the fitted model of the estimation ``name`` is stored."""
    return BLD / "estimation" / f"{name}.pickle"


def path_to_estimation_summary(name: str) -> Path:
    """Return where the readable summary of the estimation ``name`` is stored."""
    return BLD / "estimation" / f"{name}.md"


def path_to_estimation_table(name: str) -> Path:
    """Return where the LaTeX table of the coefficients of ``name`` is stored."""
    return BLD / "estimation" / f"{name}.tex"


def path_to_estimation_record(name: str) -> Path:
    """Return where the record of the fit ``name`` that tables read is stored (JSON)."""
    return BLD / "estimation" / f"{name}.json"
