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

# The pandas function that reads the raw data, by the suffix of their file. Excel needs
# the project's extra "excel" (openpyxl), SPSS its extra "spss" (pyreadstat).
READERS = {
    ".csv": "read_csv",
    ".dta": "read_stata",
    ".parquet": "read_parquet",
    ".xlsx": "read_excel",
    ".sav": "read_spss",
}


def _create_parametrization(data: dict[str, dict[str, Any]]) -> dict[str, dict]:
    """Map each task id to the keyword arguments of its task."""
    return {
        name: {
            "path_to_input_data": path_to_input_data(name),
            # A PythonNode with a hash makes the specification a dependency, so editing
            # it in the config reruns this preparation.
            "specification": PythonNode(value=specification, hash=hash_json),
            "path_to_processed_data": path_to_processed_data(name),
        }
        for name, specification in data.items()
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
        """Select the rows of the sample, with every column: models may name any.

        Rows with missing values stay: each estimation drops those it cannot use.
        Stata's and SPSS's labelled values arrive as categories, their missing values as
        missing. The prepared data are Parquet, which pandas and other tools read for
        years.
        """
        import pandas as pd  # noqa: PLC0415 (imported here to keep collection fast)

        read = getattr(pd, READERS[path_to_input_data.suffix.lower()])
        data = read(path_to_input_data)
        if specification["sample"] is not None:
            data = data.query(specification["sample"])
        # A category the sample leaves empty would give C() a column of zeros.
        for column in data.select_dtypes("category"):
            data[column] = data[column].cat.remove_unused_categories()
        # The table alone: what a reader keeps beside it (SPSS's file dates) is no data.
        data.attrs = {}
        data.reset_index(drop=True).to_parquet(path_to_processed_data, index=False)
