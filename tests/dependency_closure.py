"""The names a generated project's dependencies take, from the installed metadata.

``python -m tests.dependency_closure`` writes them to ``dependency_names.json``, which
local_extensions.py reads; ``tests/test_dependency_names.py`` fails when an installed
dependency takes a name the file lacks.
"""

import json
import re
import subprocess
import sys
import tempfile
import tomllib
from importlib.metadata import (
    PackageNotFoundError,
    distribution,
    packages_distributions,
)
from pathlib import Path

from cookiecutter.main import cookiecutter
from packaging.requirements import Requirement

TEMPLATE = Path(__file__).parents[1]
NAMES_FILE = TEMPLATE / "dependency_names.json"
EVERY_OPTION = {"add_final_stage": "yes", "add_paper": "yes"}


def normalized(name: str) -> str:
    """Return a distribution's name as a package name: lower case, "_" for -_. runs."""
    return re.sub(r"[-_.]+", "_", name).lower()


def project_requirements() -> list[Requirement]:
    """Return every requirement of a project generated with every option on."""
    with tempfile.TemporaryDirectory() as output_dir:
        project = cookiecutter(
            str(TEMPLATE),
            no_input=True,
            extra_context=EVERY_OPTION,
            output_dir=output_dir,
            accept_hooks=False,
        )
        pyproject = tomllib.loads(Path(project, "pyproject.toml").read_text())
    lists = [
        pyproject["build-system"]["requires"],
        pyproject["project"]["dependencies"],
        *pyproject["project"]["optional-dependencies"].values(),
        *pyproject.get("dependency-groups", {}).values(),
    ]
    return [Requirement(text) for texts in lists for text in texts]


def installed_closure(requirements: list[Requirement]) -> set[str]:
    """Return the installed distributions these requirements pull in, transitively.

    A requirement whose marker excludes this platform is not installed here and
    cannot be followed.
    """
    closure: set[str] = set()
    pending = [(requirement, "") for requirement in requirements]
    while pending:
        requirement, extra = pending.pop()
        name = normalized(requirement.name)
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        try:
            dist = distribution(requirement.name)
        except PackageNotFoundError:
            continue
        if name in closure and not requirement.extras:
            continue
        closure.add(name)
        for text in dist.requires or []:
            pending += [(Requirement(text), extra) for extra in requirement.extras]
            pending.append((Requirement(text), ""))
    return closure


def taken_names(closure: set[str]) -> list[str]:
    """Return the distribution names and top-level import names of ``closure``."""
    imports = {
        module.lower()
        for module, dists in packages_distributions().items()
        if any(normalized(dist) in closure for dist in dists)
    }
    return sorted(closure | {name for name in imports if name.isidentifier()})


def lowest_direct_closure(requirements: list[Requirement]) -> set[str]:
    """Return the distributions of the lowest versions the project allows (uv).

    ``uv sync --resolution lowest-direct`` installs those; older versions depend on
    other packages (pandas 2.2 on pytz), which the installed metadata do not name.
    """
    options = ["--resolution", "lowest-direct", "--python-version", "3.11"]
    compiled = subprocess.run(
        [sys.executable, "-m", "uv", "pip", "compile", "-", *options, "--no-header"],
        input="\n".join(map(str, requirements)),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        normalized(Requirement(line).name)
        for line in compiled.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }


def main() -> None:
    """Write the names the dependencies take to ``dependency_names.json``.

    Those of the installed versions, and the distributions of the lowest versions.
    """
    requirements = project_requirements()
    names = taken_names(installed_closure(requirements))
    names = sorted({*names, *lowest_direct_closure(requirements)})
    NAMES_FILE.write_text(json.dumps(names, indent=1) + "\n")


if __name__ == "__main__":
    main()
