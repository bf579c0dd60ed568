"""Prepare one data set per entry of ``DATA``."""

from pathlib import Path
from typing import Annotated, Any

from pytask import Product, PythonNode, task

from {{ cookiecutter.project_slug }}.config import hash_json
from {{ cookiecutter.project_slug }}.data_preparation.config import (
    DATA,
    path_to_input_data,
    path_to_processed_data,
)
from {{ cookiecutter.project_slug }}.estimation import rules
from {{ cookiecutter.project_slug }}.estimation.config import MODELS


def _create_parametrization(data: dict[str, dict[str, Any]]) -> dict[str, dict]:
    """Map each task id to the keyword arguments of its task.

    The estimation module stops pytask at collection if the configuration has a
    mistake (see ``rules``); the columns are read here without trusting it.
    """
    return {
        name: {
            "path_to_input_data": path_to_input_data(name),
            # A PythonNode with a hash makes the specification a dependency, so editing
            # it in the config reruns this preparation. It keeps the columns of the
            # formula and those that any model names, such as weights and clusters.
            "specification": PythonNode(
                value={
                    "name": name,
                    "specification": spec,
                    "columns": rules.columns_to_keep(spec, MODELS),
                },
                hash=hash_json,
            ),
            "path_to_processed_data": path_to_processed_data(name),
        }
        for name, spec in data.items()
    }


for id_, kwargs in _create_parametrization(DATA).items():
    # The id is part of the name because pytask appends ids only to names that
    # repeat: with a single entry it would drop the id, which -k and pytask's
    # record of past runs rely on.
    @task(name=f"task_prepare_data[{id_}]", kwargs=kwargs)
    def task_prepare_data(
        path_to_input_data: Path,
        specification: dict[str, Any],
        path_to_processed_data: Annotated[Path, Product],
    ) -> None:
        """Select the sample and the columns that the estimations of the data use.

        Rows with missing values stay: each estimation drops those it cannot use.
        """
        import pandas as pd  # noqa: PLC0415 (imported here to keep collection fast)

        name, spec = specification["name"], specification["specification"]
        rules.stop_at_first(rules.problems({name: spec}, {}, deep=True))
        data = pd.read_csv(path_to_input_data)
        if spec["sample"] is not None:
            data = data.query(spec["sample"])
        columns = specification["columns"]
        data[columns].reset_index(drop=True).to_pickle(path_to_processed_data)
