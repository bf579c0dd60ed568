"""Mistakes in the config are refused in the user's words, never fitted.

Each mistake of the table goes into a small baked project (one data specification, one
model) and must stop ``pytask`` with the message, writing no result of the estimation,
and fail the project's own ``pytest`` with the same message. Random misspellings of any
key or name of a valid config must be refused as well.
"""

import itertools
import json
import os
import random
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from statsmodels.genmod import families
from statsmodels.genmod.families import links

from tests.bakery import add_weight_and_state, bake, pythonpath
from tests.reruns import RAW_DATA, copy_project, set_data, set_models

DATA_FILE = "src/my_project/data_preparation/config.py"
MODELS_FILE = "src/my_project/estimation/config.py"
CSV = "src/my_project/data/data.csv"
DATA = {"outcome": "vote", "covariates": ["age", "np.log(income)"], "sample": None}
OLS = {"estimator": "ols", "fit": {"cov_type": "HC1"}}
GLM = {"estimator": "glm", "arguments": {"family": "Binomial", "link": "Probit"}}
WLS = {"estimator": "wls", "arguments": {"weights": "weight"}}
CLUSTERED = {
    "estimator": "ols",
    "fit": {"cov_type": "cluster", "cov_kwds": {"groups": "state"}},
}
TERMS = ("a list of formula terms of columns: x, C(x), np.log(x), I(x ** 2), x:z",)


def without(entry: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k != key}


def where(table: str, entry: str) -> str:
    """Return how a message names an entry: its config file, table and id."""
    return f"{DATA_FILE if table == 'DATA' else MODELS_FILE}: {table}[{entry!r}]"


# id of the bad entry -> its table, the entry, and the message a user sees
MISTAKES = {
    "covariate_typo": (
        "DATA",
        without(DATA, "covariates") | {"covariate": ["age"]},
        "['covariate']: not a key of DATA; allowed: 'covariates', 'endogenous', "
        "'fixed_effects', 'instruments', 'outcome', 'sample'; did you mean "
        "'covariates'?",
    ),
    "sample_missing": (
        "DATA",
        without(DATA, "sample"),
        "['sample']: missing; allowed: a pandas query of columns, such as "
        "'age >= 30', or None",
    ),
    "covariates_str": (
        "DATA",
        DATA | {"covariates": "age"},
        f"['covariates']: 'age' is a str; allowed: {TERMS[0]}",
    ),
    "outcome_typo": (
        "DATA",
        DATA | {"outcome": "vot"},
        f"['outcome']: 'vot' is not a column of {CSV}; did you mean 'vote'?",
    ),
    "term_column": (
        "DATA",
        DATA | {"covariates": ["age", "np.log(incme)"]},
        f"['covariates'][1]: 'incme' is not a column of {CSV}; did you mean 'income'?",
    ),
    "term_call": (
        "DATA",
        DATA | {"covariates": ["age", "log(income)"]},
        "['covariates'][1]: 'log(income)' calls log; allowed: np.<function> or "
        "'C', 'Diff', 'Helmert', 'I', 'Poly', 'Q', 'Sum', 'Treatment', 'bs', 'cc', "
        "'center', 'cr', 'scale', 'standardize'",
    ),
    "term_numpy": (
        "DATA",
        DATA | {"covariates": ["age", "np.lg(income)"]},
        "['covariates'][1]: np.lg is not a function of numpy; did you mean 'log'?",
    ),
    "query_syntax": (
        "DATA",
        DATA | {"sample": "educ >="},
        "['sample']: 'educ >=' does not parse as a pandas query (invalid syntax)",
    ),
    "query_column": (
        "DATA",
        DATA | {"sample": "edu >= 4"},
        f"['sample']: 'edu' is not a column of {CSV}; did you mean 'educ'?",
    ),
    "query_empty": (
        "DATA",
        DATA | {"sample": "educ > 100"},
        f"['sample']: 'educ > 100' selects no row of {CSV}",
    ),
    "fitt_key": (
        "MODELS",
        {"estimator": "ols", "fitt": {"cov_type": "HC1"}},
        "['fitt']: not a key of MODELS; allowed: 'arguments', 'estimator', 'fit'; "
        "did you mean 'fit'?",
    ),
    "olss": (
        "MODELS",
        {"estimator": "olss"},
        "['estimator']: 'olss' is not a function of statsmodels.formula.api; "
        "allowed: gee, glm, gls, ",
    ),
    "cov_typ": (
        "MODELS",
        {"estimator": "ols", "fit": {"cov_typ": "HC1"}},
        "['fit']['cov_typ']: not an option of OLS.fit; allowed: 'cov_kwds', "
        "'cov_type', 'method', 'use_t'; did you mean 'cov_type'?",
    ),
    "ols_weights": (
        "MODELS",
        {"estimator": "ols", "arguments": {"weights": "weight"}},
        "['arguments']['weights']: not an argument of OLS; allowed: 'drop_cols', "
        "'hasconst'",
    ),
    "minus_one": (
        "DATA",
        DATA | {"covariates": ["age", "-1"]},
        "['covariates'][1]: '-1' is no single term: patsy reads its '-' as part of "
        "the formula (-1 and 0 drop the constant), not as arithmetic",
    ),
    "term_tuple": (
        "DATA",
        DATA | {"covariates": ["age, educ"]},
        "['covariates'][0]: 'age, educ' is no single term of a formula; allowed: a "
        "column, a call such as C(x), np.log(x) or I(x - 1), or their interaction x:z",
    ),
    "term_tilde": (
        "DATA",
        DATA | {"covariates": ["age", "~educ"]},
        "['covariates'][1]: '~educ' is no single term of a formula; allowed: ",
    ),
    "subset": (
        "MODELS",
        {"estimator": "ols", "arguments": {"subset": [1, 2, 3]}},
        "['arguments']['subset']: selects rows by the labels of the data, which the "
        "preparation renumbers; allowed: the data specification's 'sample'",
    ),
    "use_t_no": (
        "MODELS",
        {"estimator": "ols", "fit": {"use_t": "no"}},
        "['fit']['use_t']: 'no' is a str; allowed: a bool (True or False) "
        "(RegressionModel.fit documents 'bool, optional')",
    ),
    "maxiter_str": (
        "MODELS",
        {"estimator": "logit", "fit": {"maxiter": "100"}},
        "['fit']['maxiter']: '100' is a str; allowed: an int (Logit.fit documents "
        "'int, optional')",
    ),
    "newtonx": (
        "MODELS",
        {"estimator": "logit", "fit": {"method": "newtonx"}},
        "['fit']['method']: 'newtonx' is no method of Logit.fit; allowed: "
        "'basinhopping', 'bfgs', 'cg', 'lbfgs', 'minimize', 'ncg', 'newton', 'nm', "
        "'powell'; did you mean 'newton'?",
    ),
    "vcov": (
        "MODELS",
        {"estimator": "quantreg", "fit": {"vcov": "Robust"}},
        "['fit']['vcov']: 'Robust' is no vcov of QuantReg.fit; allowed: 'iid', "
        "'robust'; did you mean 'robust'?",
    ),
    "no_groups": (
        "MODELS",
        {"estimator": "mixedlm"},
        "['estimator']: MixedLM needs the argument 'groups'; allowed: an entry "
        "'groups' in 'arguments'",
    ),
    "conditional": (
        "MODELS",
        {"estimator": "conditional_logit", "arguments": {"groups": "state"}},
        "['estimator']: 'conditional_logit' fits no constant, and every formula the "
        "template builds has one; allowed: gee, glm, ",
    ),
    "binomal": (
        "MODELS",
        {"estimator": "glm", "arguments": {"family": "Binomal"}},
        "['arguments']['family']: 'Binomal' is no family of statsmodels; allowed: "
        "'Binomial', 'Gamma', 'Gaussian', 'InverseGaussian', 'NegativeBinomial', "
        "'Poisson', 'Tweedie'; did you mean 'Binomial'?",
    ),
    "probitt": (
        "MODELS",
        {"estimator": "glm", "arguments": {"family": "Binomial", "link": "Probitt"}},
        "['arguments']['link']: 'Probitt' is no link of statsmodels; allowed: ",
    ),
    "lonely_link": (
        "MODELS",
        {"estimator": "glm", "arguments": {"link": "Log"}},
        "['arguments']['link']: allowed only beside 'family', whose link it sets",
    ),
    "wieght": (
        "MODELS",
        {"estimator": "wls", "arguments": {"weights": "wieght"}},
        f"['arguments']['weights']: 'wieght' is not a column of {CSV}; did you "
        "mean 'weight'?",
    ),
    "stat": (
        "MODELS",
        {
            "estimator": "ols",
            "fit": {"cov_type": "cluster", "cov_kwds": {"groups": "stat"}},
        },
        f"['fit']['cov_kwds']['groups']: 'stat' is not a column of {CSV}; did you "
        "mean 'state'?",
    ),
    "hc9": (
        "MODELS",
        {"estimator": "ols", "fit": {"cov_type": "HC9"}},
        "['fit']['cov_type']: 'HC9' is no covariance type of statsmodels for OLS; "
        "allowed: 'HAC', 'HC0', 'HC1', 'HC2', 'HC3', 'cluster', 'cluster-crv3', "
        "'cluster-jk', 'fixed scale', 'fixed_scale', 'hac-groupsum', 'hac-panel', "
        "'nonrobust', 'nw-groupsum', 'nw-panel'; did you mean 'HC3'?",
    ),
    "use_corection": (
        "MODELS",
        {
            "estimator": "logit",
            "fit": {
                "cov_type": "cluster",
                "cov_kwds": {"groups": "state", "use_corection": False},
            },
        },
        "['fit']['cov_kwds']['use_corection']: not an option of cov_type 'cluster'; "
        "allowed: 'df_correction', 'groups', 'scaling_factor', 'use_correction'; "
        "did you mean 'use_correction'?",
    ),
    "panel_true": (
        "MODELS",
        {
            "estimator": "ols",
            "fit": {
                "cov_type": "hac-panel",
                "cov_kwds": {"groups": "state", "maxlags": 1, "use_correction": True},
            },
        },
        "['fit']['cov_kwds']['use_correction']: True is no correction of cov_type "
        "'hac-panel'; allowed: False, 'hac', 'cluster'",
    ),
    "maxlags_text": (
        "MODELS",
        {"estimator": "ols", "fit": {"cov_type": "HAC", "cov_kwds": {"maxlags": "2"}}},
        "['fit']['cov_kwds']['maxlags']: '2': allowed: a whole number of lags, 0 or "
        "more",
    ),
    "df_correction_no": (
        "MODELS",
        {
            "estimator": "ols",
            "fit": {
                "cov_type": "cluster",
                "cov_kwds": {"groups": "state", "df_correction": "no"},
            },
        },
        "['fit']['cov_kwds']['df_correction']: 'no': allowed: True or False",
    ),
    "callback_text": (
        "MODELS",
        {"estimator": "logit", "fit": {"disp": False, "callback": "print"}},
        "['fit']['callback']: 'print': Logit.fit takes 'callable callback(xk), "
        "optional', an object that no config value is; allowed: leave it out, or "
        "make the object in fit_model",
    ),
    "cov_struct_text": (
        "MODELS",
        {
            "estimator": "gee",
            "arguments": {"groups": "state", "cov_struct": "Exchangeable"},
        },
        "['arguments']['cov_struct']: 'Exchangeable': GEE takes 'CovStruct class "
        "instance, optional', an object that no config value is; ",
    ),
    "poisson_probit": (
        "MODELS",
        {"estimator": "glm", "arguments": {"family": "Poisson", "link": "Probit"}},
        "['arguments']['link']: 'Probit' is no link of the family 'Poisson'; allowed: "
        "'Identity', 'Log', 'Sqrt'",
    ),
    "panel_unsorted": (
        "MODELS",
        {
            "estimator": "ols",
            "fit": {
                "cov_type": "hac-panel",
                "cov_kwds": {"maxlags": 1, "groups": "PID"},
            },
        },
        f"['fit']['cov_kwds']['groups']: {CSV} is not sorted by 'PID', and cov_type "
        "'hac-panel' reads each run of equal values as a panel; allowed: data sorted "
        "by 'PID'",
    ),
    "json_set": (
        "MODELS",
        {"estimator": "logit", "fit": {"disp": False, "start_params": {0}}},
        "['fit']['start_params']: {0} is not JSON data; allowed: strings, numbers, "
        "booleans, None, and lists and dicts of them",
    ),
}
# pyfixest's entries, and the keys of DATA that pyfixest brought (tests/test_fixest.py).
FEOLS = {"estimator": "pyfixest.feols"}
MISTAKES |= {
    "feol": (
        "MODELS",
        {"estimator": "pyfixest.feol"},
        "['estimator']: 'pyfixest.feol' is no estimator of pyfixest; allowed: "
        "'pyfixest.feglm', 'pyfixest.feols', 'pyfixest.fepois'; did you mean "
        "'pyfixest.feols'?",
    ),
    "vcv": (
        "MODELS",
        FEOLS | {"arguments": {"vcv": "hetero"}},
        "['arguments']['vcv']: not an argument of pyfixest.feols; allowed: ",
    ),
    "heteo": (
        "MODELS",
        FEOLS | {"arguments": {"vcov": "heteo"}},
        "['arguments']['vcov']: 'heteo' is no vcov of pyfixest; allowed: 'DK', "
        "'HC1', 'HC2', 'HC3', 'NW', 'hetero', 'iid', or a dict like {'CRV1': 'a'} "
        "or {'CRV3': 'a+b'} (columns a, b); did you mean 'hetero'?",
    ),
    "crv2": (
        "MODELS",
        FEOLS | {"arguments": {"vcov": {"CRV2": "state"}}},
        "['arguments']['vcov']['CRV2']: no clustered vcov; allowed: 'CRV1', "
        "'CRV3'; did you mean 'CRV3'?",
    ),
    "cluster_stat": (
        "MODELS",
        FEOLS | {"arguments": {"vcov": {"CRV1": "PID+stat"}}},
        f"['arguments']['vcov']['CRV1']: 'stat' is not a column of {CSV}; did you "
        "mean 'state'?",
    ),
    "fixest_fit": (
        "MODELS",
        FEOLS | {"fit": {"cov_type": "HC1"}},
        "['fit']: not a key of MODELS; allowed: 'arguments', 'estimator'",
    ),
    "logt": (
        "MODELS",
        {"estimator": "pyfixest.feglm", "arguments": {"family": "logt"}},
        "['arguments']['family']: 'logt' is no family of pyfixest.feglm; allowed: "
        "'gaussian', 'logit', 'probit'; did you mean 'logit'?",
    ),
    "feglm_logit": (
        "MODELS",
        {"estimator": "pyfixest.feglm", "arguments": {"family": "probit"}},
        "['arguments']['family']: 'probit': pyfixest.feglm gives no average marginal "
        "effects, which the tables and curves show for discrete-choice models; "
        "allowed: 'gaussian', or the estimator 'probit' of statsmodels",
    ),
    "newey_west": (
        "MODELS",
        FEOLS | {"arguments": {"vcov": "NW"}},
        "['arguments']['vcov_kwargs']['time_id']: missing; vcov 'NW' needs the column",
    ),
    "ssc_typo": (
        "MODELS",
        FEOLS | {"arguments": {"ssc": {"G_ad": False}}},
        "['arguments']['ssc']['G_ad']: not an argument of ssc(); allowed: 'G_adj', "
        "'G_df', 'k_adj', 'k_fixef'; did you mean 'G_adj'?",
    ),
    "instrument_covariate": (
        "DATA",
        DATA | {"endogenous": ["age"], "instruments": ["ClinLR", "age"]},
        "['instruments'][1]: 'age' is a covariate; allowed: columns that are not",
    ),
    "fe_typo": (
        "DATA",
        DATA | {"fixed_effects": ["PDI"]},
        f"['fixed_effects'][0]: 'PDI' is not a column of {CSV}; did you mean 'PID'?",
    ),
    "lonely_instruments": (
        "DATA",
        DATA | {"instruments": ["ClinLR"]},
        "['instruments']: allowed only beside 'endogenous', the covariates it "
        "instruments",
    ),
    "endogenous_typo": (
        "DATA",
        DATA | {"endogenous": ["ag"], "instruments": ["ClinLR"]},
        "['endogenous'][0]: 'ag' is no covariate; allowed: 'age', 'np.log(income)'; "
        "did you mean 'age'?",
    ),
}
MESSAGES = {
    name: f"{where(table, name)}{message}"
    for name, (table, _, message) in MISTAKES.items()
}


@pytest.fixture(scope="module")
def small(cookies_session) -> Path:
    """A baked project with weights and clusters in its data, not built."""
    project = bake(cookies_session)
    add_weight_and_state(project / RAW_DATA)
    return project


def start(project: Path, *command: str) -> subprocess.Popen[str]:
    """Start a command in the project, with lines wide enough for any message."""
    env = os.environ | {"PYTHONPATH": pythonpath(project), "COLUMNS": "2000"}
    return subprocess.Popen(
        [sys.executable, "-m", *command],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def configured(
    small: Path, folder: Path, data: dict[str, Any], models: dict[str, Any]
) -> Path:
    """Return a copy of the small project with this configuration."""
    project = copy_project(small, folder)
    set_data(project, data)
    set_models(project, models)
    return project


def built_files(project: Path) -> list[str]:
    """Return the names of the files that pytask built."""
    return sorted(p.name for p in (project / "bld").rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def pytask_runs(
    small: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[int, str, list[str]]]:
    """Run pytask in a project with each mistake, two at a time as there are 2 cores.

    Return each run's exit code, output and built files.
    """
    runs, running = {}, {}
    for name, (table, entry, _) in MISTAKES.items():
        data = {name: entry} if table == "DATA" else {"data_0": DATA}
        models = {name: entry} if table == "MODELS" else {"model": OLS}
        folder = tmp_path_factory.mktemp(name) / "my_project"
        project = configured(small, folder, data, models)
        running[name] = (project, start(project, "pytask"))
        if len(running) == 2 or name == list(MISTAKES)[-1]:
            for done, (folder, process) in running.items():
                output = process.communicate()[0]
                runs[done] = (process.returncode, output, built_files(folder))
            running = {}
    return runs


@pytest.fixture(scope="module")
def pytest_output(small: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Run the project's tests once on a configuration with all the mistakes."""
    data = {"data_0": DATA} | {
        name: entry for name, (table, entry, _) in MISTAKES.items() if table == "DATA"
    }
    models = {"model": OLS} | {
        name: entry for name, (table, entry, _) in MISTAKES.items() if table == "MODELS"
    }
    project = configured(
        small, tmp_path_factory.mktemp("all") / "my_project", data, models
    )
    process = start(project, "pytest", "-q", "-p", "no:cacheprovider", "tests")
    output = process.communicate()[0]
    assert process.returncode == 1, output
    return output


@pytest.mark.parametrize("name", MISTAKES)
def test_a_mistake_stops_pytask_with_its_message(
    pytask_runs: dict[str, tuple[int, str, list[str]]], name: str
) -> None:
    code, output, built = pytask_runs[name]
    assert code != 0, output
    assert MESSAGES[name] in output, output
    estimation = f"{name}_data_0" if MISTAKES[name][0] == "MODELS" else f"model_{name}"
    assert not [file for file in built if file.startswith(f"{estimation}.")], built
    if MISTAKES[name][0] == "DATA":
        assert f"{name}.parquet" not in built, built


@pytest.mark.parametrize("name", MISTAKES)
def test_the_projects_tests_report_every_mistake_in_the_same_words(
    pytest_output: str, name: str
) -> None:
    assert MESSAGES[name] in pytest_output, pytest_output


# Random misspellings of a valid config.

VALID_DATA = {
    "data_0": {
        "outcome": "vote",
        "covariates": ["C(PID)", "np.log(income)", "I(age ** 2)", "age:educ"],
        "sample": "age >= 25",
    }
}
VALID_MODELS = {
    "logit": {
        "estimator": "logit",
        "fit": {"disp": False, "cov_type": "HC0", "maxiter": 50},
    },
    "median": {"estimator": "quantreg", "fit": {"q": 0.25, "max_iter": 500}},
    "glm": GLM,
    "weighted": WLS,
    "clustered": CLUSTERED,
    "autocorrelated": {
        "estimator": "ols",
        "fit": {
            "cov_type": "HAC",
            "cov_kwds": {"maxlags": 2, "use_correction": True, "kernel": "uniform"},
        },
    },
}
SEEDS = range(int(os.environ.get("MISSPELLING_SEEDS", "40")))
# A misspelling that is another valid name cannot be refused: avoid making one.
VALID_NAMES = {
    *dir(smf),
    *dir(families),
    *dir(links),
    *dir(np),
    *("popul", "TVnews", "selfLR", "ClinLR", "DoleLR", "PID", "age", "educ"),
    *("income", "vote", "weight", "state", "C", "I", "Q"),
    *("outcome", "covariates", "sample", "estimator", "arguments", "fit"),
    *("cov_type", "cov_kwds", "groups", "time", "maxlags", "kernel", "scale"),
    *("use_correction", "df_correction", "scaling_factor", "bartlett", "uniform"),
}
# statsmodels' covariance types, most of which it takes in any case.
COV_TYPES = {
    *("nonrobust", "HC0", "HC1", "HC2", "HC3", "HAC", "cluster", "cluster-crv3"),
    *("cluster-jk", "hac-panel", "nw-panel", "hac-groupsum", "nw-groupsum"),
    *("fixed scale", "fixed_scale", "eim"),
}
NAME = re.compile(r"[A-Za-z_]\w*")
PROBLEMS_OF = """
import json, sys
from my_project_template import rules
configs = json.load(sys.stdin)
print(json.dumps([rules.problems(data, models, deep=True) for data, models in configs]))
"""


def misspell(word: str, rng: random.Random) -> str:
    """Change one letter of ``word``, add one, or swap two, into no valid name."""
    while is_valid(wrong := misspell_once(word, rng)):
        pass
    return wrong


def is_valid(name: str) -> bool:
    """Tell whether ``name`` is a valid name, taking covariance types in any case."""
    return name in VALID_NAMES or name.lower() in {type_.lower() for type_ in COV_TYPES}


def misspell_once(word: str, rng: random.Random) -> str:
    """Change one letter of ``word``, add one, or swap two."""
    index = rng.randrange(len(word))
    letter = rng.choice([c for c in "abcdefghijklmnopqrstuvwxyz" if c != word[index]])
    edits = [
        word[:index] + letter + word[index + 1 :],
        word[:index] + letter + word[index:],
    ]
    if len(word) > 1 and index + 1 < len(word) and word[index] != word[index + 1]:
        edits.append(word[:index] + word[index + 1] + word[index] + word[index + 2 :])
    return rng.choice(edits)


def spots(value: Any, keys: tuple = ()) -> list[tuple[tuple, str]]:
    """Return where keys and names are: (keys to the value, "key" or "name")."""
    found: list[tuple[tuple, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if len(keys) >= 2:
                found.append(((*keys, key), "key"))
            found += spots(item, (*keys, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += spots(item, (*keys, index))
    elif isinstance(value, str):
        found.append((keys, "name"))
    return found


def misspelled_config(seed: int) -> tuple[dict, dict, str]:
    """Misspell one key or one name of the valid config; say which entry it hit."""
    rng = random.Random(seed)
    config = json.loads(json.dumps({"DATA": VALID_DATA, "MODELS": VALID_MODELS}))
    keys, kind = rng.choice(spots(config))
    *path, last = keys
    parent = config
    for key in path:
        parent = parent[key]
    if kind == "key":
        parent[misspell(last, rng)] = parent.pop(last)
    else:
        names = list(NAME.finditer(parent[last]))
        match = rng.choice(names)
        text = parent[last]
        parent[last] = (
            text[: match.start()] + misspell(match[0], rng) + text[match.end() :]
        )
    return config["DATA"], config["MODELS"], f"{keys[0]}[{keys[1]!r}]"


def test_random_misspellings_are_refused(small: Path, tmp_path: Path) -> None:
    configs = [misspelled_config(seed) for seed in SEEDS]
    process = subprocess.run(
        [sys.executable, "-c", PROBLEMS_OF],
        cwd=small,
        env=os.environ | {"PYTHONPATH": pythonpath(small)},
        input=json.dumps([[data, models] for data, models, _ in configs]),
        capture_output=True,
        text=True,
        check=True,
    )
    for (data, models, entry), found in zip(
        configs, json.loads(process.stdout), strict=True
    ):
        assert any(entry in problem for problem in found), (data, models, found)
    # Two of them for real: pytask refuses them and fits nothing they touch.
    running = {}
    for seed in SEEDS[:2]:
        data, models, entry = configs[seed]
        project = configured(small, tmp_path / str(seed), data, models)
        running[entry] = (project, models, start(project, "pytask"))
    for entry, (project, models, process) in running.items():
        output = process.communicate()[0]
        assert process.returncode != 0, output
        assert entry in output, output
        touched = [m for m in models if entry in ("DATA['data_0']", f"MODELS[{m!r}]")]
        built = built_files(project)
        assert not [n for n in built if n.split("_data_0")[0] in touched], built


def option_groups(model: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Return a model's options by where they are: arguments, fit and cov_kwds."""
    fit = model.get("fit", {})
    return [
        ("['arguments']", model.get("arguments", {})),
        ("['fit']", fit),
        ("['fit']['cov_kwds']", fit.get("cov_kwds", {})),
    ]


def mistyped_config(seed: int) -> tuple[dict, dict, str]:
    """Give one option of the valid config a value of another type; say which."""
    rng = random.Random(seed)
    config = json.loads(json.dumps({"DATA": VALID_DATA, "MODELS": VALID_MODELS}))
    spots = [
        (options, key, f"MODELS[{name!r}]{where}[{key!r}]")
        for name, model in config["MODELS"].items()
        for where, options in option_groups(model)
        for key, value in options.items()
        if isinstance(value, bool | int | float)
    ]
    options, key, entry = rng.choice(spots)
    value = options[key]
    wrongs = [str(value), "no", [value], *([] if isinstance(value, bool) else [True])]
    options[key] = rng.choice(wrongs)
    return config["DATA"], config["MODELS"], entry


def test_random_values_of_the_wrong_type_are_refused(small: Path) -> None:
    configs = [mistyped_config(seed) for seed in SEEDS]
    process = subprocess.run(
        [sys.executable, "-c", PROBLEMS_OF],
        cwd=small,
        env=os.environ | {"PYTHONPATH": pythonpath(small)},
        input=json.dumps([[data, models] for data, models, _ in configs]),
        capture_output=True,
        text=True,
        check=True,
    )
    for (_data, models, entry), found in zip(
        configs, json.loads(process.stdout), strict=True
    ):
        assert any(problem.split(": ", 1)[1].startswith(entry) for problem in found), (
            models,
            found,
        )


# The project's table of covariance types, checked against statsmodels itself.

COV_TYPES_OF = """
import dataclasses, json
from my_project_template import rules
table = {name: dataclasses.asdict(rule) for name, rule in rules.COV_TYPES.items()}
print(json.dumps(table, default=sorted))
"""
# An estimator of each kind of model whose fit knows its own covariance types.
ESTIMATOR_OF_KIND = {"linear": "ols", "glm": "glm", "other": "logit"}
# Two values of each key of cov_kwds; statsmodels reads a key if they differ in effect.
COV_KWDS_VALUES = {
    "groups": ("cluster", "pair"),
    "time": ("period", "period_reversed"),
    "maxlags": (1, 3),
    "kernel": ("bartlett", "uniform"),
    "use_correction": (False, True),
    "df_correction": (False, True),
    "scaling_factor": (1.0, 2.0),
    "scale": (1.0, 2.0),
}


@pytest.fixture(scope="module")
def cov_types(small: Path) -> dict[str, dict[str, Any]]:
    """The project's table of covariance types."""
    process = subprocess.run(
        [sys.executable, "-c", COV_TYPES_OF],
        cwd=small,
        env=os.environ | {"PYTHONPATH": pythonpath(small)},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(process.stdout)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    """A small panel: 20 clusters of 10 periods, a binary outcome."""
    rng = np.random.default_rng(0)
    data = pd.DataFrame(
        {
            "x": rng.normal(size=200),
            "cluster": np.repeat(np.arange(20), 10),
            "pair": np.repeat(np.arange(10), 20),
            "period": np.tile(np.arange(10), 20),
        }
    )
    data["period_reversed"] = 9 - data["period"]
    data["y"] = (data["x"] + rng.normal(size=200) > 0).astype(int)
    return data


def fit_with(
    panel: pd.DataFrame, kind: str, cov_type: str, cov_kwds: dict[str, Any]
) -> Any:
    """Fit the estimator of a kind with a covariance type; columns name arrays."""
    arrays = {
        key: panel[value].to_numpy() if key in ("groups", "time") else value
        for key, value in cov_kwds.items()
    }
    options = {"disp": False} if kind == "other" else {}
    model = getattr(smf, ESTIMATOR_OF_KIND[kind])("y ~ x", data=panel)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(cov_type=cov_type, cov_kwds=arrays, **options)


def needed_keys(rule: dict[str, Any], choose: str = "") -> dict[str, Any]:
    """Return the keys a covariance type needs, preferring ``choose`` among several."""
    return {
        (choose if choose in keys else keys[0]): COV_KWDS_VALUES[
            choose if choose in keys else keys[0]
        ][0]
        for keys in rule["required"]
    }


def effect(result: Any) -> tuple[float, ...]:
    """Return what a covariance option can change: standard errors and the df."""
    return (*result.bse, getattr(result, "df_resid_inference", -1.0))


def test_statsmodels_knows_each_cov_type_for_the_models_the_table_says(
    cov_types: dict[str, dict[str, Any]], panel: pd.DataFrame
) -> None:
    for name, rule in cov_types.items():
        spellings = [name] + ([] if rule["exact_case"] else [name.swapcase()])
        for kind, spelling in itertools.product(ESTIMATOR_OF_KIND, spellings):
            try:
                fit_with(panel, kind, spelling, needed_keys(rule))
            except (ValueError, TypeError) as error:
                assert kind not in rule["models"], (spelling, kind, error)
            else:
                assert kind in rule["models"], (spelling, kind)
        if rule["exact_case"]:
            with pytest.raises((ValueError, TypeError, KeyError)):
                fit_with(panel, "linear", name.swapcase(), needed_keys(rule))


def test_statsmodels_needs_each_required_key(
    cov_types: dict[str, dict[str, Any]], panel: pd.DataFrame
) -> None:
    for name, rule in cov_types.items():
        kind = sorted(rule["models"])[0]
        for keys in rule["required"]:
            cov_kwds = {k: v for k, v in needed_keys(rule).items() if k not in keys}
            with pytest.raises((ValueError, KeyError)):
                fit_with(panel, kind, name, cov_kwds)


def test_statsmodels_reads_each_allowed_key(
    cov_types: dict[str, dict[str, Any]], panel: pd.DataFrame
) -> None:
    for name, rule in cov_types.items():
        keys = [key for keys in rule["required"] for key in keys] + rule["optional"]
        for kind in rule["models"]:
            scaled = rule["scalable"] and kind != "linear"
            for key in keys + ["scaling_factor"] * scaled:
                cov_kwds = needed_keys(rule, key)
                values = COV_KWDS_VALUES[key]
                if key == "use_correction":
                    values = rule["corrections"]
                effects = {
                    effect(fit_with(panel, kind, name, cov_kwds | {key: value}))
                    for value in values
                }
                assert len(effects) == len(values), (name, kind, key)


def test_statsmodels_ignores_a_correction_that_the_table_refuses(
    cov_types: dict[str, dict[str, Any]], panel: pd.DataFrame
) -> None:
    """The panel types tell "hac" and "cluster" apart, and take True for False."""
    refusing = [
        name for name, rule in cov_types.items() if True not in rule["corrections"]
    ]
    assert refusing
    for name in refusing:
        rule = cov_types[name]
        kind = sorted(rule["models"])[0]
        effects = {
            effect(
                fit_with(
                    panel, kind, name, needed_keys(rule) | {"use_correction": value}
                )
            )
            for value in (False, True)
        }
        assert len(effects) == 1, name
