"""Edit a baked project, predict what pytask must rerun, compare with clean builds.

The prediction is computed from the project's own configuration, loaded in a
subprocess: a task must run when something it reads differs from its last run, that is
its task module, its entry of a config (a data specification, or a model and the
formula's variables) or the content of a file it reads. The content of a prepared data
set is taken from a clean build of the same configuration, so a preparation that reruns
but writes the same bytes must not rerun its estimations.
"""

import ast
import hashlib
import json
import pprint
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.bakery import pytask, run

PACKAGE = Path("src", "my_project")
RAW_DATA = PACKAGE / "data" / "data.csv"
DATA_CONFIG = PACKAGE / "data_preparation" / "config.py"
PREPARE_MODULE = PACKAGE / "data_preparation" / "task_prepare_data.py"
MODELS_CONFIG = PACKAGE / "estimation" / "config.py"
ESTIMATE_MODULE = PACKAGE / "estimation" / "task_estimate_models.py"
# The template's code that writes each estimation's summaries, a dependency of them all.
SUMMARIES_MODULE = Path("my_project_template", "summaries.py")
CONFIG_MODULES = (PACKAGE / "config.py", DATA_CONFIG, MODELS_CONFIG)

LOAD_CONFIG = """
import json
from pathlib import Path
from my_project.data_preparation import config as data
from my_project.estimation import config as estimation

def relative(path):
    return Path(path).relative_to(Path.cwd().resolve()).as_posix()

print(json.dumps({
    "data": data.DATA,
    "models": estimation.MODELS,
    "estimations": estimation.ESTIMATIONS,
    "persist": sorted(estimation.PERSIST),
    "raw": {name: relative(data.path_to_input_data(name)) for name in data.DATA},
    "prepared": {
        name: relative(data.path_to_processed_data(name)) for name in data.DATA
    },
}))
"""


@dataclass(frozen=True)
class Config:
    """The configuration of a project as its config modules define it."""

    data: dict[str, dict[str, Any]]
    models: dict[str, dict[str, Any]]
    estimations: dict[str, dict[str, str]]
    persist: list[str]
    raw: dict[str, str]  # data id -> raw data it starts from, relative to the project
    prepared: dict[str, str]  # data id -> its prepared data, relative to the project

    @property
    def task_ids(self) -> set[str]:
        return {*self.data, *self.estimations}

    def estimations_of(self, *, model: str = "", data: str = "") -> set[str]:
        """Return the ids of the estimations of ``model`` or of ``data``."""
        return {
            name
            for name, estimation in self.estimations.items()
            if model in ("", estimation["model"]) and data in ("", estimation["data"])
        }


def load_config(project: Path) -> Config:
    """Import the project's config modules in a fresh process and return their data."""
    process = run(project, sys.executable, "-c", LOAD_CONFIG)
    assert process.returncode == 0, process.stderr
    return Config(**json.loads(process.stdout))


def digest(value: object) -> str:
    """Return a sha256 of bytes, or of a JSON-like value."""
    if not isinstance(value, bytes):
        value = json.dumps(value, sort_keys=True).encode()
    return hashlib.sha256(value).hexdigest()


def snapshot(project: Path) -> dict[str, str]:
    """Return the digest of each file in bld/, keyed by its path in the project."""
    return {
        path.relative_to(project).as_posix(): digest(path.read_bytes())
        for path in sorted((project / "bld").rglob("*"))
        if path.is_file()
    }


def copy_project(project: Path, destination: Path) -> Path:
    """Copy a baked (and maybe built) project; pytask's states are portable."""
    return Path(shutil.copytree(project, destination, symlinks=True))


def set_value(project: Path, module: Path, name: str, value: object) -> None:
    """Replace the top-level assignment of ``name`` in a config module by ``value``."""
    path = project / module
    source = path.read_text()
    node = next(
        node
        for node in ast.parse(source).body
        if (isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == name)
        or (isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == name)
    )
    assert node.end_lineno is not None
    lines = source.splitlines(keepends=True)
    literal = pprint.pformat(value, sort_dicts=False)
    lines[node.lineno - 1 : node.end_lineno] = [f"{name} = {literal}\n"]
    path.write_text("".join(lines))


def set_data(project: Path, data: dict[str, dict[str, Any]]) -> None:
    set_value(project, DATA_CONFIG, "DATA", data)


def set_models(project: Path, models: dict[str, dict[str, Any]]) -> None:
    set_value(project, MODELS_CONFIG, "MODELS", models)


def replace(project: Path, module: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a file of the project."""
    path = project / module
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} is not once in {module}"
    path.write_text(text.replace(old, new))


def source_key(project: Path, config: Config) -> str:
    """Return what a clean build's products depend on: config values, code, data.

    Code counts by its files, in src/ and the template's machinery; config modules
    count by the values they define, so comments in them do not.
    """
    code = [
        *(project / "src").rglob("*"),
        *(project / SUMMARIES_MODULE.parent).iterdir(),
    ]
    files = {
        path.relative_to(project).as_posix(): digest(path.read_bytes())
        for path in sorted(code)
        if path.is_file()
        and path.name != "config.py"
        and "__pycache__" not in path.parts
    }
    return digest([files, config.data, config.models, config.estimations])


class CleanBuilds:
    """Build each distinct configuration once from scratch; keep its products."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.products: dict[str, dict[str, str]] = {}

    def add(self, project: Path) -> None:
        """Record a project that was built from scratch and not edited since."""
        self.products[source_key(project, load_config(project))] = snapshot(project)

    def of(self, project: Path, config: Config) -> dict[str, str]:
        """Return the products of a clean build of the project's current sources."""
        key = source_key(project, config)
        if key not in self.products:
            clean = self.scratch / key
            shutil.rmtree(clean, ignore_errors=True)  # left by a failed build
            # Everything but what pytask built and remembers.
            ignore = shutil.ignore_patterns(
                "__pycache__", ".git", "bld", ".pytask", "pytask.lock"
            )
            shutil.copytree(project, clean, ignore=ignore)
            ran = pytask(clean)
            assert set(ran) == config.task_ids, f"a clean build ran only {ran}"
            self.products[key] = snapshot(clean)
            shutil.rmtree(clean)
        return self.products[key]


def fingerprints(
    project: Path, config: Config, clean: dict[str, str]
) -> dict[str, str]:
    """Return, per task id, a digest of everything the task reads.

    ``clean`` are the products of a clean build of this configuration; they give the
    content of the prepared data sets the estimations read.
    """
    prepare = digest((project / PREPARE_MODULE).read_bytes())
    estimate = digest(
        [
            digest((project / module).read_bytes())
            for module in (ESTIMATE_MODULE, SUMMARIES_MODULE)
        ]
    )
    prints = {
        name: digest([prepare, spec, digest((project / config.raw[name]).read_bytes())])
        for name, spec in config.data.items()
    }
    for name, estimation in config.estimations.items():
        spec = config.data[estimation["data"]]
        formula = [spec["outcome"], spec["covariates"]]
        model = config.models[estimation["model"]]
        prepared = clean[config.prepared[estimation["data"]]]
        prints[name] = digest([estimate, formula, model, prepared])
    return prints


class Expectation:
    """Remember what each task read when it last ran; say which tasks must run now."""

    def __init__(self) -> None:
        self.last_run: dict[str, str] = {}

    def must_run(self, prints: dict[str, str]) -> set[str]:
        """Return the tasks whose inputs changed since they last ran, and record them.

        pytask keeps the states of removed tasks, so a task that comes back unchanged
        with its products still in place does not run again.
        """
        changed = {
            name for name, print_ in prints.items() if self.last_run.get(name) != print_
        }
        self.last_run.update(prints)
        return changed


def assert_matches_clean_build(
    project: Path, config: Config, clean: dict[str, str], context: str = ""
) -> None:
    """Every product equals the clean build's; other files belong to removed tasks.

    pytask never deletes files: the results of a removed data specification or model
    stay in bld/ until the user deletes them.
    """
    actual = snapshot(project)
    stale = sorted(path for path, print_ in clean.items() if actual.get(path) != print_)
    assert not stale, f"products that differ from a clean build: {stale}\n{context}"
    leftovers = {Path(path).stem for path in set(actual) - set(clean)}
    assert not leftovers & config.task_ids, (
        f"extra files in bld/: {leftovers}\n{context}"
    )
