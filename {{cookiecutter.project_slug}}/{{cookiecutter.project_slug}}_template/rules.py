"""The rules of the configuration: what each key of ``DATA`` and ``MODELS`` may hold.

``RULES`` says, key by key, what is allowed, and ``problems`` applies it: each mistake
is one line that names the file, the entry and the key, what is allowed and the closest
valid name. ``config_checks`` applies the rules that the standard library can check when
pytask collects the tasks, and the ones that need pandas or statsmodels (``deep``)
before a task prepares or fits; the project's tests apply all of them at once.

"""

import ast
import difflib
import inspect
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from {{ cookiecutter.project_slug }}.config import SRC
from {{ cookiecutter.project_slug }}.data_preparation import config as data_config
from {{ cookiecutter.project_slug }}.estimation import config as estimation_config
from {{ cookiecutter.project_slug }}.estimation.config import (
    COLUMN_ARGUMENTS,
    COLUMN_COV_KWDS,
)
from {{ cookiecutter.project_slug }}_template import raw_data

# What a formula term may call besides numpy (np.log): patsy's own functions.
TERM_FUNCTIONS = {
    *("C", "I", "Q", "center", "standardize", "scale", "bs", "cr", "cc"),
    *("Treatment", "Sum", "Poly", "Helmert", "Diff"),
}
# The fitting function passes these itself, and drops rows with missing values itself.
RESERVED_ARGUMENTS = {"formula", "data", "eval_env", "missing", "endog", "exog"}
# Arguments that select rows by the labels of the data: the preparation renumbers the
# rows, so these would select other rows than the raw data's.
ROW_ARGUMENTS = {"subset"}
# LikelihoodModel.fit reads these from its **kwargs, also when a model's fit hands its
# **kwargs on to it; their types, which its docstring does not give.
LIKELIHOOD_FIT_KWARGS = {"cov_type": "str", "cov_kwds": "dict", "use_t": "bool"}
# Functions of statsmodels.formula.api that an entry of MODELS cannot express, and why;
# fit_model can fit them with what they need.
UNSUPPORTED = {
    **dict.fromkeys(
        (
            "conditional_logit",
            "conditional_mnlogit",
            "conditional_poisson",
            "ordinal_gee",
            "nominal_gee",
        ),
        "fits no constant, and every formula the template builds has one",
    ),
    "glmgam": "needs a smoother object, which is no JSON data",
}
# A docstring's type that names an object, not JSON data: "CovStruct class instance",
# "callable", "statsmodels.robust.norms.RobustNorm".
OBJECT_DOC = re.compile(r"\b(instance|callable|class)\b|\bstatsmodels\.")
# How the types of statsmodels' docstrings ("int, optional", "{'nb1', 'nb2'} or
# float") read in JSON data; other types (a callable, an object) are not checked.
DOC_TYPES = {
    **dict.fromkeys(("bool",), (bool,)),
    **dict.fromkeys(("int",), (int,)),
    **dict.fromkeys(("float", "scalar"), (int, float)),
    **dict.fromkeys(("str", "string"), (str,)),
    **dict.fromkeys(("dict", "dict-like"), (dict,)),
    **dict.fromkeys(("array_like", "array-like", "list", "tuple"), (list,)),
    **dict.fromkeys(("none",), (type(None),)),
}
# Python's operators that patsy reads as operators of formulas outside a call.
PATSY_OPERATORS = {
    **{ast.USub: "-", ast.UAdd: "+", ast.Add: "+", ast.Sub: "-"},
    **{ast.Mult: "*", ast.Div: "/", ast.Pow: "**"},
}
# How a message names the JSON types an option allows.
TYPE_NAMES = {
    bool: "a bool (True or False)",
    int: "an int",
    float: "a number",
    str: "a string",
    dict: "a dict",
    list: "a list",
    type(None): "None",
}
JSON_DATA = "strings, numbers, booleans, None, and lists and dicts of them"
# The kinds of models whose fits differ in the covariance types they know.
ALL_MODELS = frozenset({"linear", "glm", "other"})

# The keys below an entry's key where a problem is, and what the problem is.
Found = Iterator[tuple[tuple[str | int, ...], str]]
# An option's documentation: the function, its docstring's type and description of the
# option, and its default.
Docs = dict[str, tuple[str, str, str, Any]]


@dataclass(frozen=True)
class Entry:
    """An entry of ``DATA`` or ``MODELS`` and the raw data it is used with."""

    table: str
    name: str
    value: Any
    data_files: frozenset[Path]


# An id of DATA or ESTIMATIONS: a word, which may hold "." and "-" after its first
# character; no path, and nothing that pytask's -k reads as an expression.
ID = re.compile(r"\w[\w.-]*")
IDS = "text of letters, digits, _, . and -, starting with a letter, digit or _"


@dataclass(frozen=True)
class Rule:
    """What one key of an entry may hold, and the checks that enforce it."""

    allowed: str
    types: tuple[type, ...]
    check: Callable[[Any, Entry], Found]
    deep: Callable[[Any, Entry], Found] | None = None
    required: bool = True


@dataclass(frozen=True)
class CovType:
    """A covariance type of statsmodels and the keys of "cov_kwds" that it reads."""

    # Each tuple is a key that must be given, or several of which one must be.
    required: tuple[tuple[str, ...], ...] = ()
    optional: tuple[str, ...] = ()
    models: frozenset[str] = ALL_MODELS
    # statsmodels matches some names whatever their case, others only as written.
    exact_case: bool = False
    # Non-linear models scale a robust covariance by cov_kwds["scaling_factor"].
    scalable: bool = True
    # The values of cov_kwds["use_correction"] it tells apart; it ignores others.
    corrections: tuple[object, ...] = (False, True)


CLUSTER_OPTIONS = ("use_correction", "df_correction")
# The covariance types that read panels as runs of equal groups.
PANEL_TYPES = ("hac-panel", "nw-panel")
PANEL_OPTIONS = ("kernel", "use_correction", "df_correction")
PANEL_CORRECTIONS = (False, "hac", "cluster")
LINEAR = frozenset({"linear"})
# The covariance types that the fits of statsmodels know, mirroring
# RegressionResults.get_robustcov_results (statsmodels/regression/linear_model.py) for
# linear models, statsmodels.base.covtype.get_robustcov_results for the others, and
# GLM.fit's "eim". statsmodels silently ignores a key it does not read, so each key is
# listed here; the template's tests check this table against statsmodels itself.
COV_TYPES = {
    "nonrobust": CovType(exact_case=True, scalable=False),
    **{f"HC{number}": CovType() for number in range(4)},
    "HAC": CovType((("maxlags",),), ("kernel", "use_correction")),
    "cluster": CovType((("groups",),), CLUSTER_OPTIONS),
    "cluster-crv3": CovType((("groups",),), CLUSTER_OPTIONS, LINEAR),
    "cluster-jk": CovType((("groups",),), CLUSTER_OPTIONS, LINEAR),
    "hac-panel": CovType(
        (("maxlags",), ("groups", "time")),
        PANEL_OPTIONS,
        corrections=PANEL_CORRECTIONS,
    ),
    "nw-panel": CovType(
        (("maxlags",), ("groups", "time")),
        PANEL_OPTIONS,
        exact_case=True,
        corrections=PANEL_CORRECTIONS,
    ),
    "hac-groupsum": CovType(
        (("maxlags",), ("time",)), PANEL_OPTIONS, corrections=PANEL_CORRECTIONS
    ),
    "nw-groupsum": CovType(
        (("maxlags",), ("time",)),
        PANEL_OPTIONS,
        exact_case=True,
        corrections=PANEL_CORRECTIONS,
    ),
    "fixed scale": CovType((), ("scale",), LINEAR, exact_case=True),
    "fixed_scale": CovType((), ("scale",), LINEAR, exact_case=True),
    "eim": CovType(models=frozenset({"glm"}), scalable=False),
}


def problems(
    data: dict[str, Any],
    models: dict[str, Any],
    estimations: dict[str, Any] | None = None,
    *,
    deep: bool = False,
    fitted_to: Iterable[Path] | None = None,
) -> list[str]:
    """Return every mistake in ``data``, ``models`` and ``estimations``, one line each.

    Models are fitted to every data set, so their columns are checked in each one;
    ``fitted_to`` names the raw data files of the models' data instead.
    The estimations come first, as the tasks are built from them. A raw data file that
    cannot be read is one mistake, and its columns are not checked. Last, an
    estimation that pairs a data specification with instruments with an estimator
    that cannot fit them.
    """
    tables = {"DATA": data, "MODELS": models, "ESTIMATIONS": estimations or {}}
    # The other checks rely on dicts, and on ids, which name files under bld/.
    if found := [
        f"{config_file(table)}: {table}: {a_type(value)}; allowed: a dict of ids "
        "to entries"
        for table, value in tables.items()
        if not isinstance(value, dict)
    ]:
        return found
    if found := [*id_problems("DATA", data), *id_problems("ESTIMATIONS", estimations)]:
        return found
    files = {name: data_config.path_to_input_data(name) for name in data}
    if found := list(path_problems(files)):
        return found
    found = list(estimation_problems(estimations or {}, data, models))
    found += raw_data_problems(files)
    entries = [
        Entry("DATA", name, spec, frozenset({files[name]}))
        for name, spec in data.items()
    ]
    entries += [
        Entry("MODELS", name, model, frozenset(fitted_to or files.values()))
        for name, model in models.items()
    ]
    found += [line for entry in entries for line in entry_problems(entry, deep=deep)]
    return found + list(instrument_problems(estimations or {}, data, models))


def id_problems(table: str, ids: Iterable[object] | None) -> Iterator[str]:
    """Each id is text that names a file under bld/ and a task that -k selects."""
    for id_ in ids or ():
        if not is_id(id_):
            yield f"{config_file(table)}: {table}[{id_!r}]: not an id; allowed: {IDS}"


def is_id(value: object) -> bool:
    """Tell whether a value can be an id of DATA or ESTIMATIONS."""
    return isinstance(value, str) and ID.fullmatch(value) is not None


def effect_problems(
    effects: object, data: dict[str, Any], estimations: dict[str, Any]
) -> list[str]:
    """Each effect of interest is a covariate, or in one, of an estimation's data.

    The final stage draws a curve of each over the estimations that have it.
    """
    where = f"{shown(SRC / 'final' / 'config.py')}: EFFECTS_OF_INTEREST"
    if not isinstance(effects, list) or not all(isinstance(e, str) for e in effects):
        return [f"{where}: {effects!r}; allowed: a list of terms, such as ['income']"]
    used = {compact(data[e["data"]]["covariates"]) for e in estimations.values()}
    return [
        f"{where}: {term!r} is a covariate of no estimation's data; allowed: a "
        "term of DATA's covariates, or a level of one, such as 'C(region)[T.South]'"
        for term in effects
        if not any(compact(term.partition("[")[0])[1:-1] in text for text in used)
    ]


def compact(value: object) -> str:
    """Return a value as JSON without spaces, to find names in config entries."""
    return json.dumps(value).replace(" ", "")


def estimation_problems(
    estimations: dict[str, Any], data: dict[str, Any], models: dict[str, Any]
) -> Iterator[str]:
    """Each estimation names a model and a data id that exist, under an id of its own.

    Two pairs of model and data can give one id (``logit`` with ``a_1``, ``logit_a``
    with ``1``): one estimation would silently replace the other.
    """
    where = f"{config_file('ESTIMATIONS')}: ESTIMATIONS"
    pairs: dict[str, list[str]] = {}
    for model, name in ((m, d) for m in models for d in data):
        pair = f"MODELS[{model!r}] with DATA[{name!r}]"
        pairs.setdefault(f"{model}_{name}", []).append(pair)
    for id_, estimation in estimations.items():
        if len(pairs.get(id_, [])) > 1:
            yield (
                f"{where}[{id_!r}]: the id of {' and of '.join(pairs[id_])}: one "
                "estimation would replace the other; allowed: ids that one pair "
                "gives; rename a model or a data specification"
            )
        if not isinstance(estimation, dict) or estimation.keys() != {"model", "data"}:
            allowed = "a dict of 'model' and 'data', ids of MODELS and DATA"
            yield f"{where}[{id_!r}]: {estimation!r}; allowed: {allowed}"
            continue
        for key, table, ids in (("model", "MODELS", models), ("data", "DATA", data)):
            if not is_id(estimation[key]) or estimation[key] not in ids:
                name, names = estimation[key], [str(id_) for id_ in ids]
                yield (
                    f"{where}[{id_!r}][{key!r}]: {name!r} is no id of {table}; "
                    f"allowed: {quoted(names)}{closest(name, names)}"
                )


def instrument_problems(
    estimations: dict[str, Any], data: dict[str, Any], models: dict[str, Any]
) -> Iterator[str]:
    """An estimation of a data specification with instruments uses pyfixest.feols.

    A pyfixest estimation's vcov is one that pyfixest computes for its data's fixed
    effects and instruments.

    Only well-formed estimations are checked; estimation_problems reports the others.
    """
    from {{ cookiecutter.project_slug }}_template import fixest_rules  # noqa: PLC0415 (imports this module)

    for id_, estimation in estimations.items():
        if not isinstance(estimation, dict) or not all(
            is_id(estimation.get(key)) for key in ("model", "data")
        ):
            continue
        spec = data.get(estimation["data"])
        model = models.get(estimation["model"])
        if not (isinstance(spec, dict) and isinstance(model, dict)):
            continue
        estimator = model.get("estimator")
        where = f"{config_file('ESTIMATIONS')}: ESTIMATIONS[{id_!r}]"
        if "endogenous" in spec and estimator != IV_ESTIMATOR:
            yield (
                f"{where}: {estimator!r} cannot fit the instruments of "
                f"DATA[{estimation['data']!r}]; allowed: {IV_ESTIMATOR!r}, or leave "
                "the pair out"
            )
        names = (estimation["model"], estimation["data"])
        for problem in fixest_rules.vcov_pair_problems(spec, model, names):
            yield f"{where}: {problem}"


def path_problems(files: dict[str, object]) -> Iterator[str]:
    """Each raw data file is a Path: pytask reads text as relative to a task module."""
    for name, path in files.items():
        if not isinstance(path, Path):
            named = path == getattr(data_config, "RAW_DATA", None)
            source = "RAW_DATA" if named else f"path_to_input_data({name!r})"
            yield (
                f"{config_file('DATA')}: {source}: {path!r} is {a_type(path)}; "
                "allowed: a Path, such as SRC / 'data' / 'data.csv'"
            )
            return


def raw_data_problems(files: dict[str, Path]) -> Iterator[str]:
    """Say which raw data files cannot be read, naming where the config sets them."""
    for path in sorted(set(files.values())):
        if (problem := raw_data.file_problem(path)) is not None:
            named = [name for name, file in files.items() if file == path]
            source = (
                "RAW_DATA"
                if path == getattr(data_config, "RAW_DATA", None)
                else f"path_to_input_data({named[0]!r})"
            )
            yield f"{config_file('DATA')}: {source}: {shown(path)}: {problem}"


def entry_problems(entry: Entry, *, deep: bool) -> Iterator[str]:
    """Check one entry against the rules of its table."""
    rules = rules_of(entry)
    where = f"{config_file(entry.table)}: {entry.table}[{entry.name!r}]"
    if not isinstance(entry.value, dict):
        yield f"{where}: {entry.value!r} is no dict; allowed: a dict of {quoted(rules)}"
        return
    for key in sorted(entry.value.keys() - rules.keys(), key=str):
        allowed = f"allowed: {quoted(rules)}{closest(key, rules)}"
        yield f"{where}[{key!r}]: not a key of {entry.table}; {allowed}"
    for key, rule in rules.items():
        if key not in entry.value:
            if rule.required:
                yield f"{where}[{key!r}]: missing; allowed: {rule.allowed}"
            continue
        for keys, text in key_problems(entry, key, rule, deep=deep):
            yield f"{where}[{key!r}]{''.join(f'[{k!r}]' for k in keys)}: {text}"


def rules_of(entry: Entry) -> dict[str, Rule]:
    """Return the rules of an entry: a model that names pyfixest follows pyfixest's."""
    from {{ cookiecutter.project_slug }}_template import fixest_rules  # noqa: PLC0415 (imports this module)

    model = entry.value if entry.table == "MODELS" else None
    if isinstance(model, dict) and fixest_rules.is_fixest(model.get("estimator")):
        return fixest_rules.MODEL_RULES
    return RULES[entry.table]


def key_problems(entry: Entry, key: str, rule: Rule, *, deep: bool) -> Found:
    """Check the value of one key: its type, then its content, deep if asked."""
    value = entry.value[key]
    if not isinstance(value, rule.types):
        yield (), f"{value!r} is a {type(value).__name__}; allowed: {rule.allowed}"
        return
    found = list(rule.check(value, entry))
    yield from found
    # The deep checks rely on what the cheap ones found right.
    if deep and rule.deep is not None and not found:
        yield from rule.deep(value, entry)


# Checks of the standard library, cheap enough for every collection of the tasks.


def check_outcome(value: str, entry: Entry) -> Found:
    """The outcome is a column of the data."""
    yield from (((), text) for text in missing_columns([value], entry))


def check_terms(value: list[Any], entry: Entry) -> Found:
    """Each covariate is a formula term of columns."""
    for index, term in enumerate(value):
        if not isinstance(term, str):
            yield (index,), f"{term!r} is a {type(term).__name__}, not a formula term"
            continue
        try:
            columns = term_columns(term)
        except ValueError as error:
            yield (index,), f"{term!r} {error}"
            continue
        yield from (((index,), text) for text in missing_columns(columns, entry))


def check_query(value: str | None, entry: Entry) -> Found:
    """The sample is None or a pandas query of columns."""
    if value is None:
        return
    try:
        columns = query_columns(value)
    except ValueError as error:
        yield (), f"{value!r} {error}"
        return
    yield from (((), text) for text in missing_columns(columns, entry))


def check_arguments(value: dict[str, Any], entry: Entry) -> Found:
    """Arguments are JSON data; per-observation ones, family and link name things."""
    yield from not_json_data(value)
    for key in sorted(COLUMN_ARGUMENTS & value.keys()):
        yield from (((key,), text) for text in column_problems(value[key], entry))
    for key in ("family", "link"):
        if key in value and not isinstance(value[key], str):
            yield (key,), f"{value[key]!r} is no name; allowed: a class name"
    if "link" in value and "family" not in value:
        yield ("link",), "allowed only beside 'family', whose link it sets"


def check_fit(value: dict[str, Any], entry: Entry) -> Found:
    """Fit options are JSON data; in "cov_kwds", "groups" and "time" name columns."""
    yield from not_json_data(value)
    cov_type = value.get("cov_type", "nonrobust")
    if not isinstance(cov_type, str):
        yield ("cov_type",), f"{cov_type!r} is no name; allowed: a covariance type"
    cov_kwds = value.get("cov_kwds", {})
    if not isinstance(cov_kwds, dict):
        yield ("cov_kwds",), f"{cov_kwds!r} is no dict; allowed: a dict of options"
        return
    for key in sorted(COLUMN_COV_KWDS & cov_kwds.keys()):
        for text in column_problems(cov_kwds[key], entry):
            yield ("cov_kwds", key), text


def check_nothing(value: object, entry: Entry) -> Found:
    """Leave the check of a value to the deep one."""
    yield from ()


# Deep checks, which import pandas and statsmodels.


def check_term_functions(value: list[str], entry: Entry) -> Found:
    """The numpy functions that terms call exist."""
    import numpy as np  # noqa: PLC0415 (heavy, needed here only)

    for index, term in enumerate(value):
        for name in sorted(numpy_functions(term)):
            if not hasattr(np, name):
                close = closest(name, dir(np))
                yield (index,), f"np.{name} is not a function of numpy{close}"


def check_sample_rows(value: str | None, entry: Entry) -> Found:
    """The data have rows, and the sample selects one at least, as pandas reads it."""
    for path in sorted(entry.data_files - unreadable(entry.data_files)):
        read = sorted(query_columns(value)) if value else [raw_data.columns(path)[0]]
        data = raw_data.read(path, read or None)
        if data.empty:
            yield (), f"{shown(path)} has no rows"
            continue
        if value is None:
            continue
        try:
            selected = data.query(value)
        except Exception as error:  # pandas raises many kinds for a bad query
            yield (), f"{value!r} fails in pandas: {first_line(error)}"
            continue
        if selected.empty:
            yield (), f"{value!r} selects no row of {shown(path)}"


def check_estimator(value: str, entry: Entry) -> Found:
    """The estimator is a function of statsmodels.formula.api that a config can give.

    The arguments its model needs, such as MixedLM's groups, are there.
    """
    import statsmodels.formula.api as smf  # noqa: PLC0415 (heavy)

    names = [name for name in dir(smf) if not name.startswith("_")]
    cls = model_class(value)
    if cls is None or value in UNSUPPORTED:
        reason = UNSUPPORTED.get(value, "is not a function of statsmodels.formula.api")
        allowed = ", ".join(name for name in names if name not in UNSUPPORTED)
        close = "" if value in names else closest(value, names)
        yield (), f"{value!r} {reason}; allowed: {allowed}{close}"
        return
    arguments = entry.value.get("arguments", {})
    for name in sorted(required_arguments(cls) - set(arguments)):
        message = (
            f"{cls.__name__} needs the argument {name!r}; allowed: an entry "
            f"{name!r} in 'arguments'"
        )
        yield (), message


def check_argument_names(value: dict[str, Any], entry: Entry) -> Found:
    """Arguments are named by the estimator's signature; family and link exist."""
    cls = model_class(entry.value.get("estimator"))
    if cls is None or entry.value["estimator"] in UNSUPPORTED:  # reported there
        return
    allowed = argument_names(entry.value["estimator"]) - ROW_ARGUMENTS
    for key in sorted(ROW_ARGUMENTS & value.keys()):
        message = (
            "selects rows by the labels of the data, which the preparation "
            "renumbers; allowed: the data specification's 'sample'"
        )
        yield (key,), message
    given = value.keys() - ROW_ARGUMENTS - {"link"}
    for key, message in unknown(given, allowed, f"an argument of {cls.__name__}"):
        yield (key,), message
    found = False
    for key, classes in (("family", families()), ("link", links())):
        if key in value and value[key] not in classes:
            message = (
                f"{value[key]!r} is no {key} of statsmodels; allowed: "
                f"{quoted(classes)}{closest(value[key], classes)}"
            )
            found = True
            yield (key,), message
    if not found and "link" in value and "family" in value:
        yield from family_link_problems(value["family"], value["link"])
    skipped = COLUMN_ARGUMENTS | {"family", "link"}
    yield from value_problems(value, argument_docs(entry.value["estimator"]), skipped)


def check_fit_options(value: dict[str, Any], entry: Entry) -> Found:
    """Fit options are named by the signature of the estimator's fit."""
    cls = model_class(entry.value.get("estimator"))
    if cls is None:
        return
    allowed = fit_options(cls)
    for key, message in unknown(value, allowed, f"an option of {cls.__name__}.fit"):
        yield (key,), message
    yield from value_problems(value, fit_docs(cls), {"cov_type", "cov_kwds"})
    # Fits that take cov_kwds hand them to statsmodels' get_robustcov_results.
    if "cov_kwds" in allowed:
        found = list(covariance_problems(value, cls))
        yield from found or panel_problems(value, entry)


def value_problems(options: dict[str, Any], docs: Docs, skipped: set[str]) -> Found:
    """Each option's value has a type and value that statsmodels documents for it.

    statsmodels takes any truthy value for a boolean ("no" acts as True), and some of
    its fits silently ignore a value they do not know.
    """
    for key in sorted(options.keys() & docs.keys() - skipped):
        function, doc, description, default = docs[key]
        value = options[key]
        if value == default and type(value) is type(default):
            continue
        types, choices = documented_values(doc, description, default)
        said = f" ({function} documents {doc!r})" if doc else ""
        if isinstance(value, str) and choices and value not in choices:
            allowed = f"{quoted(choices)}{closest(value, choices)}"
            yield (key,), f"{value!r} is no {key} of {function}; allowed: {allowed}"
        elif types and not is_of(value, types):
            shown = [t for t in types if not (t is int and float in types)]
            allowed = ", ".join(TYPE_NAMES[type_] for type_ in shown)
            yield (key,), f"{value!r} is {a_type(value)}; allowed: {allowed}{said}"
        elif not types and OBJECT_DOC.search(doc):
            message = (
                f"{value!r}: {function} takes {doc!r}, an object that no config value "
                "is; allowed: leave it out, or make the object in fit_model"
            )
            yield (key,), message


def documented_values(
    doc: str, description: str, default: object
) -> tuple[tuple[type, ...], tuple[str, ...]]:
    """Read the JSON types and the strings that a docstring allows for an option.

    The strings are those in braces ("{'nb1', 'nb2'}"), or those its description
    lists as "the following strings"; without a documented type, the default's.
    """
    choices = re.findall(r"['\"]([^'\"]*)['\"]", " ".join(re.findall(r"{.*?}", doc)))
    if not choices and "following strings" in description:
        choices = re.findall(r"'(\w+)'", description.split("following strings")[1])
    words = re.split(r"[\s,/]+|\bor\b", re.sub(r"{.*?}", " str ", doc).lower())
    # "list[str]" is a list.
    types = [t for word in words for t in DOC_TYPES.get(word.partition("[")[0], ())]
    if not types and default is not None and type(default) in TYPE_NAMES:
        types = [float if type(default) is int else type(default)]
    return tuple(dict.fromkeys(types)), tuple(choices)


def is_of(value: object, types: tuple[type, ...]) -> bool:
    """Tell whether a value is of one of the types; a bool is no number here."""
    if isinstance(value, bool):
        return bool in types
    return isinstance(value, types) or (isinstance(value, int) and float in types)


def covariance_problems(fit: dict[str, Any], cls: type) -> Found:
    """The covariance type is one that the model's fit knows, given what it reads."""
    kind = model_kind(cls)
    cov_type = fit.get("cov_type", "nonrobust")
    known = [name for name, rule in COV_TYPES.items() if kind in rule.models]
    name = cov_type_name(cov_type, known)
    if name is None:
        message = (
            f"{cov_type!r} is no covariance type of statsmodels for {cls.__name__}; "
            f"allowed: {quoted(known)}{closest(cov_type, known)}"
        )
        yield ("cov_type",), message
        return
    shown_name = f"{name!r}" + ("" if "cov_type" in fit else ", the default")
    cov_kwds = fit.get("cov_kwds", {})
    found = list(cov_kwds_problems(cov_kwds, name, shown_name, kind))
    yield from found
    # The values matter only once the keys are right.
    if not found:
        yield from cov_kwds_value_problems(cov_kwds, name)


def panel_problems(fit: dict[str, Any], entry: Entry) -> Found:
    """Data that a panel covariance reads by runs of their groups are sorted by them.

    statsmodels takes each run of equal values of "groups" for a panel of its own.
    """
    column = fit.get("cov_kwds", {}).get("groups")
    if str(fit.get("cov_type")).lower() not in PANEL_TYPES or column is None:
        return
    for path in sorted(entry.data_files - unreadable(entry.data_files)):
        groups = raw_data.read(path, [column])[column]
        if (groups != groups.shift()).sum() > groups.nunique(dropna=False):
            message = (
                f"{shown(path)} is not sorted by {column!r}, and cov_type "
                f"{fit['cov_type']!r} reads each run of equal values as a panel; "
                f"allowed: data sorted by {column!r}"
            )
            yield ("cov_kwds", "groups"), message


def cov_kwds_problems(
    cov_kwds: dict[str, Any], name: str, shown_name: str, kind: str
) -> Found:
    """The keys of "cov_kwds" are those the covariance type reads, and it has all."""
    rule = COV_TYPES[name]
    allowed = {key for keys in rule.required for key in keys} | set(rule.optional)
    if rule.scalable and kind != "linear":
        allowed.add("scaling_factor")
    what = f"an option of cov_type {shown_name}"
    for key, message in unknown(cov_kwds, allowed, what):
        yield ("cov_kwds", key), message
    for keys in rule.required:
        if not cov_kwds.keys() & set(keys):
            needed = " or ".join(repr(key) for key in keys)
            message = f"missing; cov_type {shown_name} needs {needed}"
            yield ("cov_kwds", *keys[:1]), message


def cov_kwds_value_problems(cov_kwds: dict[str, Any], name: str) -> Found:
    """Each value is one that statsmodels takes, and the covariance type reads.

    The correction is one that the covariance type tells apart; the kernel exists.
    """
    from statsmodels.stats.sandwich_covariance import kernel_dict  # noqa: PLC0415

    for key, (allowed, holds) in COV_KWDS_VALUES.items():
        if key in cov_kwds and not holds(cov_kwds[key]):
            yield ("cov_kwds", key), f"{cov_kwds[key]!r}: allowed: {allowed}"
    corrections = COV_TYPES[name].corrections
    if cov_kwds.get("use_correction", False) not in corrections:
        message = (
            f"{cov_kwds['use_correction']!r} is no correction of cov_type {name!r}; "
            f"allowed: {', '.join(map(repr, corrections))}"
        )
        yield ("cov_kwds", "use_correction"), message
    kernel = cov_kwds.get("kernel")
    if "kernel" in cov_kwds and not (isinstance(kernel, str) and kernel in kernel_dict):
        message = (
            f"{kernel!r} is no kernel of statsmodels; allowed: "
            f"{quoted(kernel_dict)}{closest(kernel, kernel_dict)}"
        )
        yield ("cov_kwds", "kernel"), message


def is_lag(value: object) -> bool:
    """Tell whether a value is a number of lags: a whole number, 0 or more."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def is_positive(value: object) -> bool:
    """Tell whether a value is a number above 0."""
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


# What statsmodels takes for the values of cov_kwds that name no column; others fail
# with a traceback (maxlags "2"), or count as they would in an if ("no" as True).
COV_KWDS_VALUES: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "maxlags": ("a whole number of lags, 0 or more", is_lag),
    "df_correction": ("True or False", lambda value: isinstance(value, bool)),
    "scaling_factor": ("a number above 0", is_positive),
    "scale": ("a number above 0", is_positive),
}

RULES = {
    "DATA": {
        "outcome": Rule("a column of the data", (str,), check_outcome),
        "covariates": Rule(
            "a list of formula terms of columns: x, C(x), np.log(x), I(x ** 2), x:z",
            (list,),
            check_terms,
            deep=check_term_functions,
        ),
        "sample": Rule(
            "a pandas query of columns, such as 'age >= 30', or None",
            (str, type(None)),
            check_query,
            deep=check_sample_rows,
        ),
    },
    "MODELS": {
        "estimator": Rule(
            "the name of a function of statsmodels.formula.api, e.g. 'ols' or 'glm'",
            (str,),
            check_nothing,
            deep=check_estimator,
        ),
        "arguments": Rule(
            "a dict of the estimator's keyword arguments, as JSON data",
            (dict,),
            check_arguments,
            deep=check_argument_names,
            required=False,
        ),
        "fit": Rule(
            "a dict of keyword arguments of the fit, as JSON data",
            (dict,),
            check_fit,
            deep=check_fit_options,
            required=False,
        ),
    },
}


# Fixed effects and instruments: optional keys of a data specification, which any
# estimator fits (statsmodels' as C() terms) but instruments, which need pyfixest.feols.
IV_ESTIMATOR = "pyfixest.feols"


def check_columns(value: list[Any], entry: Entry) -> Found:
    """Each item is a column of the data."""
    for index, column in enumerate(value):
        yield from (((index,), text) for text in column_problems(column, entry))


def check_endogenous(value: list[Any], entry: Entry) -> Found:
    """Endogenous variables are covariates, with at least as many instruments."""
    covariates = entry.value.get("covariates", [])
    for index, name in enumerate(value):
        if name not in covariates:
            message = f"{name!r} is no covariate; allowed: {quoted(covariates)}"
            yield (index,), message + closest(name, covariates)
        else:
            yield from (((index,), text) for text in column_problems(name, entry))
    instruments = entry.value.get("instruments")
    if not isinstance(instruments, list) or len(instruments) < len(value) or not value:
        yield (), "needs 'instruments', a list of at least as many columns"


def check_instruments(value: list[Any], entry: Entry) -> Found:
    """Instruments are columns, given with the endogenous covariates they instrument."""
    yield from check_columns(value, entry)
    if "endogenous" not in entry.value:
        yield (), "allowed only beside 'endogenous', the covariates it instruments"
    covariates = entry.value.get("covariates", [])
    for index, name in enumerate(value):
        if name in covariates:
            yield (index,), f"{name!r} is a covariate; allowed: columns that are not"


RULES["DATA"] |= {
    "fixed_effects": Rule(
        "a list of columns whose fixed effects the models fit",
        (list,),
        check_columns,
        required=False,
    ),
    "endogenous": Rule(
        "a list of covariates that 'instruments' instrument",
        (list,),
        check_endogenous,
        required=False,
    ),
    "instruments": Rule(
        "a list of columns that instrument the 'endogenous' covariates",
        (list,),
        check_instruments,
        required=False,
    ),
}


# Reading terms and queries with Python's own parser.


# What a factor of a term may be: a column, a call, a comparison ("age > 40").
FACTOR_NODES = (ast.Name, ast.Call, ast.Compare)
FACTORS = (
    "a column, a call such as C(x), np.log(x) or I(x - 1), or their interaction x:z"
)


def term_columns(term: str) -> set[str]:
    """Return the columns a formula term uses; raise ValueError if it is no term."""
    columns = set()
    for factor in split_interaction(term):
        try:
            tree = ast.parse(factor.strip(), mode="eval")
        except SyntaxError as error:
            message = f"does not parse as a formula term ({error.msg})"
            raise ValueError(message) from None
        if operator := formula_operator(tree.body):
            message = (
                f"is no single term: patsy reads {operator} as part of the formula "
                f"(-1 and 0 drop the constant), not as arithmetic; allowed: {FACTORS}"
            )
            raise ValueError(message)
        if not isinstance(tree.body, FACTOR_NODES):
            raise ValueError(f"is no single term of a formula; allowed: {FACTORS}")
        columns |= factor_columns(tree)
    return columns


def formula_operator(node: ast.expr) -> str | None:
    """Return what patsy reads as an operator of formulas in a factor, if anything.

    A sign, +, -, *, /, ** or a number outside a call changes the formula's terms
    (``-1`` drops the constant); inside a call such as I() it is arithmetic.
    """
    if isinstance(node, ast.Constant):
        return f"the number {node.value!r}"
    if isinstance(node, ast.UnaryOp | ast.BinOp) and type(node.op) in PATSY_OPERATORS:
        return f"its {PATSY_OPERATORS[type(node.op)]!r}"
    return None


def split_interaction(term: str) -> list[str]:
    """Split ``x:z`` into its factors, leaving colons inside brackets alone."""
    factors, depth, start = [], 0, 0
    for index, character in enumerate(term):
        depth += (character in "([{") - (character in ")]}")
        if character == ":" and depth == 0:
            factors.append(term[start:index])
            start = index + 1
    return [*factors, term[start:]]


def factor_columns(tree: ast.AST) -> set[str]:
    """Return the names of columns in a factor; refuse calls patsy cannot make."""
    columns = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and not is_term_function(node.func):
            message = (
                f"calls {ast.unparse(node.func)}; allowed: np.<function> or "
                f"{quoted(TERM_FUNCTIONS)}"
            )
            raise ValueError(message)
        if isinstance(node, ast.Attribute) and not is_numpy(node):
            message = f"uses {ast.unparse(node)}; allowed attributes: np.<name>"
            raise ValueError(message)
        if isinstance(node, ast.Name) and node.id not in {"np", *TERM_FUNCTIONS}:
            columns.add(node.id)
        if is_quoted_column(node):
            columns.add(node.args[0].value)
    return columns


def is_term_function(function: ast.expr) -> bool:
    """Tell whether a term may call ``function``: patsy's own, or numpy's."""
    is_patsy = isinstance(function, ast.Name) and function.id in TERM_FUNCTIONS
    return is_patsy or is_numpy(function)


def is_numpy(node: ast.expr) -> bool:
    """Tell whether ``node`` is ``np.<name>``."""
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "np"
    )


def is_quoted_column(node: ast.AST) -> bool:
    """Tell whether ``node`` is patsy's ``Q("column name")``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Q"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    )


def numpy_functions(term: str) -> set[str]:
    """Return the names of the numpy functions a valid term uses."""
    factors = [ast.parse(part.strip(), mode="eval") for part in split_interaction(term)]
    return {node.attr for tree in factors for node in ast.walk(tree) if is_numpy(node)}


def query_columns(query: str) -> set[str]:
    """Return the columns a pandas query uses; raise ValueError if it does not parse.

    pandas quotes names that are no identifiers in backticks; the rest is Python.
    """
    quoted_names: dict[str, str] = {}

    def placeholder(match: re.Match[str]) -> str:
        name = f"_quoted_{len(quoted_names)}"
        quoted_names[name] = match[1]
        return name

    try:
        tree = ast.parse(re.sub(r"`([^`]*)`", placeholder, query), mode="eval")
    except SyntaxError as error:
        message = f"does not parse as a pandas query ({error.msg})"
        raise ValueError(message) from None
    functions = {node.func for node in ast.walk(tree) if isinstance(node, ast.Call)}
    names = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node not in functions
    }
    return {quoted_names.get(name, name) for name in names} - {"index"}


# Looking names up in statsmodels.


def model_class(estimator: object) -> type | None:
    """Return the model class behind a function of statsmodels.formula.api."""
    import statsmodels.formula.api as smf  # noqa: PLC0415 (heavy)

    if not isinstance(estimator, str) or estimator.startswith("_"):
        return None
    return getattr(getattr(smf, estimator, None), "__self__", None)


def argument_names(estimator: str) -> set[str]:
    """Return the keyword arguments of an estimator: its model's and its formula's."""
    import statsmodels.formula.api as smf  # noqa: PLC0415 (heavy)

    function = getattr(smf, estimator)
    names = named_parameters(function.__self__.__init__) | named_parameters(function)
    return names - RESERVED_ARGUMENTS


def required_arguments(cls: type) -> set[str]:
    """Return the arguments that a model needs besides the formula's data."""
    parameters = inspect.signature(cls.__init__).parameters.values()
    needed = {p.name for p in parameters if p.default is inspect.Parameter.empty}
    kinds = {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD}
    return (
        needed
        - {p.name for p in parameters if p.kind in kinds}
        - {
            "self",
            *RESERVED_ARGUMENTS,
        }
    )


@cache
def docs_of(function: Callable[..., Any], doc_of: object = None) -> Docs:
    """Return the documentation of each named parameter of ``function``.

    ``doc_of`` holds the docstring when another object does, as a class does for
    its ``__init__``.
    """
    from statsmodels.tools.docstring import NumpyDocString  # noqa: PLC0415 (heavy)

    text = inspect.getdoc(function if doc_of is None else doc_of) or ""
    try:
        documented = NumpyDocString(text)["Parameters"]
    except Exception:  # a docstring that statsmodels' own parser cannot read
        documented = []
    types = {p.name: (p.type, " ".join(p.desc)) for p in documented}
    name = function.__qualname__.removesuffix(".__init__")
    return {
        p.name: (name, *types.get(p.name, ("", "")), p.default)
        for p in inspect.signature(function).parameters.values()
        if p.default is not inspect.Parameter.empty
    }


def argument_docs(estimator: str) -> Docs:
    """Return the documentation of an estimator's arguments, its model's first."""
    import statsmodels.formula.api as smf  # noqa: PLC0415 (heavy)

    function = getattr(smf, estimator)
    cls = function.__self__
    return docs_of(function.__func__) | docs_of(cls.__init__, cls)


def fit_docs(cls: type) -> Docs:
    """Return the documentation of the options of a model's fit.

    The options it hands on to LikelihoodModel.fit are documented there.
    """
    from statsmodels.base.model import LikelihoodModel  # noqa: PLC0415 (heavy)

    docs = docs_of(cls.fit)
    if "LikelihoodModel.fit" in (cls.fit.__doc__ or ""):
        likelihood = docs_of(LikelihoodModel.fit)
        passed = {
            key: ("LikelihoodModel.fit", doc, "", None)
            for key, doc in LIKELIHOOD_FIT_KWARGS.items()
        }
        docs = passed | likelihood | docs
    return docs


def fit_options(cls: type) -> set[str]:
    """Return the options the fit of a model class uses.

    statsmodels documents the fits that hand their **kwargs on to LikelihoodModel.fit
    with that method's docstring; those take its options too.
    """
    from statsmodels.base.model import LikelihoodModel  # noqa: PLC0415 (heavy)

    options = named_parameters(cls.fit)
    if "LikelihoodModel.fit" in (cls.fit.__doc__ or ""):
        options |= named_parameters(LikelihoodModel.fit) | set(LIKELIHOOD_FIT_KWARGS)
    return options


def model_kind(cls: type) -> str:
    """Tell which kind of covariance types a model's fit knows."""
    from statsmodels.genmod.generalized_linear_model import GLM  # noqa: PLC0415
    from statsmodels.regression.linear_model import RegressionModel  # noqa: PLC0415

    if issubclass(cls, RegressionModel):
        return "linear"
    return "glm" if issubclass(cls, GLM) else "other"


def cov_type_name(cov_type: str, known: list[str]) -> str | None:
    """Return the covariance type that statsmodels takes ``cov_type`` for, if any."""
    for name in known:
        exact = COV_TYPES[name].exact_case
        if cov_type == name or (not exact and cov_type.lower() == name.lower()):
            return name
    return None


def named_parameters(function: Callable[..., Any]) -> set[str]:
    """Return the parameters that ``function`` takes by name, besides self."""
    kinds = {inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY}
    parameters = inspect.signature(function).parameters.values()
    return {p.name for p in parameters if p.kind in kinds} - {"self"}


def families() -> list[str]:
    """Return the class names of statsmodels' families."""
    from statsmodels.genmod import families as module  # noqa: PLC0415 (heavy)

    return subclasses(vars(module), module.Family)


def family_link_problems(family: str, link: str) -> Found:
    """The link is one that the family takes (statsmodels' ``Family.links``)."""
    from statsmodels.genmod import families as module  # noqa: PLC0415 (heavy)
    from statsmodels.genmod.families import links as link_module  # noqa: PLC0415

    taken = tuple(getattr(module, family).links)
    allowed = [n for n in links() if issubclass(getattr(link_module, n), taken)]
    if link not in allowed:
        message = (
            f"{link!r} is no link of the family {family!r}; allowed: "
            f"{quoted(allowed)}{closest(link, allowed)}"
        )
        yield ("link",), message


def links() -> list[str]:
    """Return the class names of statsmodels' links."""
    from statsmodels.genmod.families import links as module  # noqa: PLC0415 (heavy)

    return subclasses(vars(module), module.Link)


def subclasses(namespace: dict[str, Any], base: type) -> list[str]:
    """Return the capitalised names of the subclasses of ``base`` in a namespace.

    Lower-case names are statsmodels' deprecated aliases.
    """
    return sorted(
        name
        for name, value in namespace.items()
        if isinstance(value, type)
        and issubclass(value, base)
        and value is not base
        and name[:1].isupper()
    )


# Small helpers of the messages.


def missing_columns(columns: Iterable[str], entry: Entry) -> Iterator[str]:
    """Say which columns the data files of an entry lack."""
    for column in sorted(columns):
        yield from column_problems(column, entry)


def column_problems(column: object, entry: Entry) -> Iterator[str]:
    """Say if ``column`` is no column of one of the entry's data files."""
    if not isinstance(column, str):
        yield f"{column!r} is a {type(column).__name__}; allowed: a column's name"
        return
    # A file that cannot be read is one mistake, said once for the file.
    for path in sorted(entry.data_files - unreadable(entry.data_files)):
        if column not in (header := read_header(path)):
            close = closest(column, header)
            yield f"{column!r} is not a column of {shown(path)}{close}"


def not_json_data(value: object, keys: tuple[str | int, ...] = ()) -> Found:
    """Find values that are no JSON data, which pytask could not hash."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                yield (*keys, key), f"the key {key!r} is no string; allowed: strings"
            else:
                yield from not_json_data(item, (*keys, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from not_json_data(item, (*keys, index))
    elif not isinstance(value, str | int | float | bool | None):
        yield keys, f"{value!r} is not JSON data; allowed: {JSON_DATA}"


def unreadable(paths: frozenset[Path]) -> set[Path]:
    """Return the raw data files whose columns cannot be read."""
    return {path for path in paths if raw_data.file_problem(path) is not None}


def read_header(path: Path) -> tuple[str, ...]:
    """Return the column names of a raw data file, whatever its format."""
    return raw_data.columns(path)


def config_file(table: str) -> str:
    """Return the config file that defines ``table``, relative to the project."""
    module = data_config if table == "DATA" else estimation_config
    return shown(Path(module.__file__))


def shown(path: Path) -> str:
    """Show a path relative to the project, as the user sees it."""
    path, project = Path(path).resolve(), SRC.parent.parent
    relative = path.relative_to(project) if path.is_relative_to(project) else path
    return relative.as_posix()


def unknown(
    given: Iterable[str], allowed: set[str], what: str
) -> Iterator[tuple[str, str]]:
    """Return each name given that is not allowed, with its message.

    The message says what the name is not, the allowed names and the closest of them.
    """
    for name in sorted(set(given) - allowed):
        names = quoted(allowed) or "none"
        yield name, f"not {what}; allowed: {names}{closest(name, allowed)}"


def closest(name: object, names: Iterable[str]) -> str:
    """Suggest the valid name closest to a wrong one, if any is close."""
    matches = difflib.get_close_matches(str(name), list(names), n=1)
    return f"; did you mean {matches[0]!r}?" if matches else ""


def quoted(names: Iterable[str]) -> str:
    """List names, quoted, in order."""
    return ", ".join(repr(name) for name in sorted(names))


def a_type(value: object) -> str:
    """Name the type of a value with its article: "a str", "an int"."""
    name = type(value).__name__
    return "None" if value is None else f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def first_line(error: Exception) -> str:
    """Return the first line of an error's message."""
    return (str(error).strip() or type(error).__name__).splitlines()[0]
