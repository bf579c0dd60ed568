"""Every kind of model the config speaks, fitted by pytask, equals statsmodels' own fit.

One baked project holds all kinds at once: the shipped models and data, a GLM with a
family and a link, WLS with a column of weights, OLS and logit with errors clustered on
a column, and a data specification with C(), np.log(), I() and interaction terms. Its
data get a weight and a cluster column and missing values. One pytask run builds it;
each result is compared with a fit of statsmodels on the same rows, made here without
the project.
"""

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from statsmodels.genmod import families
from statsmodels.iolib.smpickle import load_pickle

from tests.bakery import add_weight_and_state, bake, pytask
from tests.reruns import (
    MODELS_CONFIG,
    RAW_DATA,
    copy_project,
    load_config,
    replace,
    set_data,
    set_models,
)

TERMS = {
    "outcome": "vote",
    "covariates": ["C(PID)", "np.log(income)", "I(age ** 2)", "age:educ", "TVnews"],
    "sample": "age >= 25",
}
MODELS = {
    "glm_probit": {
        "estimator": "glm",
        "arguments": {"family": "Binomial", "link": "Probit"},
    },
    "weighted": {"estimator": "wls", "arguments": {"weights": "weight"}},
    "clustered": {
        "estimator": "ols",
        "fit": {"cov_type": "cluster", "cov_kwds": {"groups": "state"}},
    },
    "clustered_logit": {
        "estimator": "logit",
        "fit": {"disp": False, "cov_type": "cluster", "cov_kwds": {"groups": "state"}},
    },
}
# Every n-th respondent lacks a value in the column.
MISSING_EVERY = {"TVnews": 17, "weight": 23, "state": 29}
# The columns of each formula, named here by hand rather than read by the project.
FORMULA_COLUMNS = {
    "data_0": ["vote", "age", "educ", "income"],
    "data_terms": ["vote", "PID", "income", "age", "educ", "TVnews"],
}
FORMULA_COLUMNS |= {
    name: [*FORMULA_COLUMNS["data_0"], "PID", "selfLR"]
    for name in ("data_1", "data_2", "data_3")
}


@pytest.fixture(scope="module")
def project(cookies_session) -> Path:
    """A project with all kinds of models, built once."""
    project = bake(cookies_session)
    config = load_config(project)
    set_data(project, config.data | {"data_terms": TERMS})
    set_models(project, config.models | MODELS)
    add_weight_and_state(project / RAW_DATA, gaps=MISSING_EVERY)
    assert len(pytask(project)) == 5 + 5 * 7
    return project


def direct_fit(project: Path, estimation: str) -> tuple[Any, int]:
    """Fit an estimation with statsmodels alone, on the rows it should use.

    Return the fit and the number of rows in the estimation's sample.
    """
    config = load_config(project)
    spec = config.data[config.estimations[estimation]["data"]]
    model = config.models[config.estimations[estimation]["model"]]
    data = pd.read_csv(project / RAW_DATA)
    if spec["sample"] is not None:
        data = data.query(spec["sample"])
    extra = {
        "weighted": ["weight"],
        "clustered": ["state"],
        "clustered_logit": ["state"],
    }
    rows = data.dropna(
        subset=FORMULA_COLUMNS[config.estimations[estimation]["data"]]
        + extra.get(config.estimations[estimation]["model"], [])
    )
    formula = f"{spec['outcome']} ~ {' + '.join(spec['covariates'])}"
    estimator = getattr(smf, model["estimator"])
    if model["estimator"] == "glm":
        link = getattr(families.links, model["arguments"]["link"])()
        family = getattr(families, model["arguments"]["family"])(link=link)
        return estimator(formula, data=rows, family=family).fit(), len(data)
    if model["estimator"] == "wls":
        weights = rows["weight"].to_numpy()
        return estimator(formula, data=rows, weights=weights).fit(), len(data)
    fit = dict(model["fit"])
    if "cov_kwds" in fit:
        fit["cov_kwds"] = {"groups": rows["state"].to_numpy()}
    return estimator(formula, data=rows).fit(**fit), len(data)


def test_every_result_equals_a_direct_statsmodels_fit(project: Path) -> None:
    for estimation in load_config(project).estimations:
        result = load_pickle(project / "bld" / "estimation" / f"{estimation}.pickle")
        expected, n_sample = direct_fit(project, estimation)
        assert list(result.params.index) == list(expected.params.index), estimation
        for values in ("params", "bse"):
            np.testing.assert_allclose(
                getattr(result, values),
                getattr(expected, values),
                rtol=1e-8,
                atol=1e-8,
                err_msg=f"{estimation}: {values}",
            )
        summary = (project / "bld" / "estimation" / f"{estimation}.md").read_text()
        dropped = n_sample - int(expected.nobs)
        used = f"| observations | {int(expected.nobs)} used, {dropped} dropped"
        assert used in summary, summary


def test_gaps_in_columns_a_model_uses_drop_rows(project: Path) -> None:
    """The shipped estimations use no column with gaps; the new ones lose rows."""
    summaries = {
        path.stem: path.read_text()
        for path in (project / "bld" / "estimation").glob("*.md")
    }
    assert "0 dropped" in summaries["logit_data_0"]
    assert "0 dropped" not in summaries["weighted_data_0"]
    assert "0 dropped" not in summaries["logit_data_terms"]


def test_summaries_record_what_was_fitted(project: Path) -> None:
    folder = project / "bld" / "estimation"
    glm = (folder / "glm_probit_data_1.md").read_text()
    assert "| estimator | glm (GLM) |" in glm
    assert "| family, link | Binomial, Probit |" in glm
    weighted = (folder / "weighted_data_1.md").read_text()
    assert "| estimator | wls (WLS) |" in weighted
    assert "| weights | column weight |" in weighted
    clustered = (folder / "clustered_data_1.md").read_text()
    assert "| covariance | cluster |" in clustered
    assert "| covariance groups | column state |" in clustered
    shipped = (folder / "linear_probability_data_0.md").read_text()
    assert "| covariance | HC1 |" in shipped
    assert "family" not in shipped


def test_shipped_results_equal_fits_of_the_whole_sample(project: Path) -> None:
    """The shipped estimations use every respondent of their sample, as before."""
    raw = pd.read_csv(project / RAW_DATA)
    result = load_pickle(project / "bld" / "estimation" / "logit_data_2.pickle")
    expected = smf.logit(
        "vote ~ age + educ + income + PID + selfLR", data=raw.query("educ >= 4")
    ).fit(disp=False)
    assert int(result.nobs) == int((raw["educ"] >= 4).sum())
    np.testing.assert_allclose(result.params, expected.params, rtol=1e-10)


def test_editing_one_models_arguments_reruns_exactly_its_estimations(
    project: Path, tmp_path: Path
) -> None:
    edited = copy_project(project, tmp_path / "my_project")
    replace(edited, MODELS_CONFIG, "'link': 'Probit'", "'link': 'Logit'")
    ran = pytask(edited)
    assert set(ran) == {f"glm_probit_{data}" for data in load_config(edited).data}
    result = load_pickle(edited / "bld" / "estimation" / "glm_probit_data_0.pickle")
    assert type(result.model.family.link).__name__ == "Logit"
