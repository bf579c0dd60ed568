"""Effects on one scale: average marginal effects of discrete-choice models.

A logit's or probit's coefficient is on the scale of its latent index; its average
marginal effect, the mean over the rows of the derivative of the probability of the
outcome, is on the scale of a linear probability model's coefficient. statsmodels
computes it with a delta-method standard error in ``get_margeff(at="overall")``, for
Logit and Probit fits and for GLMs (used here for those with a binomial family).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd
    from statsmodels.base.model import LikelihoodModelResults

# The columns of an effects frame: estimate, standard error, p-value, 95% interval.
COLUMNS = ["estimate", "std_error", "p_value", "lower", "upper"]


def is_discrete_choice(result: LikelihoodModelResults) -> bool:
    """Return whether a fit is a binary choice: Logit, Probit, or a binomial GLM."""
    from statsmodels.discrete.discrete_model import Logit, Probit  # noqa: PLC0415
    from statsmodels.genmod.families import Binomial  # noqa: PLC0415 (fast collection)

    family = getattr(result.model, "family", None)
    return isinstance(result.model, Logit | Probit) or isinstance(family, Binomial)


def shows_marginal_effects(
    result: LikelihoodModelResults, marginal_effects: bool
) -> bool:
    """Return whether a table shows a fit's average marginal effects."""
    return marginal_effects and is_discrete_choice(result)


def effects_of(
    result: LikelihoodModelResults, marginal_effects: bool = True
) -> pd.DataFrame:
    """Return each term's effect, as a table shows it, one row per term.

    Discrete-choice fits give their average marginal effects if ``marginal_effects``
    (no constant then), other fits their coefficients.
    """
    import pandas as pd  # noqa: PLC0415 (keeps collection fast)

    if shows_marginal_effects(result, marginal_effects):
        # dy/dx, Std. Err., z, Pr(>|z|), Conf. Int. Low, Cont. Int. Hi.
        frame = result.get_margeff(at="overall").summary_frame(alpha=0.05)
        return frame.iloc[:, [0, 1, 3, 4, 5]].set_axis(COLUMNS, axis="columns")
    intervals = result.conf_int(alpha=0.05)
    columns = [result.params, result.bse, result.pvalues, intervals[0], intervals[1]]
    return pd.DataFrame(dict(zip(COLUMNS, columns, strict=True)))
