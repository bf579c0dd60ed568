"""The raw data, and the data specifications: one task prepares each entry of ``DATA``.

``RAW_DATA`` names the raw data; its suffix says how they are read: ``.csv``, ``.dta``
(Stata), ``.parquet``, ``.xlsx`` (Excel, the first sheet) or ``.sav`` (SPSS). Those
shipped are 944 respondents of the American National Election Study 1996; ``vote`` is 1
for a vote for Dole and 0 for Clinton. Add a specification by adding an entry with
exactly these keys (the template's ``rules.py`` checks them, and ``pytask`` and
``pytest`` name any mistake):

- ``"outcome"``: a column of the data.
- ``"covariates"``: a list of formula terms of columns: ``"age"``, ``"C(PID)"``,
  ``"np.log(income)"``, ``"I(age ** 2)"``, ``"age:educ"``.
- ``"sample"``: a pandas query that selects the rows, such as ``"educ >= 4"``, or None.

and optionally:

- ``"fixed_effects"``: a list of columns, e.g. ``["PID"]``. A pyfixest estimator absorbs
  them; a statsmodels one fits them as ``C(PID)`` terms. Tables show a row
  "Party identification FE: Yes" instead of the dummies.
- ``"endogenous"`` and ``"instruments"``, together: the covariates that are endogenous,
  and the columns that instrument them, at least as many, none a covariate. Only
  ``"pyfixest.feols"`` fits them (two-stage least squares); leave other models out of
  such estimations in ``ESTIMATIONS``. Tables name them in a row "Instrumented". For
  example::

      "data_iv": {
          "outcome": "vote",
          "covariates": ["age", "selfLR"],
          "sample": None,
          "fixed_effects": ["PID"],
          "endogenous": ["selfLR"],
          "instruments": ["ClinLR", "DoleLR"],
      },

The prepared data keep every column of the sample's rows; each estimation drops the
rows that lack a value in a column it uses.

"""

from pathlib import Path

from {{ cookiecutter.project_slug }}.config import BLD, SRC

RAW_DATA = SRC / "data" / "data.csv"

DEMOGRAPHICS = ["age", "educ", "income"]
IDEOLOGY = ["PID", "selfLR"]

DATA = {
    "data_0": {"outcome": "vote", "covariates": DEMOGRAPHICS, "sample": None},
    "data_1": {
        "outcome": "vote",
        "covariates": DEMOGRAPHICS + IDEOLOGY,
        "sample": None,
    },
    "data_2": {
        "outcome": "vote",
        "covariates": DEMOGRAPHICS + IDEOLOGY,
        "sample": "educ >= 4",
    },
    "data_3": {
        "outcome": "vote",
        "covariates": DEMOGRAPHICS + IDEOLOGY,
        "sample": "educ <= 3",
    },
}


def path_to_input_data(name: str) -> Path:
    """Return the raw data that the specification ``name`` starts from."""
    return RAW_DATA


def path_to_processed_data(name: str) -> Path:
    """Return where the prepared data of the specification ``name`` are stored."""
    return BLD / "data_preparation" / f"{name}.parquet"
