"""Bring your own data: raw data in Stata, Parquet, Excel and SPSS files (issue 21).

The default data, saved in each format with ``RAW_DATA`` pointed at the file, give the
CSV build's results; a column missing from any format is refused in one line; Stata's
labelled values and missing values arrive as categories and as missing; the generated
README's section "Use your own data" runs as written.
"""

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from statsmodels.iolib.smpickle import load_pickle

from tests.bakery import bake, pythonpath, run
from tests.reruns import DATA_CONFIG, PACKAGE, RAW_DATA, copy_project, replace, set_data

ORIGINAL = 'RAW_DATA = SRC / "data" / "data.csv"'
FORMATS = ("dta", "parquet", "xlsx", "sav")
CONFIG_FILE = "src/my_project/data_preparation/config.py"
# statsmodels' PID codes and the labels a Stata user would give them.
PID_LABELS = {
    0: "Strong Democrat",
    1: "Weak Democrat",
    2: "Independent-Democrat",
    3: "Independent",
    4: "Independent-Republican",
    5: "Weak Republican",
    6: "Strong Republican",
}


def save(data: pd.DataFrame, path: Path, **stata: object) -> None:
    """Save ``data`` in the format of the path's suffix, as a researcher's tool does."""
    if path.suffix == ".dta" and stata:
        pyreadstat.write_dta(data, path, **stata)
    elif path.suffix == ".dta":
        data.to_stata(path, write_index=False)
    elif path.suffix == ".parquet":
        data.to_parquet(path, index=False)
    elif path.suffix == ".xlsx":
        data.to_excel(path, index=False)
    elif path.suffix == ".sav":
        pyreadstat.write_sav(data, path)
    else:
        data.to_csv(path, index=False)


def point_at(project: Path, name: str) -> None:
    """Set ``RAW_DATA`` to ``src/my_project/data/<name>``."""
    replace(project, DATA_CONFIG, ORIGINAL, f'RAW_DATA = SRC / "data" / "{name}"')


def run_pytask(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run pytask with lines wide enough for any message."""
    return run(project, sys.executable, "-m", "pytask", *args)


def parameters(project: Path) -> dict[str, np.ndarray]:
    """Return the estimated parameters of every estimation in bld/, by id."""
    return {
        path.stem: np.asarray(load_pickle(path).params)
        for path in sorted((project / "bld" / "estimation").glob("*.pickle"))
    }


def config_errors(output: str) -> list[str]:
    """Return the lines of pytask's output that report a mistake in the config."""
    return [line for line in output.splitlines() if line.startswith("ConfigError:")]


@pytest.fixture(scope="module")
def fresh(cookies_session) -> Path:
    """A baked project, not built."""
    return bake(cookies_session)


@pytest.fixture(scope="module")
def csv_results(fresh: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The parameters of a build from the shipped CSV file."""
    project = copy_project(fresh, tmp_path_factory.mktemp("csv") / "my_project")
    process = run_pytask(project)
    assert process.returncode == 0, process.stdout
    return parameters(project)


@pytest.mark.parametrize("suffix", FORMATS)
def test_each_format_gives_the_csv_builds_results(
    fresh: Path, csv_results: dict, tmp_path: Path, suffix: str
) -> None:
    project = copy_project(fresh, tmp_path / "my_project")
    save(pd.read_csv(project / RAW_DATA), project / PACKAGE / "data" / f"anes.{suffix}")
    point_at(project, f"anes.{suffix}")
    process = run_pytask(project)
    assert process.returncode == 0, process.stdout
    assert "16  Succeeded" in process.stdout, process.stdout
    results = parameters(project)
    assert results.keys() == csv_results.keys()
    for name, params in results.items():
        np.testing.assert_allclose(params, csv_results[name], rtol=0, atol=1e-10)
    # Prepared data are Parquet, with every column of the raw data.
    prepared = pd.read_parquet(project / "bld" / "data_preparation" / "data_0.parquet")
    assert list(prepared.columns) == list(pd.read_csv(project / RAW_DATA).columns)
    # A second build runs nothing and reads no header with a library.
    imports = run(project, sys.executable, "-X", "importtime", "-m", "pytask")
    assert "Succeeded" in imports.stdout and "16  Skipped" in imports.stdout
    heavy = re.findall(
        r"\| (pandas|pyarrow|openpyxl|pyreadstat)$", imports.stderr, re.M
    )
    assert not heavy, heavy


@pytest.mark.parametrize("suffix", ("csv", *FORMATS))
def test_a_missing_column_is_refused_in_one_line_in_each_format(
    fresh: Path, tmp_path: Path, suffix: str
) -> None:
    project = copy_project(fresh, tmp_path / "my_project")
    save(pd.read_csv(project / RAW_DATA), project / PACKAGE / "data" / f"anes.{suffix}")
    point_at(project, f"anes.{suffix}")
    replace(project, DATA_CONFIG, 'DEMOGRAPHICS = ["age"', 'DEMOGRAPHICS = ["agee"')
    process = run_pytask(project)
    assert process.returncode != 0
    assert config_errors(process.stdout) == [
        f"ConfigError: {CONFIG_FILE}: DATA['data_0']['covariates'][0]: 'agee' is not "
        f"a column of src/my_project/data/anes.{suffix}; did you mean 'age'?"
    ], process.stdout
    assert "Traceback" not in process.stdout
    assert not (project / "bld").exists()


PROBLEMS = """
import importlib.util, json, sys
from my_project_template import raw_data, rules
from my_project.data_preparation import config
real = importlib.util.find_spec
# As if the project's extras were not installed.
importlib.util.find_spec = lambda name, *args: (
    None if name in ("openpyxl", "pyreadstat") else real(name, *args)
)
found = {}
for name in sys.argv[1:]:
    config.RAW_DATA = config.SRC / "data" / name
    raw_data.file_problem.cache_clear()
    found[name] = rules.problems(config.DATA, {}, deep=True)
print(json.dumps(found))
"""


def test_a_file_that_cannot_be_read_is_one_line_naming_raw_data(fresh: Path) -> None:
    data = fresh / PACKAGE / "data"
    (data / "broken.dta").write_text("vote,age\n1,2\n")
    (data / "broken.parquet").write_bytes(b"PAR1 but not Parquet")
    (data / "anes.rds").write_bytes(b"")
    for suffix in ("xlsx", "sav"):
        save(pd.read_csv(data / "data.csv"), data / f"anes.{suffix}")
    names = ["missing.dta", "broken.dta", "broken.parquet", "anes.rds"]
    names += ["anes.xlsx", "anes.sav"]
    process = run(fresh, sys.executable, "-c", PROBLEMS, *names)
    assert process.returncode == 0, process.stderr
    found = json.loads(process.stdout)
    raw = f"{CONFIG_FILE}: RAW_DATA: src/my_project/data"
    expected = {
        "missing.dta": "missing.dta: no such file",
        "broken.dta": "broken.dta: not readable as Stata: ",
        "broken.parquet": "broken.parquet: not readable as Parquet: ",
        "anes.rds": "anes.rds: no reader for .rds; allowed: .csv, .dta, .parquet, "
        ".xlsx, .sav",
        "anes.xlsx": "anes.xlsx: reading Excel needs openpyxl: pip install -e "
        "'.[excel]'",
        "anes.sav": "anes.sav: reading SPSS needs pyreadstat: pip install -e '.[spss]'",
    }
    for name, start in expected.items():
        assert len(found[name]) == 1, found[name]
        assert found[name][0].startswith(f"{raw}/{start}"), found[name]
    # pytask says it in the same words, before anything runs.
    project = copy_project(fresh, fresh.parent / "missing" / "my_project")
    point_at(project, "missing.dta")
    process = run_pytask(project)
    assert process.returncode != 0
    assert config_errors(process.stdout) == [
        f"ConfigError: {raw}/missing.dta: no such file"
    ], process.stdout


def test_stata_labels_and_missing_values_arrive_as_categories_and_missing(
    fresh: Path, tmp_path: Path
) -> None:
    """A labelled PID and Stata's missing values ``.a`` and ``.`` fit as the same data
    in a CSV file with codes and empty cells."""
    raw = pd.read_csv(fresh / RAW_DATA)
    in_stata = raw.astype({"educ": object, "income": float})
    in_stata.loc[::7, "educ"] = "a"  # Stata's .a
    in_stata.loc[::11, "income"] = np.nan  # Stata's .
    in_csv = raw.astype({"educ": float, "income": float})
    in_csv.loc[::7, "educ"] = np.nan
    in_csv.loc[::11, "income"] = np.nan
    covariates = ["C(PID)", "age", "educ", "np.log(income)"]
    results = {}
    for name, data, sample in (
        ("stata", in_stata, "PID != 'Strong Democrat'"),
        ("csv", in_csv, "PID != 0"),
    ):
        project = copy_project(fresh, tmp_path / name / "my_project")
        if name == "stata":
            stata = project / PACKAGE / "data" / "anes.dta"
            save(
                data,
                stata,
                variable_value_labels={"PID": PID_LABELS},
                missing_user_values={"educ": ["a"]},
            )
            point_at(project, "anes.dta")
        else:
            save(data, project / RAW_DATA)
        spec = {"outcome": "vote", "covariates": covariates, "sample": sample}
        set_data(project, {"data_0": spec})
        process = run_pytask(project)
        assert process.returncode == 0, process.stdout
        results[name] = parameters(project)
        summary = (project / "bld" / "estimation" / "logit_data_0.md").read_text()
        dropped = int(re.search(r"(\d+) dropped", summary)[1])
        rows = in_csv.query("PID != 0")
        assert dropped == rows[["educ", "income"]].isna().any(axis=1).sum()
    prepared = pd.read_parquet(
        project.parent.parent
        / "stata"
        / "my_project"
        / "bld"
        / "data_preparation"
        / "data_0.parquet"
    )
    assert list(prepared["PID"].cat.categories) == list(PID_LABELS.values())[1:]
    for name, params in results["stata"].items():
        np.testing.assert_allclose(params, results["csv"][name], rtol=0, atol=1e-10)


def readme_section(project: Path) -> str:
    """Return the generated README's section "Use your own data"."""
    readme = (project / "README.md").read_text()
    return readme.split("## Use your own data\n")[1].split("\n## ")[0]


def test_the_readmes_section_runs_as_written(fresh: Path, tmp_path: Path) -> None:
    """Run its commands, make its edit, misspell a covariate: pytask and pytest say
    what the section shows."""
    section = readme_section(fresh)
    project = copy_project(fresh, tmp_path / "my_project")
    (edit,) = re.findall(r"```python\n(.*?)```", section, re.S)
    assert isinstance(ast.parse(edit).body[0], ast.Assign)
    replace(project, DATA_CONFIG, ORIGINAL, edit.strip())
    commands = re.findall(r"^\$ (.*)$", section, re.M)
    assert commands[-1] == "pytask"
    for command in commands[:-1]:
        env = os.environ | {"PYTHONPATH": pythonpath(project)}
        subprocess.run(command, shell=True, cwd=project, env=env, check=True)
    process = run_pytask(project)
    assert "16  Succeeded" in process.stdout, process.stdout
    shown = re.findall(r"^ConfigError: .*$", section, re.M)
    assert len(shown) == 2
    # A misspelled covariate.
    replace(project, DATA_CONFIG, 'DEMOGRAPHICS = ["age"', 'DEMOGRAPHICS = ["agee"')
    process = run_pytask(project)
    assert config_errors(process.stdout) == [shown[0]], process.stdout
    process = run(
        project, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"
    )
    assert process.returncode == 1
    for data in ("data_0", "data_1", "data_2", "data_3"):
        line = shown[0].removeprefix("ConfigError: ").replace("data_0", data)
        assert line in process.stdout, process.stdout
    # An Excel file without the extra: pytask as if openpyxl were not installed.
    replace(project, DATA_CONFIG, 'DEMOGRAPHICS = ["agee"', 'DEMOGRAPHICS = ["age"')
    replace(project, DATA_CONFIG, "anes.dta", "anes.xlsx")
    save(pd.read_csv(project / RAW_DATA), project / PACKAGE / "data" / "anes.xlsx")
    without_openpyxl = (
        "import importlib.util, runpy; real = importlib.util.find_spec; "
        "importlib.util.find_spec = lambda name, *args: "
        "None if name == 'openpyxl' else real(name, *args); "
        "runpy.run_module('pytask', run_name='__main__')"
    )
    process = run(project, sys.executable, "-c", without_openpyxl)
    assert config_errors(process.stdout) == [shown[1]], process.stdout


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_raw_data_without_rows_are_refused_before_a_preparation_runs(
    fresh: Path, tmp_path: Path, suffix: str
) -> None:
    project = copy_project(fresh, tmp_path / "my_project")
    data = project / PACKAGE / "data"
    save(pd.read_csv(data / "data.csv").iloc[:0], data / f"empty.{suffix}")
    point_at(project, f"empty.{suffix}")
    process = run_pytask(project)
    assert process.returncode != 0
    errors = config_errors(process.stdout)
    assert errors, process.stdout
    assert errors[0].endswith(f"src/my_project/data/empty.{suffix} has no rows")
    assert not list((project / "bld").rglob("*.parquet"))


def test_raw_data_named_by_text_are_refused_in_one_line(
    fresh: Path, tmp_path: Path
) -> None:
    project = copy_project(fresh, tmp_path / "my_project")
    text = '"src/my_project/data/data.csv"'
    replace(project, DATA_CONFIG, ORIGINAL, f"RAW_DATA = {text}")
    process = run_pytask(project)
    assert process.returncode != 0
    assert config_errors(process.stdout) == [
        f"ConfigError: {CONFIG_FILE}: RAW_DATA: '{text[1:-1]}' is a str; allowed: a "
        "Path, such as SRC / 'data' / 'data.csv'"
    ], process.stdout
