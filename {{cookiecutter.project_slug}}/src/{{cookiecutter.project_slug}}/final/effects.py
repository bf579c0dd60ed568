"""Effects on one scale: average marginal effects of discrete-choice models.

A logit's or probit's coefficient is on the scale of its latent index; its average
marginal effect, the mean over the rows of the derivative of the probability of the
outcome, is on the scale of a linear probability model's coefficient. Each fit's record
(``bld/estimation/<id>.json``, written by the template's ``summaries.py`` when it was
fitted) holds them for Logit, Probit and binomial GLM fits, as statsmodels'
``get_margeff(at="overall")`` gives them with their delta-method standard errors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

# The columns of an effects frame: estimate, standard error, p-value, 95% interval.
COLUMNS = ["estimate", "std_error", "p_value", "lower", "upper"]
# The same, as a record names them.
RECORD_KEYS = ["coef", "std_err", "p_value", "low", "high"]


@dataclass(frozen=True)
class Record:
    """What the outputs show of a fit, as the estimation recorded it."""

    coefficients: pd.DataFrame
    marginal_effects: pd.DataFrame | None
    nobs: int
    statistics: dict[str, float]
    covariance: str
    outcome: str
    # The columns whose fixed effects the fit absorbed or fitted as C() dummies, and
    # the columns its standard errors are clustered by.
    fixed_effects: list[str]
    clusters: list[str]
    # The covariates that instruments stand in for (two-stage least squares).
    instrumented: list[str]
    # False where the optimizer stopped before converging.
    converged: bool


def load_record(path: Path) -> Record:
    """Load the record of a fit that the estimation wrote; missing numbers are NaN."""
    record = json.loads(path.read_text())
    effects = record.get("marginal_effects")
    return Record(
        coefficients=frame_of(record["terms"]),
        marginal_effects=None if effects is None else frame_of(effects),
        nobs=record["observations"],
        statistics=record["statistics"],
        covariance=record["covariance"],
        outcome=record["outcome"],
        fixed_effects=record["fixed_effects"],
        clusters=record["clusters"],
        instrumented=record["instrumented"],
        converged=record["converged"],
    )


def frame_of(terms: dict[str, dict[str, float | None]]) -> pd.DataFrame:
    """Return a record's terms as an effects frame, one row per term."""
    import pandas as pd  # noqa: PLC0415 (keeps collection fast)

    frame = pd.DataFrame.from_dict(terms, orient="index", dtype=float)
    return frame.reindex(columns=RECORD_KEYS).set_axis(COLUMNS, axis="columns")


def shows_marginal_effects(record: Record, marginal_effects: bool) -> bool:
    """Return whether a table shows a fit's average marginal effects."""
    return marginal_effects and record.marginal_effects is not None


def effects_of(record: Record, marginal_effects: bool = True) -> pd.DataFrame:
    """Return each term's effect, as a table shows it, one row per term.

    Discrete-choice fits give their average marginal effects if ``marginal_effects``
    (no constant then), other fits their coefficients.
    """
    if shows_marginal_effects(record, marginal_effects):
        return record.marginal_effects
    return record.coefficients
