"""The researcher's package holds exactly the seed's files; the machinery is apart.

The seed (pytask's guide "Scaling tasks") lays out ``src/my_project``; the optional
stages add a folder each. Stages import only from themselves, the stages before them
and the root config, so that each can be read, and removed, from the top down.
"""

import ast
from pathlib import Path

import pytest

from tests.bakery import bake

SEED_FILES = {
    "__init__.py",
    "config.py",
    "data/data.csv",
    "data_preparation/__init__.py",
    "data_preparation/config.py",
    "data_preparation/task_prepare_data.py",
    "estimation/__init__.py",
    "estimation/config.py",
    "estimation/task_estimate_models.py",
}
STAGE_FILES = {
    "final": {
        "__init__.py",
        "config.py",
        "curve.py",
        "effects.py",
        "latex.py",
        "task_final.py",
    },
    "paper": {"__init__.py", "config.py", "paper.tex", "task_paper.py"},
}
# The stages in the order the data flow through them.
STAGES = ["data_preparation", "estimation", "final", "paper"]


def files_under(folder: Path) -> set[str]:
    """Return the files under ``folder``, relative to it."""
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.mark.parametrize(
    ("add_final_stage", "add_paper"), [("no", "no"), ("yes", "no"), ("yes", "yes")]
)
def test_the_package_holds_exactly_the_seeds_files_and_the_chosen_stages(
    cookies, add_final_stage: str, add_paper: str
) -> None:
    project = bake(cookies, add_final_stage=add_final_stage, add_paper=add_paper)
    chosen = {"final": add_final_stage, "paper": add_paper}
    expected = SEED_FILES | {
        f"{stage}/{name}"
        for stage, names in STAGE_FILES.items()
        if chosen[stage] == "yes"
        for name in names
    }

    assert files_under(project / "src") == {f"my_project/{n}" for n in expected}


def imported_modules(path: Path) -> set[str]:
    """Return the modules that a Python file imports from."""
    tree = ast.parse(path.read_text(), filename=str(path))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
    return modules


def stage_of(module: str) -> str | None:
    """Return the stage of a module of the package, or None for the root config."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_no_stage_imports_a_stage_beside_or_after_it(cookies) -> None:
    project = bake(cookies, add_final_stage="yes", add_paper="yes")
    package = project / "src" / "my_project"
    checked = 0
    for path in package.rglob("*.py"):
        own = stage_of(".".join(("my_project", *path.relative_to(package).parts)))
        allowed = STAGES[: STAGES.index(own) + 1] if own else []
        for module in imported_modules(path):
            if module.split(".")[0] != "my_project":
                continue
            imported = stage_of(module)
            assert imported is None or imported in allowed, (path, module)
            checked += 1
    assert checked > 0


def test_the_package_takes_only_the_summaries_from_the_machinery(cookies) -> None:
    """The config checks, backends and build guard reach the tasks as plugins.

    Besides the summaries, the estimation takes pyfixest's fit and result (fixest.py).
    """
    project = bake(cookies, add_final_stage="yes", add_paper="yes")
    taken = {
        module
        for path in (project / "src").rglob("*.py")
        for module in imported_modules(path)
        if module.startswith("my_project_template")
    }

    assert taken == {
        "my_project_template",
        "my_project_template.fixest",
        "my_project_template.summaries",
    }
