"""Finish the generated project and prove it sound before anyone uses it.

Each check returns its problems, one line each; any problem stops cookiecutter, which
then removes the project folder it created.
"""

import ast
import atexit
import collections
import contextlib
import importlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType
from typing import Any

if __name__ == "__main__":
    # cookiecutter renders this script, every answer in it, into a temporary file that
    # it never deletes: the script removes itself however it ends.
    atexit.register(Path(__file__).unlink, missing_ok=True)
    # atexit runs after Ctrl-C, but not when a signal ends the script: make SIGTERM
    # and SIGHUP (where there is one) end it as an exit does.
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), lambda code, _: sys.exit(128 + code))

# Imported by name, as mypy checks the hooks without cookiecutter's dependencies.
# cookiecutter depends on PyYAML, so the Python running it has it.
yaml = importlib.import_module("yaml")

# Importing the configuration must leave no __pycache__ behind in the project.
sys.dont_write_bytecode = True
# tojson escapes every quote and backslash, so no answer can break these literals.
ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")
# Every file of the template, named as in the generated project.
TEMPLATE_FILES = json.loads(r"""{{ cookiecutter | template_files | tojson }}""")
SLUG = ANSWERS["project_slug"]
# Files and folders of the template that exist only when an answer chose them (the
# pre-generation hook's OPTIONAL_PATHS).
CHOSEN = {
    "LICENSE": ANSWERS["open_source_license"] != "Not open source",
    ".github": ANSWERS["add_github_actions"],
    f"src/{SLUG}/final": ANSWERS["add_final_stage"],
    f"src/{SLUG}/paper": ANSWERS["add_paper"],
}
# Where the pre-generation hook noted the files that were here before.
NOTE = Path(".pytask-scaling-template-existing-files.json")
# What the project's pytask hook modules (its hook_module) import, besides pytask.
HOOK_MODULE_NEEDS = ("pytask_parallel", "filelock")
# Jinja left in a file opens with one of these marks; GitHub's own expressions, led by
# a "$", are meant to stay. (A user's text may say "cookiecutter." freely.)
UNRENDERED = re.compile(r"(?<!\$)\{\{|\{[%#]")
# DATA, MODELS and ESTIMATIONS: ids mapped to their entries.
Config = dict[str, Any]
PARSERS = {
    ".py": ast.parse,
    ".toml": tomllib.loads,
    ".yml": yaml.safe_load,
    ".yaml": yaml.safe_load,
    ".cff": yaml.safe_load,
    ".json": json.loads,
}


def is_chosen(name: str) -> bool:
    """Tell whether the answers chose the template's file ``name``."""
    return all(
        chosen or not (name == path or name.startswith(f"{path}/"))
        for path, chosen in CHOSEN.items()
    )


def skipped_files() -> set[str]:
    """Return the template's files that were here before and were not written again.

    ``cookiecutter -f -s`` skips each file that exists, so these are the user's.
    """
    try:
        written_before = json.loads(NOTE.read_text())
    except FileNotFoundError:
        return set()
    finally:
        NOTE.unlink(missing_ok=True)
    return {
        name
        for name, written in written_before.items()
        if Path(name).is_file() and Path(name).stat().st_mtime_ns == written
    }


def remove_unchosen_files(kept: set[str]) -> None:
    """Remove the template's files that were not chosen, and folders left empty.

    Only what this generation wrote goes: under ``-f`` a folder such as .github may
    hold the user's files too, and under ``-s`` the files in ``kept`` are the user's.
    """
    for name in TEMPLATE_FILES:
        if not is_chosen(name) and name not in kept:
            Path(name).unlink(missing_ok=True)
            for folder in Path(name).parents[:-1]:
                if folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()


def expected_files() -> list[str]:
    """Return the template's files that the answers chose."""
    return [name for name in TEMPLATE_FILES if is_chosen(name)]


def check_files(kept: set[str]) -> list[str]:
    """Every chosen file is here and nothing unchosen is; other files are the user's."""
    missing = [
        f"structure: {name} is missing"
        for name in expected_files()
        if not Path(name).is_file()
    ]
    left = [
        f"structure: {name} was not chosen but is still here"
        for name in TEMPLATE_FILES
        if not is_chosen(name) and name not in kept and Path(name).exists()
    ]
    return missing + left


def without_answers(text: str) -> str:
    """Remove the answers from ``text``: they may contain braces of their own.

    Files may also hold an answer's words apart (CITATION.cff splits the author into
    given and family names): each word goes too.
    """
    answers = [value for value in ANSWERS.values() if isinstance(value, str) and value]
    answers += [word for value in answers for word in value.split()]
    # Longest first, so that a short answer such as "MIT" cannot cut a longer one.
    for value in sorted(answers, key=len, reverse=True):
        quoted = json.dumps(value, ensure_ascii=False)[1:-1]
        text = text.replace(quoted, "").replace(value, "")
    return text


def read_text(name: str) -> str | None:
    """Return the text of a chosen file, or None if it is missing or binary."""
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def check_rendered() -> list[str]:
    """No Jinja is left in any file, apart from what the answers themselves hold."""
    problems = []
    for name in expected_files():
        lines = without_answers(read_text(name) or "").splitlines()
        for number, line in enumerate(lines, start=1):
            if match := UNRENDERED.search(line):
                problems.append(
                    f"structure: {name}:{number} has unrendered {match[0]!r}"
                )
    return problems


def check_parsing() -> list[str]:
    """Every Python, TOML, YAML and JSON file parses."""
    problems = []
    for name in expected_files():
        parse, text = PARSERS.get(Path(name).suffix), read_text(name)
        if parse is None or text is None:
            continue
        try:
            parse(text)
        except Exception as error:  # each parser raises its own errors
            reason = (str(error).strip() or type(error).__name__).splitlines()[0]
            problems.append(f"structure: {name} does not parse: {reason}")
    return problems


def load_configuration() -> tuple[ModuleType, ModuleType, ModuleType]:
    """Import the project's config modules, which need only the standard library.

    The research package is in src/, the template's machinery beside it.
    """
    for folder in (Path(), Path("src")):
        if (path := str(folder.resolve())) not in sys.path:
            sys.path.insert(0, path)
    root = importlib.import_module(f"{SLUG}.config")
    preparation = importlib.import_module(f"{SLUG}.data_preparation.config")
    estimation = importlib.import_module(f"{SLUG}.estimation.config")
    return root, preparation, estimation


def check_ids(data: Config, models: Config, estimations: Config) -> list[str]:
    """Ids are identifiers, and unique ignoring case as ``pytask -k`` matches them."""
    problems = [
        f"repetitions: {kind} id {id_!r} is not a valid Python identifier"
        for kind, ids in (
            ("data", data),
            ("model", models),
            ("estimation", estimations),
        )
        for id_ in ids
        if not (isinstance(id_, str) and id_.isidentifier())
    ]
    count = collections.Counter(str(id_).lower() for id_ in [*data, *estimations])
    problems += [
        f"repetitions: task id {id_!r} is used {n} times, ignoring case; "
        "pytask -k cannot tell them apart"
        for id_, n in count.items()
        if n > 1
    ]
    return problems


def check_cartesian_product(
    data: Config, models: Config, estimations: Config
) -> list[str]:
    """ESTIMATIONS holds each model fitted to each data specification, once."""
    expected = {
        f"{model}_{name}": {"model": model, "data": name}
        for model in models
        for name in data
    }
    problems = [
        f"repetitions: ESTIMATIONS lacks {id_!r} of the product of MODELS and DATA"
        for id_ in expected
        if id_ not in estimations
    ]
    problems += [
        f"repetitions: ESTIMATIONS[{id_!r}] = {value!r} is not "
        f"{expected.get(id_)!r} of the product of MODELS and DATA"
        for id_, value in estimations.items()
        if expected.get(id_) != value
    ]
    return problems


def check_products(bld: Path, products: list[Path]) -> list[str]:
    """Each product has a path of its own under BLD."""
    count = collections.Counter(Path(path).resolve() for path in products)
    problems = [
        f"repetitions: {path} is the product of {n} tasks"
        for path, n in count.items()
        if n > 1
    ]
    problems += [
        f"repetitions: product {path} is outside BLD ({bld})"
        for path in count
        if not path.is_relative_to(Path(bld).resolve())
    ]
    return problems


def check_selection(data: Config, models: Config, estimations: Config) -> list[str]:
    """``-k "[<model>_"`` and ``-k "<data>]"`` select exactly what the README says."""

    def selected(expression: str) -> set[str]:
        """Return the task ids that ``pytask -k expression`` matches, as pytask does."""
        ids = [*data, *estimations]
        return {id_ for id_ in ids if expression.lower() in f"[{id_}]".lower()}

    problems = []
    for model in models:
        expected = {
            id_ for id_, value in estimations.items() if value.get("model") == model
        }
        if (chosen := selected(f"[{model}_")) != expected:
            problems.append(
                f"repetitions: pytask -k '[{model}_' would also select "
                f"{sorted(chosen - expected)}; rename model {model!r}"
            )
    for name in data:
        expected = {name} | {
            i for i, value in estimations.items() if value.get("data") == name
        }
        if (chosen := selected(f"{name}]")) != expected:
            problems.append(
                f"repetitions: pytask -k '{name}]' would also select "
                f"{sorted(chosen - expected)}; rename data {name!r}"
            )
    return problems


def has_stage(stage: str) -> bool:
    """Tell whether the project has the optional stage ``stage`` (final, paper).

    It has it when the answers chose it, and also when ``cookiecutter -f -s`` kept the
    user's files of it.
    """
    return Path("src", SLUG, stage, "config.py").is_file()


def products_of(preparation: ModuleType, estimation: ModuleType) -> list[Path]:
    """Return every product, from the path helpers that the task modules use."""
    products = [preparation.path_to_processed_data(name) for name in preparation.DATA]
    products += [
        path(name)
        for name in estimation.ESTIMATIONS
        for path in (
            estimation.path_to_estimation_result,
            estimation.path_to_estimation_summary,
            estimation.path_to_estimation_table,
        )
    ]
    if has_stage("final"):
        final = importlib.import_module(f"{SLUG}.final.config")
        if final.COEFFICIENT_FIGURES:
            products += map(final.path_to_coefficient_figure, estimation.ESTIMATIONS)
        products += [
            final.path_to_table(name, fmt)
            for name in final.TABLES
            for fmt in ("md", "tex")
        ]
        products += [
            final.path_to_specification_curve(term, fmt)
            for term in final.EFFECTS_OF_INTEREST
            for fmt in ("png", "csv")
        ]
    if has_stage("paper"):
        paper = importlib.import_module(f"{SLUG}.paper.config")
        products += [paper.PATH_TO_RESULTS, paper.PATH_TO_PAPER]
    return products


def check_repetitions() -> list[str]:
    """Check the repetitions that the configuration defines."""
    try:
        root, preparation, estimation = load_configuration()
        data, models = preparation.DATA, estimation.MODELS
        estimations = estimation.ESTIMATIONS
        return [
            *check_ids(data, models, estimations),
            *check_cartesian_product(data, models, estimations),
            *check_products(root.BLD, products_of(preparation, estimation)),
            *check_selection(data, models, estimations),
        ]
    except Exception as error:  # a configuration too broken to check: one line
        return [f"repetitions: cannot check the configuration: {error!r}"]


def dry_run_pytask(pytask: ModuleType) -> Any:
    """Collect the project's tasks and resolve them in a dry run, leaving no trace.

    A dry run still makes pytask's .pytask/ and the folders of products: remove what
    it adds and leave what was here, such as a user's own bld/ under ``-f``.
    """
    before = set(Path().iterdir())
    with contextlib.redirect_stdout(io.StringIO()):
        session = pytask.build(dry_run=True, capture="no", n_entries_in_table=0)
    for path in set(Path().iterdir()) - before:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    return session


def failures_of(pytask: ModuleType, session: Any) -> list[str]:
    """Return a line for each failure pytask reports: collecting, the DAG, a task."""
    failed = [
        (report.node, report.exc_info[1])
        for report in session.collection_reports
        if report.outcome == pytask.CollectionOutcome.FAIL
    ]
    if session.dag_report is not None:
        failed.append((None, session.dag_report.exc_info[1]))
    failed += [
        (report.task, report.exc_info[1])
        for report in session.execution_reports
        if report.outcome == pytask.TaskOutcome.FAIL
    ]
    lines = []
    for where, error in failed:
        name = f"{where.name}: " if where is not None else ""
        reason = (str(error).strip() or "no message").splitlines()[0]
        lines.append(f"pytask: {name}{type(error).__name__}: {reason}")
    if session.exit_code != 0 and not lines:
        lines.append(f"pytask: a dry run ends with exit code {session.exit_code}")
    return lines


def task_id(task: Any) -> str:
    """Return a task's id, e.g. data_0 of "...::task_prepare_data[data_0]".

    A task that is not repeated has no id; its function's name stands in for it.
    """
    name = str(task.name).rpartition("::")[2]
    return name[name.index("[") + 1 : -1] if name.endswith("]") else name


def expected_task_ids(
    preparation: ModuleType, estimation: ModuleType
) -> collections.Counter[str]:
    """Return the ids of the tasks the configuration defines, each stage's in turn."""
    ids = [*preparation.DATA, *estimation.ESTIMATIONS]
    if has_stage("final"):
        # Each table and specification curve of the final stage's config, and, if
        # asked, a figure of each estimation.
        final = importlib.import_module(f"{SLUG}.final.config")
        ids += [*final.TABLES, *map(final.curve_id, final.EFFECTS_OF_INTEREST)]
        if final.COEFFICIENT_FIGURES:
            ids += [*estimation.ESTIMATIONS]
    if has_stage("paper"):
        ids += ["task_list_results", "task_compile_paper"]
    return collections.Counter(ids)


def lacking_for_collection() -> str | None:
    """Return the first module that collecting the tasks needs and this Python lacks."""
    for name in ("pytask", *HOOK_MODULE_NEEDS):
        try:
            importlib.import_module(name)
        except ImportError:  # the Python running cookiecutter need not have them
            return name
    return None


def check_collected_tasks() -> list[str]:
    """pytask collects one task per configured id and can resolve them all."""
    if missing := lacking_for_collection():
        print(
            f"{missing} is not importable here: skipped collecting the project's tasks."
        )
        return []
    pytask = importlib.import_module("pytask")
    try:
        _, preparation, estimation = load_configuration()
    except Exception:  # check_repetitions reports it
        return []
    session = dry_run_pytask(pytask)
    collected = collections.Counter(map(task_id, session.tasks))
    expected = expected_task_ids(preparation, estimation)
    problems = []
    if extra := sorted((collected - expected).elements()):
        problems.append(f"pytask: collects tasks {extra} that the configuration lacks")
    if lacking := sorted((expected - collected).elements()):
        problems.append(f"pytask: does not collect the configured tasks {lacking}")
    return problems + failures_of(pytask, session)


def init_git_repository() -> None:
    """Start a repository, and commit to it when asked, without any git config.

    A repository that is here already (``cookiecutter -f``) is the user's: left alone.
    The first commit holds the template's files only, not other files of the folder.
    """
    git = shutil.which("git")
    if git is None:
        print("git was not found: the project is not a git repository yet.")
        return
    if Path(".git").exists():
        print("git: this folder is a repository already: left it alone, added nothing")
        return
    subprocess.run([git, "init", "--quiet", "--initial-branch=main"], check=True)
    if ANSWERS["make_initial_commit"]:
        identity = {
            f"GIT_{role}_{field}": ANSWERS[answer]
            for role in ("AUTHOR", "COMMITTER")
            for field, answer in (("NAME", "author"), ("EMAIL", "email"))
        }
        subprocess.run([git, "add", "--", *expected_files()], check=True)
        message = "Generate the project from pytask-scaling-template"
        # The user's git config may make the commit fail (commit.gpgsign with a signer
        # that fails): the project is whole without it, so it stays.
        commit = subprocess.run(
            [git, "commit", "--quiet", "--no-verify", "--message", message],
            capture_output=True,
            text=True,
            check=False,
            env=os.environ | identity,
        )
        if commit.returncode != 0:
            reason = (commit.stderr.strip() or "no message").splitlines()[0]
            print(
                f"git: the first commit failed ({reason}): the project is here with "
                "its files staged; commit them yourself with `git commit`"
            )


def main() -> int:
    """Finish the project; print each problem on a line of its own and fail if any."""
    kept = {name for name in skipped_files() if not is_chosen(name)}
    if kept:
        print(
            f"kept {', '.join(sorted(kept))}: the answers do not choose them, but they "
            "were here and cookiecutter -s skipped them"
        )
    remove_unchosen_files(kept)
    problems = [*check_files(kept), *check_rendered(), *check_parsing()]
    problems += [*check_repetitions(), *check_collected_tasks()]
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    if problems:
        return 1
    init_git_repository()
    return 0


if __name__ == "__main__":
    sys.exit(main())
