"""Every estimator of statsmodels.formula.api works end to end, or is refused up front.

One baked project with the final stage fits each estimator the rules accept, on a term
that patsy drops rows of (``np.sqrt`` of negatives), with clusters and weights: each
result equals statsmodels' own fit of the same rows, its summary counts the rows
dropped, and the final tables show the fit's own statistics. The estimators the rules
refuse are refused in one line. Fits that fail numerically, and colliding ids, stop in
one line while the rest builds.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from statsmodels.genmod import families
from statsmodels.iolib.smpickle import load_pickle

from tests.bakery import add_weight_and_state, bake, pythonpath, run
from tests.reruns import (
    DATA_CONFIG,
    MODELS_CONFIG,
    PACKAGE,
    RAW_DATA,
    copy_project,
    set_data,
    set_models,
    set_value,
)

TERMS = ["age", "educ", "np.sqrt(selfLR - 3)"]
DATA = {
    "binary": {"outcome": "vote", "covariates": TERMS, "sample": None},
    "counts": {"outcome": "TVnews", "covariates": TERMS, "sample": None},
}
GROUPS = {"groups": "state"}
# The arguments that name a column.
COLUMNS = ("weights", "freq_weights", "groups", "status")
FINAL_CONFIG = PACKAGE / "final" / "config.py"
# Each model, and the data it is fitted to.
MODELS = {
    "ols_hc1": ({"estimator": "ols", "fit": {"cov_type": "hc1"}}, "binary"),
    "clustered": (
        {"estimator": "ols", "fit": {"cov_type": "cluster", "cov_kwds": GROUPS}},
        "binary",
    ),
    "weighted": ({"estimator": "wls", "arguments": {"weights": "weight"}}, "binary"),
    "logit": ({"estimator": "logit", "fit": {"disp": False}}, "binary"),
    "probit": ({"estimator": "probit", "fit": {"disp": False}}, "binary"),
    "glm": ({"estimator": "glm", "arguments": {"family": "Binomial"}}, "binary"),
    "glm_weighted": (
        {
            "estimator": "glm",
            "arguments": {"family": "Binomial", "freq_weights": "weight"},
        },
        "binary",
    ),
    "mnlogit": ({"estimator": "mnlogit", "fit": {"disp": False}}, "counts"),
    "mixed": ({"estimator": "mixedlm", "arguments": GROUPS}, "binary"),
    # MixedLM.fit documents its method as 'str or list[str]'.
    "mixed_methods": (
        {
            "estimator": "mixedlm",
            "arguments": GROUPS,
            "fit": {"method": ["bfgs", "cg"]},
        },
        "binary",
    ),
    "robust": ({"estimator": "rlm"}, "binary"),
    "median": ({"estimator": "quantreg"}, "binary"),
    "gee": ({"estimator": "gee", "arguments": GROUPS}, "binary"),
    "gls": ({"estimator": "gls"}, "binary"),
    "glsar": ({"estimator": "glsar"}, "binary"),
    "phreg": ({"estimator": "phreg"}, "counts"),
    # Censored durations: the status, 1 for an event, is a column.
    "censored": ({"estimator": "phreg", "arguments": {"status": "vote"}}, "counts"),
    "poisson": ({"estimator": "poisson", "fit": {"disp": False}}, "counts"),
    "negbin": ({"estimator": "negativebinomial", "fit": {"disp": False}}, "counts"),
}
ESTIMATIONS = {f"{m}_{d}": {"model": m, "data": d} for m, (_, d) in MODELS.items()}
# The estimators the rules refuse, with the reason their line gives.
REFUSED = {
    "conditional_logit": "fits no constant",
    "conditional_mnlogit": "fits no constant",
    "conditional_poisson": "fits no constant",
    "ordinal_gee": "fits no constant",
    "nominal_gee": "fits no constant",
    "glmgam": "needs a smoother object",
}
MODELS_FILE = "src/my_project/estimation/config.py"
DATA_FILE = "src/my_project/data_preparation/config.py"


@pytest.fixture(scope="module")
def project(cookies_session) -> Path:
    """A project with every accepted estimator and the final stage, built once."""
    project = bake(cookies_session, add_final_stage="yes")
    add_weight_and_state(project / RAW_DATA)
    set_data(project, DATA)
    set_models(project, {name: model for name, (model, _) in MODELS.items()})
    set_value(project, MODELS_CONFIG, "ESTIMATIONS", ESTIMATIONS)
    # A specification curve of a term that every estimation has.
    set_value(project, FINAL_CONFIG, "EFFECTS_OF_INTEREST", ["educ"])
    process = run(project, sys.executable, "-m", "pytask")
    assert process.returncode == 0, process.stdout + process.stderr
    return project


def same_rows(project: Path, spec: dict[str, Any]) -> pd.DataFrame:
    """The rows an estimation must use: np.sqrt(selfLR - 3) is defined there."""
    data = pd.read_csv(project / RAW_DATA)
    return data[data["selfLR"] >= 3].dropna()


def direct_fit(project: Path, name: str) -> Any:
    """Fit an estimation with statsmodels alone, on the rows it should use."""
    model, data = MODELS[name]
    spec = DATA[data]
    rows = same_rows(project, spec)
    formula = f"{spec['outcome']} ~ {' + '.join(spec['covariates'])}"
    arguments = {
        key: rows[value].to_numpy() if key in COLUMNS else value
        for key, value in model.get("arguments", {}).items()
    }
    if "family" in arguments:
        arguments["family"] = getattr(families, arguments["family"])()
    fit = dict(model.get("fit", {}))
    if "cov_kwds" in fit:
        fit["cov_kwds"] = {"groups": rows["state"].to_numpy()}
    return getattr(smf, model["estimator"])(formula, data=rows, **arguments).fit(**fit)


def flat(values: Any) -> np.ndarray:
    """Return coefficients as one vector, a column of MNLogit's after another."""
    return np.asarray(values).ravel(order="F")


def record(project: Path, name: str) -> dict[str, Any]:
    return json.loads((project / "bld" / "estimation" / f"{name}.json").read_text())


def test_every_estimator_equals_statsmodels_own_fit(project: Path) -> None:
    differences = {}
    for name, (_, data) in MODELS.items():
        estimation = f"{name}_{data}"
        expected = direct_fit(project, name)
        path = project / "bld" / "estimation" / f"{estimation}.pickle"
        result = load_pickle(path)
        terms = record(project, estimation)["terms"]
        for got in (
            (flat(result.params), flat(result.bse)),
            (
                np.array([t["coef"] for t in terms.values()]),
                np.array([t["std_err"] for t in terms.values()]),
            ),
        ):
            for values, wanted in zip(
                got, (flat(expected.params), flat(expected.bse)), strict=True
            ):
                np.testing.assert_allclose(
                    values, wanted, rtol=1e-8, atol=1e-8, err_msg=estimation
                )
        differences[estimation] = float(
            np.max(np.abs(flat(result.params) - flat(expected.params)))
        )
    print("max |difference| of coefficients:", max(differences.values()))


def test_summaries_count_the_rows_patsy_drops(project: Path) -> None:
    rows = pd.read_csv(project / RAW_DATA)
    dropped = int((rows["selfLR"] < 3).sum())
    for estimation in ("clustered_binary", "weighted_binary", "logit_binary"):
        summary = (project / "bld" / "estimation" / f"{estimation}.md").read_text()
        assert f"{len(rows) - dropped} used, {dropped} dropped" in summary, summary
        assert record(project, estimation)["dropped"] == dropped
    assert (
        "| covariance | HC1 |"
        in (project / "bld" / "estimation" / "ols_hc1_binary.md").read_text()
    )


def table_rows(project: Path, data: str) -> dict[str, list[str]]:
    """Return the rows of a final table in Markdown: label -> cells."""
    text = (project / "bld" / "final" / "tables" / f"{data}.md").read_text()
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    return {
        cells[0]: cells[1:]
        for cells in ([c.strip() for c in line.split("|")[1:-1]] for line in lines)
    }


def test_final_tables_show_the_fits_own_statistics(project: Path) -> None:
    for data in DATA:
        rows = table_rows(project, data)
        names = [name for name, (_, d) in MODELS.items() if d == data]
        for column, name in enumerate(names):
            expected = direct_fit(project, name)
            nobs = getattr(expected, "nobs", None) or len(expected.model.endog)
            assert rows["Observations"][column] == str(int(nobs)), name
            statistics = record(project, f"{name}_{data}")["statistics"]
            shown = {k: rows[k][column] for k in ("R²", "Pseudo R²") if k in rows}
            wanted = {k: f"{v:.3f}" for k, v in statistics.items()}
            assert {k: v for k, v in shown.items() if v} == wanted, name
    binary, counts = table_rows(project, "binary"), table_rows(project, "counts")
    fitted = [name for name, (_, data) in MODELS.items() if data == "binary"]
    # The fit's own pseudo R² of NegativeBinomial, not the reloaded pickle's.
    negbin = direct_fit(project, "negbin")
    assert counts["Pseudo R²"][-1] == f"{negbin.prsquared:.3f}"
    assert binary["R²"][fitted.index("median")] == ""  # QuantReg has none
    # GEE's quasi-likelihood has no likelihood for McFadden's pseudo R².
    assert binary["Pseudo R²"][fitted.index("gee")] == ""
    labels = dict(zip(fitted, binary["Standard errors"], strict=True))
    assert labels["ols_hc1"] == "Robust (HC1)"
    assert labels["median"] == "robust"  # QuantReg's vcov, not "nonrobust"
    assert labels["robust"] == "H1"


def test_refused_estimators_are_refused_in_one_line(project: Path) -> None:
    code = (
        "import json, sys\n"
        "from my_project_template import rules\n"
        "from my_project.data_preparation.config import DATA\n"
        "models = {name: {'estimator': name} for name in json.loads(sys.argv[1])}\n"
        "print(json.dumps(rules.problems(DATA, models, deep=True)))"
    )
    process = run(project, sys.executable, "-c", code, json.dumps(list(REFUSED)))
    assert process.returncode == 0, process.stderr
    found = json.loads(process.stdout)
    assert len(found) == len(REFUSED), found
    for name, reason in REFUSED.items():
        line = f"{MODELS_FILE}: MODELS[{name!r}]['estimator']: {name!r} {reason}"
        assert any(problem.startswith(line) for problem in found), found
    # Every function of statsmodels.formula.api is tried here or refused.
    public = {name for name in dir(smf) if not name.startswith("_")}
    tried = {model["estimator"] for model, _ in MODELS.values()}
    assert public == tried | set(REFUSED)


def start(project: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": pythonpath(project), "COLUMNS": "2000"}
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_numerical_failures_name_the_estimation_and_the_rest_builds(
    project: Path, tmp_path: Path
) -> None:
    failing = copy_project(project, tmp_path / "my_project")
    terms = {"outcome": "vote", "sample": None}
    set_data(
        failing,
        {
            "fine": terms | {"covariates": ["age"]},
            "infinite": terms | {"covariates": ["np.log(educ - 1)"]},
            "singular": terms | {"covariates": ["age", "I(2 * age)"]},
        },
    )
    # The log of an exposure of 0: statsmodels returns coefficients of nan.
    exposed = {"estimator": "poisson", "arguments": {"exposure": "popul"}}
    exposed["fit"] = {"disp": False}
    set_models(
        failing,
        {"logit": {"estimator": "logit", "fit": {"disp": False}}, "exposed": exposed},
    )
    estimations = {
        f"logit_{d}": {"model": "logit", "data": d}
        for d in ("fine", "infinite", "singular")
    }
    estimations["exposed_fine"] = {"model": "exposed", "data": "fine"}
    set_value(failing, MODELS_CONFIG, "ESTIMATIONS", estimations)
    process = start(failing, "pytask", "-s")
    output = process.stdout + process.stderr
    assert process.returncode == 1, output
    assert "Traceback" not in output, output
    lines = {
        "logit_infinite (MODELS['logit'] on DATA['infinite']) failed: likely a term "
        "is infinite or undefined in some rows",
        "logit_singular (MODELS['logit'] on DATA['singular']) failed: likely a "
        "singular design",
        "exposed_fine (MODELS['exposed'] on DATA['fine']) failed: likely a term is "
        "infinite or undefined in some rows",
    }
    for line in lines:
        assert line in output, output
    built = {p.stem for p in (failing / "bld" / "estimation").glob("*")}
    failed = {"logit_infinite", "logit_singular", "exposed_fine"}
    assert built & failed == set()
    assert "logit_fine" in built


def test_colliding_ids_and_unknown_ids_stop_pytask_and_pytest(
    project: Path, tmp_path: Path
) -> None:
    colliding = copy_project(project, tmp_path / "my_project")
    bld = colliding / "bld"
    set_data(colliding, {"a_1": DATA["binary"], "1": DATA["binary"]})
    set_models(colliding, {"logit": MODELS["logit"][0], "logit_a": MODELS["logit"][0]})
    replace_estimations = (
        "ESTIMATIONS = {\n"
        '    f"{model}_{data}": {"model": model, "data": data}\n'
        "    for model in MODELS\n"
        "    for data in DATA\n"
        "}\n"
    )
    set_value(colliding, MODELS_CONFIG, "ESTIMATIONS", {})
    path = colliding / MODELS_CONFIG
    path.write_text(path.read_text().replace("ESTIMATIONS = {}\n", replace_estimations))
    line = (
        f"{MODELS_FILE}: ESTIMATIONS['logit_a_1']: the id of MODELS['logit'] with "
        "DATA['a_1'] and of MODELS['logit_a'] with DATA['1']: one estimation would "
        "replace the other"
    )
    before = sorted(bld.rglob("*"))
    process = start(colliding, "pytask")
    assert process.returncode != 0, process.stdout
    assert line in process.stdout, process.stdout
    assert sorted(bld.rglob("*")) == before
    tests = start(colliding, "pytest", "-q", "-p", "no:cacheprovider", "tests")
    assert tests.returncode == 1 and line in tests.stdout, tests.stdout
    # An estimation of a model that does not exist: one line, not a KeyError.
    set_value(
        colliding,
        MODELS_CONFIG,
        "ESTIMATIONS",
        {"logit_a1": {"model": "logitt", "data": "a_1"}},
    )
    process = start(colliding, "pytask")
    unknown = (
        f"{MODELS_FILE}: ESTIMATIONS['logit_a1']['model']: 'logitt' is no id of "
        "MODELS; allowed: 'logit', 'logit_a'; did you mean 'logit'?"
    )
    assert process.returncode != 0 and unknown in process.stdout, process.stdout
    assert "KeyError" not in process.stdout


IDS = "allowed: text of letters, digits, _, . and -, starting with a letter, digit or _"


@pytest.mark.parametrize(
    ("table", "value", "line"),
    [
        (
            "ESTIMATIONS",
            {"../../escaped": {"model": "logit", "data": "binary"}},
            f"{MODELS_FILE}: ESTIMATIONS['../../escaped']: not an id; {IDS}",
        ),
        (
            "ESTIMATIONS",
            {"logit[binary]": {"model": "logit", "data": "binary"}},
            f"{MODELS_FILE}: ESTIMATIONS['logit[binary]']: not an id; {IDS}",
        ),
        (
            "ESTIMATIONS",
            {1: {"model": "logit", "data": "binary"}},
            f"{MODELS_FILE}: ESTIMATIONS[1]: not an id; {IDS}",
        ),
        (
            "DATA",
            {"a/b": DATA["binary"]},
            f"{DATA_FILE}: DATA['a/b']: not an id; {IDS}",
        ),
        (
            "ESTIMATIONS",
            [{"model": "logit", "data": "binary"}],
            f"{MODELS_FILE}: ESTIMATIONS: a list; allowed: a dict of ids to entries",
        ),
        (
            "ESTIMATIONS",
            {"logit_binary": {"model": ["logit"], "data": "binary"}},
            f"{MODELS_FILE}: ESTIMATIONS['logit_binary']['model']: ['logit'] is no id "
            "of MODELS; allowed: 'logit'",
        ),
    ],
    ids=["path", "brackets", "number", "data_path", "list", "model_list"],
)
def test_ids_that_are_no_words_stop_pytask_in_one_line(
    project: Path, tmp_path: Path, table: str, value: object, line: str
) -> None:
    """Ids name files under bld/: a path among them would write outside it."""
    edited = copy_project(project, tmp_path / "my_project")
    set_models(edited, {"logit": MODELS["logit"][0]})
    set_data(edited, {"binary": DATA["binary"]})
    set_value(edited, MODELS_CONFIG, "ESTIMATIONS", {})
    set_value(edited, DATA_CONFIG if table == "DATA" else MODELS_CONFIG, table, value)
    before = sorted(edited.rglob("*"))
    process = start(edited, "pytask")
    assert process.returncode != 0, process.stdout
    assert f"ConfigError: {line}" in process.stdout, process.stdout
    assert "Traceback" not in process.stdout + process.stderr
    assert sorted(edited.rglob("*")) == before


def test_a_weighted_glm_shows_its_coefficients_not_unweighted_effects(
    project: Path,
) -> None:
    """statsmodels' get_margeff ignores a GLM's weights: coefficients, not those."""
    assert record(project, "glm_weighted_binary")["marginal_effects"] is None
    assert record(project, "glm_binary")["marginal_effects"] is not None
    rows = table_rows(project, "binary")
    column = [name for name, (_, data) in MODELS.items() if data == "binary"].index(
        "glm_weighted"
    )
    educ = record(project, "glm_weighted_binary")["terms"]["educ"]["coef"]
    assert rows["Education"][column].startswith(f"{educ:.3f}")


def test_a_fit_that_did_not_converge_says_so(project: Path) -> None:
    """MixedLM stops short on these data (statsmodels warns); Logit converges."""
    assert direct_fit(project, "mixed").converged is False
    assert record(project, "mixed_binary")["converged"] is False
    assert record(project, "logit_binary")["converged"] is True
    summary = (project / "bld" / "estimation" / "mixed_binary.md").read_text()
    assert "| converged | no: the optimizer stopped first |" in summary
    table = (project / "bld" / "final" / "tables" / "binary.md").read_text()
    binary = [name for name, (_, data) in MODELS.items() if data == "binary"]
    stopped = table.split("Not converged: ")[1].split(".")[0].split(", ")
    assert f"({binary.index('mixed') + 1})" in stopped
    assert f"({binary.index('logit') + 1})" not in stopped
