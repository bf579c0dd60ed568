"""pyfixest in the config: fixed effects, instruments and multi-way clusters.

One baked project with the final stage holds all cases at once: the shipped models and
data, and data specifications with one-way and two-way fixed effects, instruments and
a count outcome, fitted by pyfixest's feols (clusters one and two ways) and fepois, and
by statsmodels (fixed effects as C() dummies). One pytask run builds it; each result is
compared with a direct fit of the same library on the same rows, made here.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest
import statsmodels.formula.api as smf
from statsmodels.iolib.smpickle import load_pickle

from tests.bakery import add_weight_and_state, bake, pytask, pythonpath, run
from tests.reruns import (
    MODELS_CONFIG,
    RAW_DATA,
    copy_project,
    load_config,
    set_data,
    set_models,
    set_value,
)

BASE = {"outcome": "vote", "covariates": ["age", "educ", "income"], "sample": None}
DATA = {
    "data_fe": BASE | {"fixed_effects": ["PID"]},
    "data_fe2": BASE | {"fixed_effects": ["PID", "state"]},
    "data_iv": BASE
    | {
        "covariates": ["age", "income", "selfLR"],
        "fixed_effects": ["PID"],
        "endogenous": ["selfLR"],
        "instruments": ["ClinLR", "DoleLR"],
    },
    "data_count": BASE | {"outcome": "TVnews", "fixed_effects": ["PID"]},
}
MODELS = {
    "feols": {"estimator": "pyfixest.feols", "arguments": {"vcov": {"CRV1": "PID"}}},
    "feols_twoway": {
        "estimator": "pyfixest.feols",
        "arguments": {"vcov": {"CRV1": "PID+state"}},
    },
    "fepois": {"estimator": "pyfixest.fepois", "arguments": {"vcov": "hetero"}},
}
# Each pyfixest estimation, and the formula and vcov of its direct fit.
DIRECT = {
    "feols_data_fe": ("vote ~ age + educ + income | PID", {"CRV1": "PID"}),
    "feols_twoway_data_fe2": (
        "vote ~ age + educ + income | PID + state",
        {"CRV1": "PID+state"},
    ),
    "feols_data_iv": (
        "vote ~ age + income | PID | selfLR ~ ClinLR + DoleLR",
        {"CRV1": "PID"},
    ),
    "fepois_data_count": ("TVnews ~ age + educ + income | PID", "hetero"),
}
# Every n-th respondent lacks a cluster.
MISSING_EVERY = {"state": 29}


@pytest.fixture(scope="module")
def project(cookies_session) -> Path:
    """A project mixing pyfixest and statsmodels, built once."""
    project = bake(cookies_session, add_final_stage="yes")
    config = load_config(project)
    set_data(project, config.data | DATA)
    set_models(project, config.models | MODELS)
    estimations = {
        **config.estimations,
        **{name: {"model": name.split("_data_")[0]} for name in DIRECT},
        "linear_probability_data_fe": {"model": "linear_probability"},
        "logit_data_fe": {"model": "logit"},
    }
    for name, estimation in estimations.items():
        estimation["data"] = "data_" + name.split("_data_")[1]
    set_value(project, MODELS_CONFIG, "ESTIMATIONS", estimations)
    add_weight_and_state(project / RAW_DATA, gaps=MISSING_EVERY)
    ran = pytask(project)
    # Tables count under the ids of their data, the specification curve of the
    # shipped effect of interest under its term's.
    assert set(ran) == {*config.data, *DATA, *estimations, "income"}, ran
    assert set(ran.values()) == {"."}, ran
    return project


def result(project: Path, estimation: str) -> object:
    """Load a result; pyfixest's are the machinery's FixestResult, beside src/."""
    sys.path.insert(0, str(project))
    try:
        return load_pickle(project / "bld" / "estimation" / f"{estimation}.pickle")
    finally:
        sys.path.remove(str(project))


def direct_pyfixest_fit(project: Path, estimation: str) -> object:
    """Fit with pyfixest alone, on the rows that have a cluster."""
    formula, vcov = DIRECT[estimation]
    data = pd.read_csv(project / RAW_DATA)
    if "state" in str(vcov) or "state" in formula:
        data = data.dropna(subset=["state"])
    estimator = pf.fepois if estimation.startswith("fepois") else pf.feols
    return estimator(formula, data=data, vcov=vcov)


@pytest.mark.parametrize("estimation", DIRECT)
def test_pyfixest_fits_equal_direct_fits(project: Path, estimation: str) -> None:
    fitted, expected = (
        result(project, estimation),
        direct_pyfixest_fit(project, estimation),
    )
    assert list(fitted.params.index) == list(expected.coef().index)
    differences = {
        "params": np.max(np.abs(fitted.params.to_numpy() - expected.coef().to_numpy())),
        "bse": np.max(np.abs(fitted.bse.to_numpy() - expected.se().to_numpy())),
    }
    print(estimation, json.dumps({k: float(v) for k, v in differences.items()}))
    for values, difference in differences.items():
        assert difference <= 1e-8, (estimation, values, difference)
    assert fitted.nobs == expected._N
    np.testing.assert_allclose(fitted.conf_int(), expected.confint(), atol=1e-8)


def test_statsmodels_fits_fixed_effects_as_dummies(project: Path) -> None:
    fitted = result(project, "linear_probability_data_fe")
    expected = smf.ols(
        "vote ~ age + educ + income + C(PID)", data=pd.read_csv(project / RAW_DATA)
    ).fit(cov_type="HC1")
    assert "C(PID)[T.1]" in fitted.params.index
    for values in ("params", "bse"):
        np.testing.assert_allclose(
            getattr(fitted, values).sort_index(),
            getattr(expected, values).sort_index(),
            rtol=1e-8,
            atol=1e-8,
        )


def test_summaries_say_what_pyfixest_fitted(project: Path) -> None:
    folder = project / "bld" / "estimation"
    iv = (folder / "feols_data_iv.md").read_text()
    assert iv.startswith("`vote ~ age + income | PID | selfLR ~ ClinLR + DoleLR`")
    assert "| estimator | pyfixest.feols (Feiv) |" in iv
    assert "| fixed effects (absorbed) | PID |" in iv
    assert "| endogenous | selfLR |\n| instruments | ClinLR + DoleLR |" in iv
    twoway = (folder / "feols_twoway_data_fe2.md").read_text()
    assert "| covariance | CRV1 |" in twoway
    assert "| covariance clusters | column PID, column state |" in twoway
    dropped = sum(1 for n in range(1, 945) if n % MISSING_EVERY["state"] == 0)
    assert f"| {944 - dropped} used, {dropped} dropped" in twoway.replace(
        "| observations ", "| "
    )
    # The coefficient table keeps its layout: a row per term, four decimals.
    assert "|:-------|--------:|-----------:|--------:|" in iv
    assert "| selfLR |" in iv
    latex = (folder / "fepois_data_count.tex").read_text()
    assert "\\begin{tabular}" in latex
    assert "Coef." in latex


def test_a_table_mixes_pyfixest_and_statsmodels_columns(project: Path) -> None:
    table = (project / "bld" / "final" / "tables" / "data_fe.tex").read_text()
    print(table)
    assert "Party identification FE & Yes & Yes & Yes \\\\" in table
    assert "T.1" not in table  # the dummies of C(PID) are left to the FE row
    assert "Within R$^2$ &" in table
    assert "Clustered by Party identification" in table
    twoway = (project / "bld" / "final" / "tables" / "data_fe2.md").read_text()
    assert "| Party identification FE | Yes |\n| state FE | Yes |" in twoway
    assert "Clustered by Party identification and state" in twoway
    shipped = (project / "bld" / "final" / "tables" / "data_1.md").read_text()
    assert " FE " not in shipped
    assert "Within" not in shipped
    assert "Instrumented" not in table + shipped
    iv = (project / "bld" / "final" / "tables" / "data_iv.md").read_text()
    assert "| Instrumented | Left-right self-placement |" in iv, iv


# The specification curve of income drawn as its task draws it; printed: each row of
# its panel of choices, by label, with the estimations it marks.
CURVE_CHOICES = """
import json
from my_project.final import task_final
from my_project.final.curve import curve_of, plot_specification_curve
from my_project.final.effects import effects_of, load_record

kwargs = task_final._create_curve_parametrization()["income"]
curve = kwargs["curve"].value
records = {n: load_record(p) for n, p in kwargs["paths_to_records"].items()}
effects = {n: effects_of(r, curve["marginal_effects"]) for n, r in records.items()}
points = curve_of(effects, curve)
panel = plot_specification_curve(
    points, task_final.with_covariances(curve, records)
).axes[1]
labels = [tick.get_text() for tick in panel.get_yticklabels()]
assert len(labels) == len(set(labels)), labels  # a row for each label
marked = {label: [] for label in labels}
for marks in panel.collections:
    for x, y in marks.get_offsets():
        marked[labels[round(y)]].append(points["estimation"][round(x) - 1])
print(json.dumps(marked))
"""


def test_the_curve_marks_the_covariance_each_fit_computed(project: Path) -> None:
    process = run(project, sys.executable, "-c", CURVE_CHOICES)
    assert process.returncode == 0, process.stderr
    marked = json.loads(process.stdout)
    # pyfixest's CRV1 and hetero, by their labels in final/config.py.
    assert set(DIRECT) - {"fepois_data_count"} <= set(marked["Clustered"])
    assert "fepois_data_count" in marked["Robust (HC1)"]
    assert not set(DIRECT) & set(marked["Conventional"])


def test_a_rebuild_runs_nothing_and_k_selects_pyfixest_estimations(
    project: Path, tmp_path: Path
) -> None:
    assert pytask(project) == {}
    edited = copy_project(project, tmp_path / "my_project")
    for name in ("feols_data_fe", "fepois_data_count"):
        (edited / "bld" / "estimation" / f"{name}.pickle").unlink()
    ran = pytask(edited, "-n", "2", "-k", "[feols_data_fe] or [fepois_data_count]")
    assert {"feols_data_fe", "fepois_data_count"} <= set(ran), ran
    assert all(outcome == "." for outcome in ran.values()), ran


def test_changing_the_fixest_code_reruns_exactly_the_pyfixest_estimations(
    project: Path, tmp_path: Path
) -> None:
    """As ``cruft update`` may change the template's pyfixest module."""
    edited = copy_project(project, tmp_path / "my_project")
    module = edited / "my_project_template" / "fixest.py"
    module.write_text(module.read_text() + "\n# updated\n")
    estimations = load_config(edited).estimations
    ran = pytask(edited)
    assert {name for name in ran if name in estimations} == set(DIRECT), ran


def test_instruments_with_a_statsmodels_estimator_are_refused(
    project: Path, tmp_path: Path
) -> None:
    edited = copy_project(project, tmp_path / "my_project")
    estimations = load_config(edited).estimations
    estimations["logit_data_iv"] = {"model": "logit", "data": "data_iv"}
    set_value(edited, MODELS_CONFIG, "ESTIMATIONS", estimations)
    process = run(edited, sys.executable, "-m", "pytask")
    assert process.returncode != 0
    assert (
        "ConfigError: src/my_project/estimation/config.py: "
        "ESTIMATIONS['logit_data_iv']: 'logit' cannot fit the instruments of "
        "DATA['data_iv']; allowed: 'pyfixest.feols', or leave the pair out"
    ) in process.stdout, process.stdout


@pytest.mark.parametrize(
    ("model", "data", "vcov", "what"),
    [
        ("feols", "data_fe", "HC3", "the fixed effects"),
        ("feols", "data_iv", {"CRV3": "PID"}, "the instruments"),
    ],
)
def test_a_vcov_pyfixest_cannot_compute_for_the_data_is_refused(
    project: Path, tmp_path: Path, model: str, data: str, vcov: object, what: str
) -> None:
    edited = copy_project(project, tmp_path / "my_project")
    set_models(edited, load_config(edited).models | {model: {**MODELS[model]}})
    models = load_config(edited).models
    models[model]["arguments"] = {"vcov": vcov}
    set_models(edited, models)
    process = run(edited, sys.executable, "-m", "pytask")
    assert process.returncode != 0
    kind = next(iter(vcov)) if isinstance(vcov, dict) else vcov
    assert (
        f"ConfigError: src/my_project/estimation/config.py: ESTIMATIONS['{model}_"
        f"{data}']: MODELS['{model}']['arguments']['vcov']: pyfixest computes no "
        f"{kind!r} with {what} of DATA['{data}']; allowed: another vcov, or leave "
        "the pair out"
    ) in process.stdout, process.stdout


def test_a_value_pyfixest_refuses_with_a_type_error_is_one_line(
    project: Path, tmp_path: Path
) -> None:
    """pyfixest raises Python's own TypeError; the line still names the key."""
    edited = copy_project(project, tmp_path / "my_project")
    models = load_config(edited).models
    models["feols"]["arguments"]["fixef_rm"] = 3
    set_models(edited, models)
    process = run(edited, sys.executable, "-m", "pytask", "-k", "feols_data_fe]")
    output = process.stdout + process.stderr
    assert process.returncode == 1, output
    assert (
        "FitError: src/my_project/estimation/config.py: MODELS['feols']['arguments']"
        "['fixef_rm']: 3 refused by pyfixest; TypeError: fixef_rm must be a string"
    ) in output, output
    assert "Traceback" not in output


def test_without_pyfixest_pytask_says_what_to_install(
    project: Path, tmp_path: Path
) -> None:
    """A package named pyfixest that fails to import hides the installed one."""
    hidden = tmp_path / "hidden"
    (hidden / "pyfixest").mkdir(parents=True)
    (hidden / "pyfixest" / "__init__.py").write_text("raise ImportError\n")
    edited = copy_project(project, tmp_path / "my_project")
    (edited / "bld" / "estimation" / "feols_data_fe.pickle").unlink()
    env = os.environ | {
        "PYTHONPATH": os.pathsep.join([str(hidden), pythonpath(edited)]),
        "COLUMNS": "400",
    }
    process = subprocess.run(
        [sys.executable, "-m", "pytask"],
        cwd=edited,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert process.returncode != 0
    message = (
        r"ConfigError: src/my_project/estimation/config\.py: "
        r"MODELS\['fe\w+'\]\['estimator'\]: pyfixest is not installed; install the "
        r"extra: pip install -e '\.\[fixest\]'\n"
    )
    assert re.search(message, process.stdout), process.stdout
    assert not (edited / "bld" / "estimation" / "feols_data_fe.pickle").exists()


def test_collection_imports_neither_library(project: Path) -> None:
    """The task modules and the cheap rules of a config that names pyfixest."""
    heavy = ["numpy", "pandas", "pyfixest", "statsmodels"]
    code = (
        "import sys, my_project.estimation.task_estimate_models; "
        "from my_project.data_preparation.config import DATA; "
        "from my_project.estimation.config import ESTIMATIONS, MODELS; "
        "from my_project_template import rules; "
        "assert not rules.problems(DATA, MODELS, ESTIMATIONS); "
        f"print(sorted(set({heavy!r}) & set(sys.modules)))"
    )
    process = run(project, sys.executable, "-c", code)
    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "[]"
