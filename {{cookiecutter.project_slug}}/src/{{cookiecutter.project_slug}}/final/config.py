"""What the final stage shows: tables of comparable effects, specification curves.

Labels name what the ids and the formulas' terms mean; an id or a term without a label
shows as itself. Each entry is a dependency of exactly the tables and figures that show
it: editing a label reruns those, and no estimation. (Each covariance label is one of
every table and curve: a fit's covariance is known once it is fitted.)

One scale across specifications: by default, the columns of discrete-choice models
(logit, probit, and GLMs with a binomial family) show average marginal effects, the
average change in the probability of the outcome per unit of a covariate. Effect,
standard error (delta method), p-value and 95% interval are statsmodels'
``get_margeff(at="overall").summary_frame()``. Other models show their coefficients,
which for a linear model are its marginal effects. Each table's note says which
columns show which.

A specification curve (Simonsohn, Simmons and Nelson 2020, Nature Human Behaviour)
shows one effect of interest in every estimation that has it: sorted by estimate, with
its 95% interval, coloured by significance at 5%, above a panel that marks each
estimation's data specification, model and covariance. Its data are written beside it
as CSV, on the tables' scale.

"""

import re
from pathlib import Path

from {{ cookiecutter.project_slug }}.config import BLD
from {{ cookiecutter.project_slug }}.data_preparation.config import DATA
from {{ cookiecutter.project_slug }}.estimation.config import ESTIMATIONS

# Variables and terms of the formulas, as statsmodels names them: "Intercept", a
# column, or a term such as "np.log(income)", "I(age ** 2)" or "C(region)[T.South]".
VARIABLE_LABELS = {
    "Intercept": "Constant",
    "vote": "Vote for Dole",
    "age": "Age",
    "educ": "Education",
    "income": "Income",
    "PID": "Party identification",
    "selfLR": "Left-right self-placement",
}
MODEL_LABELS = {
    "linear_probability": "Linear probability",
    "logit": "Logit",
    "probit": "Probit",
}
DATA_LABELS = {
    "data_0": "All respondents, demographics",
    "data_1": "All respondents, demographics and ideology",
    "data_2": "Some college or more",
    "data_3": "High school or less",
}
# How a table names the covariance of the standard errors (statsmodels' cov_type, or
# pyfixest's vcov); a pyfixest fit adds its clusters' labels.
COVARIANCE_LABELS = {
    "nonrobust": "Conventional",
    "HC0": "Robust (HC0)",
    "HC1": "Robust (HC1)",
    "HC2": "Robust (HC2)",
    "HC3": "Robust (HC3)",
    "cluster": "Clustered",
    "HAC": "HAC",
    "iid": "Conventional",
    "hetero": "Robust (HC1)",
    "CRV1": "Clustered",
    "CRV3": "Clustered (CRV3)",
}

# Which estimations each table sets side by side, one column each, under its caption:
# by default one table per data specification that an estimation uses, with the
# models as columns.
TABLES = {
    data: {"caption": f"Estimates: {DATA_LABELS.get(data, data)}", "estimations": names}
    for data in DATA
    if (names := [name for name, e in ESTIMATIONS.items() if e["data"] == data])
}
# Digits of coefficients and standard errors, and the p-values that earn one, two or
# three stars.
TABLE_FORMAT = {"digits": 3, "stars": [0.1, 0.05, 0.01]}

# True: the columns of discrete-choice models show average marginal effects, on the
# scale of the linear models' coefficients. False: every column shows coefficients.
MARGINAL_EFFECTS = True

# The effects of interest, as statsmodels names terms ("income", "np.log(income)",
# "C(region)[T.South]"): a specification curve of each, over every estimation that has
# the term. Adding or editing one runs its curve alone.
EFFECTS_OF_INTEREST = ["income"]
# Size in inches and resolution of each specification curve.
SPECIFICATION_CURVE = {"width": 7.0, "height": 5.0, "dpi": 150}

# True adds a figure of each estimation's coefficients, a panel per term on a scale of
# its own, leaving out the terms in "omit". Off by default: a paper compares the effect
# of interest across specifications, which the curves do on one scale, while a figure
# per estimation compares nothing across them. Turn them on to look into single fits.
COEFFICIENT_FIGURES = False
COEFFICIENT_FIGURE = {"width": 6.0, "height": 4.0, "dpi": 150, "omit": ["Intercept"]}


def path_to_table(name: str, fmt: str) -> Path:
    """Return where the table ``name`` is stored, as "md" or "tex"."""
    return BLD / "final" / "tables" / f"{name}.{fmt}"


def path_to_coefficient_figure(name: str) -> Path:
    """Return where the figure of the coefficients of the estimation ``name`` is."""
    return BLD / "final" / "figures" / f"{name}.png"


def curve_id(term: str) -> str:
    """Return the id of the curve of ``term``, fit for a file name on every system.

    Runs of characters other than letters, digits and "." become "_":
    "np.log(income)" -> "np.log_income", "age:educ" -> "age_educ".
    """
    return re.sub(r"[^\w.]+", "_", term).strip("_")


def path_to_specification_curve(term: str, fmt: str) -> Path:
    """Return where the curve of the effect ``term`` is stored, as "png" or "csv"."""
    return BLD / "final" / "figures" / f"specification_curve_{curve_id(term)}.{fmt}"
