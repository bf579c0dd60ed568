"""Apply the rules of the configuration (``rules.py``) where pytask runs.

- While pytask collects the tasks, the rules that the standard library can check stop
  it at the first mistake, before a task module builds its repetitions from DATA,
  MODELS and ESTIMATIONS (and the final stage's curves from EFFECTS_OF_INTEREST).
- Before a data preparation or an estimation runs, the rules that need pandas or
  statsmodels check its entry: a mistake fails that task, before it writes anything.
  A task that pytask skips, as unchanged or persisted, is not checked: a build with
  nothing to do imports neither library.
- A fit that fails (``summaries.FitError``: a singular design, values statsmodels
  rejects) fails its task in one line, without a traceback; the other tasks run.

The project's tests apply all the rules at once. pytask loads this module through
``hook_module`` in ``pyproject.toml``.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING

from pytask import CollectionError, Exit, console, hookimpl
from rich.text import Text

if TYPE_CHECKING:
    from collections.abc import Generator

    from pytask import ExecutionReport, PTask, Session


# The final stage, where the project has one.
FINAL_STAGE = "{{ cookiecutter.project_slug }}.final"


class ConfigError(Exit):
    """A mistake in the configuration: pytask shows it without a traceback and stops."""


@hookimpl(tryfirst=True)
def pytask_collect(session: Session) -> None:
    """Stop at the first mistake that the cheap rules find, before collecting."""
    from {{ cookiecutter.project_slug }}.data_preparation.config import DATA  # noqa: PLC0415
    from {{ cookiecutter.project_slug }}.estimation.config import (  # noqa: PLC0415
        ESTIMATIONS,
        MODELS,
    )
    from {{ cookiecutter.project_slug }}_template import rules  # noqa: PLC0415

    found = rules.problems(DATA, MODELS, ESTIMATIONS)
    if not found and importlib.util.find_spec(FINAL_STAGE) is not None:
        effects = importlib.import_module(f"{FINAL_STAGE}.config").EFFECTS_OF_INTEREST
        found = rules.effect_problems(effects, DATA, ESTIMATIONS)
    if found:
        console.print(Text(f"ConfigError: {found[0]}", style="failed"))
        raise CollectionError


@hookimpl(wrapper=True)
def pytask_execute_task_setup(session: Session, task: PTask) -> Generator[None]:
    """Check the entry of a preparation or an estimation with the deep rules.

    pytask's own setup runs first: it stops a task that need not run.
    """
    yield
    from {{ cookiecutter.project_slug }}.data_preparation.config import (  # noqa: PLC0415
        DATA,
        path_to_input_data,
    )
    from {{ cookiecutter.project_slug }}.estimation.config import (  # noqa: PLC0415
        ESTIMATIONS,
        MODELS,
    )
    from {{ cookiecutter.project_slug }}_template import rules  # noqa: PLC0415

    function, _, id_ = task.name.rpartition("::")[2].removesuffix("]").partition("[")
    if function == "task_prepare_data" and id_ in DATA:
        found = rules.problems({id_: DATA[id_]}, {}, deep=True)
    elif function == "task_estimate_model" and id_ in ESTIMATIONS:
        model, data = ESTIMATIONS[id_]["model"], ESTIMATIONS[id_]["data"]
        raw = [path_to_input_data(data)]
        found = rules.problems({}, {model: MODELS[model]}, deep=True, fitted_to=raw)
    else:
        return
    if found:
        raise ConfigError(found[0])


@hookimpl(tryfirst=True)
def pytask_execute_task_process_report(
    session: Session, report: ExecutionReport
) -> None:
    """Show a failed fit as its one line: the traceback would only show our code."""
    from {{ cookiecutter.project_slug }}_template.summaries import FitError  # noqa: PLC0415

    if report.exc_info and isinstance(report.exc_info[1], FitError):
        report.exc_info = (report.exc_info[0], report.exc_info[1], None)
