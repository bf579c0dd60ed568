"""The models and the estimations, the cartesian product of models and data.

Each model names its estimator in ``statsmodels.formula.api`` and the keyword arguments
of its ``fit``; any estimator that statsmodels has is one more entry.

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


def path_to_estimation_result(name: str) -> Path:
    """Return where the fitted model of the estimation ``name`` is stored."""
    return BLD / "estimation" / f"{name}.pickle"


def path_to_estimation_summary(name: str) -> Path:
    """Return where the readable summary of the estimation ``name`` is stored."""
    return BLD / "estimation" / f"{name}.md"


def path_to_estimation_table(name: str) -> Path:
    """Return where the LaTeX table of the coefficients of ``name`` is stored."""
    return BLD / "estimation" / f"{name}.tex"
