"""The rules of a pyfixest entry of ``MODELS``, which ``rules.py`` applies to it.

An entry whose estimator names pyfixest follows ``MODEL_RULES`` instead of statsmodels'
rules: its estimator, its arguments' names against pyfixest's own signatures, its
``"vcov"`` and the columns it clusters on. Only the deep checks import pyfixest.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from {{ cookiecutter.project_slug }}_template import rules
from {{ cookiecutter.project_slug }}_template.fixest import (
    COLUMN_ARGUMENTS,
    COLUMN_VCOV_KWARGS,
    ESTIMATORS,
    PREFIX,
    cluster_columns,
    is_fixest,
)
from {{ cookiecutter.project_slug }}_template.rules import Entry, Found, Rule

# What to install when pyfixest is missing.
INSTALL = "pyfixest is not installed; install the extra: pip install -e '.[fixest]'"
# The fit passes these itself; split and fsplit would fit several models at once.
RESERVED = {"fml", "data", "split", "fsplit"}
VCOV_NAMES = ("iid", "hetero", "HC1", "HC2", "HC3", "NW", "DK")
CLUSTERED = ("CRV1", "CRV3")
FAMILIES = ("gaussian", "logit", "probit")
# feglm's logit and probit give no average marginal effects, which the final stage
# shows for discrete-choice models: they would stand beside them on another scale.
WITHOUT_MARGINAL_EFFECTS = ("logit", "probit")
# The keyword arguments of pyfixest.ssc(), which fills in those that are left out.
SSC_KEYS = ("k_adj", "k_fixef", "G_adj", "G_df")
# What pyfixest needs in vcov_kwargs for each HAC vcov.
HAC_NEEDS = {"NW": ("time_id",), "DK": ("time_id", "panel_id")}
# The vcov types pyfixest cannot compute with fixed effects, or with instruments.
NOT_WITH = {
    "fixed_effects": ("the fixed effects", ("HC2", "HC3")),
    "endogenous": ("the instruments", ("HC2", "HC3", "CRV3")),
}
CLUSTER_EXAMPLE = "{'CRV1': 'a'} or {'CRV3': 'a+b'} (columns a, b)"


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
    yield from family_problems(value)
    yield from ssc_problems(value.get("ssc", {}))
    vcov = value.get("vcov")
    for key in HAC_NEEDS.get(vcov, ()) if isinstance(vcov, str) else ():
        if key not in vcov_kwargs:
            yield ("vcov_kwargs", key), f"missing; vcov {vcov!r} needs the column"


def family_problems(arguments: dict[str, Any]) -> Found:
    """The family is one of feglm's whose effects the tables can show."""
    family = arguments.get("family")
    if "family" in arguments and family not in FAMILIES:
        message = (
            f"{family!r} is no family of pyfixest.feglm; allowed: "
            f"{rules.quoted(FAMILIES)}{rules.closest(family, FAMILIES)}"
        )
        yield ("family",), message
    elif family in WITHOUT_MARGINAL_EFFECTS:
        message = (
            f"{family!r}: pyfixest.feglm gives no average marginal effects, which "
            "the tables and curves show for discrete-choice models; allowed: "
            f"'gaussian', or the estimator {family!r} of statsmodels (its fixed "
            "effects as C() terms)"
        )
        yield ("family",), message


def ssc_problems(ssc: object) -> Found:
    """The small-sample correction gives keyword arguments of pyfixest.ssc()."""
    if not isinstance(ssc, dict):
        yield ("ssc",), f"{ssc!r}; allowed: a dict of {rules.quoted(SSC_KEYS)}"
        return
    for key, message in rules.unknown(ssc, set(SSC_KEYS), "an argument of ssc()"):
        yield ("ssc", key), message


def vcov_pair_problems(
    spec: dict[str, Any], model: dict[str, Any], names: tuple[str, str]
) -> Iterator[str]:
    """The model's vcov is one that pyfixest computes with the data's fixed effects.

    And with its instruments.

    ``names`` are the ids of the model and the data.
    """
    arguments = model.get("arguments")
    vcov = arguments.get("vcov") if isinstance(arguments, dict) else None
    kind = next(iter(vcov)) if isinstance(vcov, dict) else vcov
    if not is_fixest(model.get("estimator")) or not isinstance(kind, str):
        return
    for key, (what, refused) in NOT_WITH.items():
        if spec.get(key) and kind in refused:
            yield (
                f"MODELS[{names[0]!r}]['arguments']['vcov']: pyfixest computes no "
                f"{kind!r} with {what} of DATA[{names[1]!r}]; allowed: another "
                "vcov, or leave the pair out"
            )


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
    what = f"an argument of pyfixest.{name}"
    for key, message in rules.unknown(value, allowed, what):
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
