"""Apply the rules of the configuration (``rules.py``) where pytask runs.

- While pytask collects the tasks, the rules that the standard library can check stop
  it at the first mistake, before a task module builds its repetitions from DATA and
  MODELS.
- Before a data preparation or an estimation runs, the rules that need pandas or
  statsmodels check its entry: a mistake fails that task, before it writes anything.

The project's tests apply all the rules at once. pytask loads this module through
``hook_module`` in ``pyproject.toml``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytask import CollectionError, Exit, console, hookimpl
from rich.text import Text

if TYPE_CHECKING:
    from pytask import PTask, Session


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

    found = rules.problems(DATA, MODELS)
    if found := found or rules.estimation_problems(ESTIMATIONS, DATA, MODELS):
        console.print(Text(f"ConfigError: {found[0]}", style="failed"))
        raise CollectionError


@hookimpl
def pytask_execute_task_setup(session: Session, task: PTask) -> None:
    """Check the entry of a preparation or an estimation with the deep rules."""
    from {{ cookiecutter.project_slug }}.data_preparation.config import DATA  # noqa: PLC0415
    from {{ cookiecutter.project_slug }}.estimation.config import (  # noqa: PLC0415
        ESTIMATIONS,
        MODELS,
    )
    from {{ cookiecutter.project_slug }}_template import rules  # noqa: PLC0415

    function, _, id_ = task.name.rpartition("::")[2].rstrip("]").partition("[")
    if function == "task_prepare_data" and id_ in DATA:
        found = rules.problems({id_: DATA[id_]}, {}, deep=True)
    elif function == "task_estimate_model" and id_ in ESTIMATIONS:
        model = ESTIMATIONS[id_]["model"]
        found = rules.problems({}, {model: MODELS[model]}, deep=True)
    else:
        return
    if found:
        raise ConfigError(found[0])
