"""Random sequences of edits: pytask reruns exactly what they affect, never stale.

Each sequence applies random edits to a copy of a built project, runs ``pytask`` after
each, and checks both directions: the tasks that ran are exactly those whose inputs
changed, as computed from the configuration (tests/reruns.py), and every product in
bld/ equals a clean build of the same configuration (guarantee 10 of issue 5).

CI runs a few short sequences. Run many more with, for example,
``RERUN_SEQUENCES=50 python -m pytest tests/test_rerun_properties.py``;
``RERUN_EDITS`` sets the edits per sequence and ``RERUN_SEED`` picks other sequences.
A failure prints the seed and the edits that led to it.
"""

import csv
import os
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.bakery import pytask
from tests.reruns import (
    CONFIG_MODULES,
    PREPARE_MODULE,
    RAW_DATA,
    SUMMARIES_MODULE,
    CleanBuilds,
    Config,
    Expectation,
    assert_matches_clean_build,
    copy_project,
    fingerprints,
    load_config,
    set_data,
    set_models,
)

SEQUENCES = int(os.environ.get("RERUN_SEQUENCES", "3"))
EDITS = int(os.environ.get("RERUN_EDITS", "3"))
SEED = os.environ.get("RERUN_SEED", "0")

COLUMNS = ["age", "educ", "income", "PID", "selfLR", "TVnews", "ClinLR", "popul"]
# Two of them select the same respondents: editing one into the other changes a
# specification but not its prepared data.
SAMPLES = [None, "educ >= 4", "educ > 3", "educ <= 3", "age < 50", "income >= 15"]
# No glm: statsmodels' GLM pickles a scratch array made by numpy.empty_like, so two fits
# of the same model differ byte for byte, in their uninitialized memory only.
MORE_MODELS = {
    "poisson": {"estimator": "poisson", "fit": {"disp": False}},
    "least_squares": {"estimator": "ols", "fit": {}},
    "robust_logit": {"estimator": "logit", "fit": {"disp": False, "cov_type": "HC0"}},
}
MAX_DATA = 6
MAX_MODELS = 5

Edit = Callable[[Path, Config, random.Random], str]


def change_data_value(project: Path, config: Config, rng: random.Random) -> str:
    name = rng.choice(sorted(config.data))
    spec = dict(config.data[name])
    column = rng.choice(COLUMNS)
    if column not in spec["covariates"]:
        spec["covariates"] = [*spec["covariates"], column]
    elif len(spec["covariates"]) > 1:
        spec["covariates"] = [c for c in spec["covariates"] if c != column]
    else:
        spec["sample"] = rng.choice(SAMPLES)
    set_data(project, config.data | {name: spec})
    return f"DATA[{name!r}] = {spec}"


def add_data(project: Path, config: Config, rng: random.Random) -> str:
    name = next(f"data_{i}" for i in range(MAX_DATA) if f"data_{i}" not in config.data)
    spec = {
        "outcome": "vote",
        "covariates": rng.sample(COLUMNS, rng.randint(1, 4)),
        "sample": rng.choice(SAMPLES),
    }
    set_data(project, config.data | {name: spec})
    return f"add DATA[{name!r}] = {spec}"


def remove_data(project: Path, config: Config, rng: random.Random) -> str:
    name = rng.choice(sorted(config.data))
    set_data(project, {k: v for k, v in config.data.items() if k != name})
    return f"remove DATA[{name!r}]"


def add_model(project: Path, config: Config, rng: random.Random) -> str:
    name = rng.choice(sorted(set(MORE_MODELS) - set(config.models)))
    set_models(project, config.models | {name: MORE_MODELS[name]})
    return f"add MODELS[{name!r}]"


def remove_model(project: Path, config: Config, rng: random.Random) -> str:
    name = rng.choice(sorted(config.models))
    set_models(project, {k: v for k, v in config.models.items() if k != name})
    return f"remove MODELS[{name!r}]"


def change_model(project: Path, config: Config, rng: random.Random) -> str:
    name = rng.choice(sorted(config.models))
    model = config.models[name]
    fit = dict(model["fit"])
    if model["estimator"] in {"logit", "probit", "poisson"} and rng.random() < 0.5:
        fit["maxiter"] = rng.choice([35, 50, 100])
    else:
        fit["cov_type"] = rng.choice(["nonrobust", "HC0", "HC1", "HC3"])
    set_models(project, config.models | {name: {**model, "fit": fit}})
    return f"MODELS[{name!r}]['fit'] = {fit}"


def edit_task_module(project: Path, config: Config, rng: random.Random) -> str:
    """Change the precision of the template's summaries of each fit, or a comment in
    the code that prepares the data."""
    if rng.random() < 0.5:
        path = project / SUMMARIES_MODULE
        digits = rng.choice("345")
        text, count = re.subn(
            r'floatfmt="\.\df"', f'floatfmt=".{digits}f"', path.read_text()
        )
        assert count, "the summaries' code has no floatfmt to edit"
        path.write_text(text)
        return f"summaries with {digits} digits"
    path = project / PREPARE_MODULE
    path.write_text(f"{path.read_text()}# Edited {rng.random()}\n")
    return "comment in the preparation module"


def edit_raw_data(project: Path, config: Config, rng: random.Random) -> str:
    path = project / RAW_DATA
    with path.open(newline="") as file:
        rows = list(csv.reader(file))
    row = rng.randrange(1, len(rows))
    column = rng.randrange(len(rows[0]))
    value = int(rows[row][column])
    rows[row][column] = str(1 - value if rows[0][column] == "vote" else value + 1)
    with path.open("w", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows(rows)
    return f"data.csv row {row} {rows[0][column]}: {value} -> {rows[row][column]}"


def edit_config_comment(project: Path, config: Config, rng: random.Random) -> str:
    module = rng.choice(CONFIG_MODULES)
    path = project / module
    text = path.read_text()
    if rng.random() < 0.5:
        path.write_text(f"{text}# Edited {rng.random()}\n")
        return f"comment in {module.name}"
    end = text.index('"""', 3)
    path.write_text(f"{text[:end]}Edited {rng.random()}.\n{text[end:]}")
    return f"docstring of {module.parent.name}/{module.name}"


def possible_edits(config: Config) -> list[Edit]:
    """Return the edits that keep at least one data specification and one model."""
    edits = [change_data_value, change_model, edit_task_module, edit_raw_data]
    edits.append(edit_config_comment)
    if len(config.data) < MAX_DATA:
        edits.append(add_data)
    if len(config.data) > 1:
        edits.append(remove_data)
    if len(config.models) < MAX_MODELS:
        edits.append(add_model)
    if len(config.models) > 1:
        edits.append(remove_model)
    return edits


@pytest.fixture(scope="module")
def tally() -> Iterator[Counter[str]]:
    """Count sequences, edits and tasks run; print them once at the end."""
    counts: Counter[str] = Counter()
    start = time.perf_counter()
    yield counts
    seconds = time.perf_counter() - start
    print(f"\n{dict(counts)} in {seconds:.0f} s")


@pytest.mark.parametrize("sequence", range(SEQUENCES))
def test_random_edits_rerun_exactly_what_they_affect(
    built: Path,
    clean_builds: CleanBuilds,
    tally: Counter[str],
    tmp_path: Path,
    sequence: int,
) -> None:
    rng = random.Random(f"{SEED}-{sequence}")
    project = copy_project(built, tmp_path / "my_project")
    config = load_config(project)
    expectation = Expectation()
    expectation.must_run(
        fingerprints(project, config, clean_builds.of(project, config))
    )
    log = [f"RERUN_SEED={SEED}, sequence {sequence}"]
    for _ in range(EDITS):
        edit = rng.choice(possible_edits(config))
        log.append(edit(project, config, rng))
        outcomes = pytask(project)
        assert set(outcomes.values()) <= {"."}, log
        config = load_config(project)
        clean = clean_builds.of(project, config)
        expected = expectation.must_run(fingerprints(project, config, clean))
        assert set(outcomes) == expected, "\n".join(log)
        assert_matches_clean_build(project, config, clean, "\n".join(log))
        tally.update(
            {"edits": 1, f"edit {edit.__name__}": 1, "tasks run": len(outcomes)}
        )
    tally["sequences"] += 1
