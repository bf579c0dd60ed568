"""What the final stage shows: journal tables of the estimations, a figure of each.

Labels name what the ids and the formulas' terms mean; an id or a term without a label
shows as itself. Each entry is a dependency of exactly the tables and figures that show
it: editing a label reruns those, and no estimation.

"""

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
# by default one table per data specification, with the models as columns.
TABLES = {
    data: {
        "caption": f"Estimates: {DATA_LABELS.get(data, data)}",
        "estimations": [name for name, e in ESTIMATIONS.items() if e["data"] == data],
    }
    for data in DATA
}
# Digits of coefficients and standard errors, and the p-values that earn one, two or
# three stars.
TABLE_FORMAT = {"digits": 3, "stars": [0.1, 0.05, 0.01]}

# Size in inches and resolution of each coefficient figure, and the terms it leaves
# out. Each term gets a panel with a scale of its own, as coefficients differ widely.
COEFFICIENT_FIGURE = {"width": 6.0, "height": 4.0, "dpi": 150, "omit": ["Intercept"]}


def path_to_table(name: str, fmt: str) -> Path:
    """Return where the table ``name`` is stored, as "md" or "tex"."""
    return BLD / "final" / "tables" / f"{name}.{fmt}"


def path_to_coefficient_figure(name: str) -> Path:
    """Return where the figure of the coefficients of the estimation ``name`` is."""
    return BLD / "final" / "figures" / f"{name}.png"
