"""What a generated project reruns after each kind of edit, run by pytask for real.

Each test edits a copy of one baked and built project the way a researcher would, runs
``pytask`` and checks the exact set of tasks it executed; after each run every product
in bld/ must equal a clean build of the same configuration. The numbers refer to the
guarantees of issue 5.
"""

import csv
import os
import re
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from tests.bakery import pytask, run
from tests.reruns import (
    DATA_CONFIG,
    ESTIMATE_MODULE,
    MODELS_CONFIG,
    PACKAGE,
    RAW_DATA,
    SUMMARIES_MODULE,
    CleanBuilds,
    Config,
    assert_matches_clean_build,
    copy_project,
    load_config,
    replace,
    set_data,
    set_models,
    snapshot,
)

POISSON = {"estimator": "poisson", "fit": {"disp": False}}
PROBIT = '"probit": {"estimator": "probit", "fit": {"disp": False}}'


@pytest.fixture
def project(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project for one test to edit."""
    return copy_project(built, tmp_path / "my_project")


def unbuilt(project: Path) -> Path:
    """Remove what pytask built and remembers, as in a fresh clone."""
    shutil.rmtree(project / "bld")
    shutil.rmtree(project / ".pytask")
    (project / "pytask.lock").unlink()
    return project


def executed(project: Path, *args: str) -> set[str]:
    """Run pytask; return the ids of the tasks it executed, all of which succeeded."""
    outcomes = pytask(project, *args)
    assert set(outcomes.values()) <= {"."}, outcomes
    return set(outcomes)


def rerun(
    project: Path, clean_builds: CleanBuilds, *args: str
) -> tuple[set[str], Config]:
    """Run pytask, check bld/ against a clean build; return what ran and the config."""
    ran = executed(project, *args)
    config = load_config(project)
    assert_matches_clean_build(project, config, clean_builds.of(project, config))
    return ran, config


# 1. A second run executes nothing.
def test_a_second_run_executes_nothing(project: Path) -> None:
    assert executed(project) == set()


def test_a_product_changed_with_its_time_kept_is_rebuilt_only_when_forced(
    project: Path,
) -> None:
    """pytask reads a file again only when its modification time changed (README).

    It keeps each file's hash by its path and modification time in
    .pytask/file_hashes.json, which a first run in the copied project fills.
    """
    assert executed(project) == set()
    summary = project / "bld" / "estimation" / "logit_data_0.md"
    written = summary.stat()
    summary.write_text("")
    os.utime(summary, ns=(written.st_atime_ns, written.st_mtime_ns))

    assert executed(project) == set()
    assert summary.read_text() == ""
    assert executed(project, "--force", "-k", "[logit_data_0]") == {
        "data_0",
        "logit_data_0",
    }
    assert summary.read_text().startswith("`vote ~ ")


# 2. One value of one data specification.
def test_changing_one_data_value_reruns_its_preparation_and_estimations(
    project: Path, clean_builds: CleanBuilds
) -> None:
    replace(project, DATA_CONFIG, '"sample": "educ >= 4"', '"sample": "educ >= 5"')
    ran, config = rerun(project, clean_builds)
    assert ran == {"data_2", *config.estimations_of(data="data_2")}
    # A value that selects the same rows reruns the preparation alone: its estimations
    # read the prepared data, whose content did not change.
    replace(project, DATA_CONFIG, '"sample": "educ >= 5"', '"sample": "educ > 4"')
    ran, _ = rerun(project, clean_builds)
    assert ran == {"data_2"}


# 3. Adding and removing a data specification or a model.
def test_adding_and_removing_a_data_specification(
    project: Path, clean_builds: CleanBuilds
) -> None:
    original = load_config(project).data
    new = {"outcome": "vote", "covariates": ["age", "PID"], "sample": "age >= 40"}
    set_data(project, original | {"data_4": new})
    ran, config = rerun(project, clean_builds)
    assert ran == {"data_4", *config.estimations_of(data="data_4")}
    set_data(project, original)
    ran, _ = rerun(project, clean_builds)
    assert ran == set()
    # pytask deletes nothing: the removed specification's results stay in bld/.
    assert (project / "bld" / "data_preparation" / "data_4.parquet").exists()


def test_adding_and_removing_a_model(project: Path, clean_builds: CleanBuilds) -> None:
    original = load_config(project).models
    set_models(project, original | {"poisson": POISSON})
    ran, config = rerun(project, clean_builds)
    assert ran == config.estimations_of(model="poisson")
    set_models(project, original)
    ran, _ = rerun(project, clean_builds)
    assert ran == set()


def test_a_single_data_specification_and_model_keep_their_ids(
    project: Path, clean_builds: CleanBuilds
) -> None:
    """pytask appends an id to a task's name only when the name repeats, so the task
    modules put it in the name: a lone entry keeps its id, pytask's record of its last
    run and its -k expression."""
    original = load_config(project)
    set_data(project, {"data_0": original.data["data_0"]})
    set_models(project, {"logit": original.models["logit"]})
    ran, _ = rerun(project, clean_builds)
    assert ran == set()
    set_models(project, {"logit": {"estimator": "logit", "fit": {"maxiter": 99}}})
    ran, _ = rerun(project, clean_builds, "-k", "[logit_data_0]")
    assert ran == {"logit_data_0"}
    set_data(project, original.data)
    set_models(project, original.models)
    ran, _ = rerun(project, clean_builds)
    assert ran == {"logit_data_0"}  # the others' last runs match the restored entry


# 4. Changing a model's entry, the fitting code, the raw data.
def test_changing_one_model_entry_reruns_its_estimations(
    project: Path, clean_builds: CleanBuilds
) -> None:
    replace(project, MODELS_CONFIG, '"cov_type": "HC1"', '"cov_type": "HC3"')
    ran, config = rerun(project, clean_builds)
    assert ran == config.estimations_of(model="linear_probability")


# The fitting code, and the template's summaries of each fit (as `cruft update` may
# change them).
@pytest.mark.parametrize(
    ("module", "old", "new"),
    [
        (ESTIMATE_MODULE, "fitted.fit(**options)", "fitted.fit(**options )"),
        (SUMMARIES_MODULE, 'floatfmt=".4f"', 'floatfmt=".3f"'),
    ],
)
def test_changing_the_estimations_code_reruns_every_estimation_and_no_preparation(
    project: Path, clean_builds: CleanBuilds, module: Path, old: str, new: str
) -> None:
    replace(project, module, old, new)
    ran, config = rerun(project, clean_builds)
    assert ran == set(config.estimations)


def test_changing_the_raw_data_reruns_everything_downstream(
    project: Path, clean_builds: CleanBuilds
) -> None:
    """Change the age of one respondent of each educational sample, so every
    preparation's output changes."""
    path = project / RAW_DATA
    with path.open(newline="") as file:
        rows = list(csv.DictReader(file))
    for sample in (lambda educ: educ <= 3, lambda educ: educ >= 4):
        row = next(row for row in rows if sample(int(row["educ"])))
        row["age"] = str(int(row["age"]) + 1)
    with path.open("w", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    ran, config = rerun(project, clean_builds)
    assert ran == config.task_ids


def test_naming_or_replacing_the_raw_data_reruns_the_preparations_and_what_follows(
    project: Path, clean_builds: CleanBuilds
) -> None:
    """``RAW_DATA`` pointed at a Stata file, then that file replaced (issue 21)."""
    import pandas as pd

    data = pd.read_csv(project / RAW_DATA)
    stata = project / PACKAGE / "data" / "anes.dta"
    data.to_stata(stata, write_index=False)
    replace(
        project,
        DATA_CONFIG,
        'RAW_DATA = SRC / "data" / "data.csv"',
        'RAW_DATA = SRC / "data" / "anes.dta"',
    )
    ran, config = rerun(project, clean_builds)
    # Stata keeps the numbers in 4 bytes: every prepared data set differs.
    assert ran == config.task_ids
    # One respondent with little education is a year older: the sample of the others
    # (data_2, educ >= 4) stays the same, and so do its estimations.
    data.loc[data.index[data["educ"] <= 3][0], "age"] += 1
    data.to_stata(stata, write_index=False)
    ran, config = rerun(project, clean_builds)
    changed = {"data_0", "data_1", "data_3"}
    estimations = {e for d in changed for e in config.estimations_of(data=d)}
    assert ran == {*config.data, *estimations}


# 5. Comments and docstrings in config modules.
def test_editing_comments_and_docstrings_in_configs_reruns_nothing(
    project: Path, clean_builds: CleanBuilds
) -> None:
    for module in (PACKAGE / "config.py", DATA_CONFIG, MODELS_CONFIG):
        path = project / module
        text = path.read_text()
        end = text.index('"""', 3)  # of the module's docstring
        path.write_text(f"{text[:end]}Edited.\n{text[end:]}# A new comment.\n")
    replace(project, DATA_CONFIG, "DATA = {\n", "DATA = {\n    # Demographics only.\n")
    ran, _ = rerun(project, clean_builds)
    assert ran == set()


# 6. Results never go stale.
def test_clean_builds_are_byte_identical_across_processes(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pickled data, pickled fits and summaries do not depend on the process or the
    directory, so a rebuild can be compared with a clean build byte for byte."""
    monkeypatch.setenv("PYTHONHASHSEED", "0")  # the first build had a random seed
    again = unbuilt(copy_project(built, tmp_path / "again"))
    assert len(executed(again)) == 16
    assert snapshot(again) == snapshot(built)


def test_undoing_an_edit_restores_the_clean_results(
    project: Path, clean_builds: CleanBuilds
) -> None:
    before = snapshot(project)
    replace(project, MODELS_CONFIG, '"cov_type": "HC1"', '"cov_type": "HC3"')
    ran, config = rerun(project, clean_builds)
    assert ran == config.estimations_of(model="linear_probability")
    assert snapshot(project) != before
    replace(project, MODELS_CONFIG, '"cov_type": "HC3"', '"cov_type": "HC1"')
    ran, config = rerun(project, clean_builds)
    assert ran == config.estimations_of(model="linear_probability")
    assert snapshot(project) == before


# 7. Selection with -k.
README_SELECTIONS = {
    # the expression in the generated README -> what it must run
    "linear_probability_data_0": {"data_0", "linear_probability_data_0"},
    "[linear_probability_data_0]": {"data_0", "linear_probability_data_0"},
    "[logit_": {f"data_{i}" for i in range(4)} | {f"logit_data_{i}" for i in range(4)},
    "data_1]": {"data_1"}
    | {f"{m}_data_1" for m in ("linear_probability", "logit", "probit")},
}


def test_readme_selections_run_exactly_what_they_say(
    built: Path, tmp_path: Path
) -> None:
    readme = (built / "README.md").read_text()
    section = readme.split("## Select what to run")[1].split("\n## ")[0]
    commands = re.findall(r"`(pytask -k [^`]+)`", section)
    expressions = [shlex.split(command)[2] for command in commands]
    assert expressions == list(README_SELECTIONS)
    for i, (expression, expected) in enumerate(README_SELECTIONS.items()):
        project = unbuilt(copy_project(built, tmp_path / str(i)))
        assert executed(project, "-k", expression) == expected, expression


def test_selection_is_exact_beside_ten_more_data_specifications(
    built: Path, tmp_path: Path
) -> None:
    twelve = unbuilt(copy_project(built, tmp_path / "twelve"))
    data = load_config(twelve).data
    set_data(twelve, data | {f"data_{i}": data["data_1"] for i in range(4, 12)})
    exact = {"data_1", "linear_probability_data_1"}
    selections = {
        "[linear_probability_data_1]": exact,
        "linear_probability_data_1]": exact,
        "data_1]": {"data_1", *load_config(twelve).estimations_of(data="data_1")},
        # The pitfall: a plain id matches as a substring of data_10 and data_11.
        "linear_probability_data_1": {
            f"{prefix}data_{i}"
            for prefix in ("", "linear_probability_")
            for i in (1, 10, 11)
        },
    }
    for i, (expression, expected) in enumerate(selections.items()):
        project = copy_project(twelve, tmp_path / str(i))
        assert executed(project, "-k", expression) == expected, expression


# 8. Persisted estimations.
def test_a_persisted_estimation_keeps_its_results_until_they_are_deleted(
    project: Path,
) -> None:
    replace(project, MODELS_CONFIG, "= set()", '= {"probit_data_3"}')
    assert executed(project) == set()  # persisting changes no input
    result = project / "bld" / "estimation" / "probit_data_3.pickle"
    kept = result.read_bytes()
    replace(project, MODELS_CONFIG, PROBIT, PROBIT.replace("}}", ', "maxiter": 99}}'))
    outcomes = pytask(project, "--verbose", "2")  # lists skipped tasks too
    persisted = {name for name, outcome in outcomes.items() if outcome == "p"}
    assert persisted == {"probit_data_3"}
    ran = {name for name, outcome in outcomes.items() if outcome == "."}
    assert ran == {"probit_data_0", "probit_data_1", "probit_data_2"}
    assert result.read_bytes() == kept
    assert executed(project) == set()
    result.unlink()
    assert executed(project) == {"probit_data_3"}
    assert result.read_bytes() != kept  # fitted with maxiter=99 now


# 9. The project's own tests name the entry an edit broke.
BREAKS = {
    "ids equal but for case": (
        DATA_CONFIG,
        "DATA = {\n",
        'DATA = {\n    "Data_1": {"outcome": "vote", "covariates": [], "sample": None},'
        "\n",
        "'data_1'",
    ),
    "an estimator statsmodels lacks": (
        MODELS_CONFIG,
        "MODELS = {\n",
        'MODELS = {\n    "tree": {"estimator": "decision_tree", "fit": {}},\n',
        "MODELS['tree']['estimator']: 'decision_tree' is not a function",
    ),
    "an unknown id in PERSIST": (
        MODELS_CONFIG,
        "= set()",
        '= {"probit_data_9"}',
        "'probit_data_9'",
    ),
    "a model whose -k selects another": (
        MODELS_CONFIG,
        "MODELS = {\n",
        'MODELS = {\n    "logit_robust": {"estimator": "logit", "fit": {}},\n',
        "MODELS['logit']: -k '[logit_' also selects ['logit_robust_data_0'",
    ),
    "a set where JSON data is expected": (
        MODELS_CONFIG,
        '"fit": {"disp": False}}',
        '"fit": {"disp": False, "start_params": {0}}}',
        "MODELS['logit']['fit']['start_params']: {0} is not JSON data",
    ),
}


@pytest.mark.parametrize("break_", BREAKS.values(), ids=BREAKS)
def test_project_tests_name_the_entry_an_edit_broke(
    project: Path, break_: tuple[Path, str, str, str]
) -> None:
    module, old, new, message = break_
    text = (project / module).read_text()
    (project / module).write_text(text.replace(old, new, 1))
    process = run(
        project, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"
    )
    assert process.returncode == 1, process.stdout + process.stderr
    assert message in process.stdout, process.stdout
