"""The formats of the raw data, as the checks of the configuration read them.

Each format is known by its file's suffix. The checks read only what names the
columns: a CSV file's first line, Stata's and SPSS's headers, Parquet's schema, the
first row of Excel's first sheet. Reading them takes milliseconds, but the libraries
take a moment to import: the names of the columns of files other than CSV are kept in
``.pytask/columns.json``, so that a build with nothing to do imports none of them.
The preparation task reads the data with the pandas reader of the same suffix.
"""

from __future__ import annotations

import contextlib
import csv
import importlib.util
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from {{ cookiecutter.project_slug }}.config import SRC

if TYPE_CHECKING:
    import pandas as pd

CACHE = SRC.parent.parent / ".pytask" / "columns.json"
# A file changed this recently may change again within the resolution of its
# modification time (a few milliseconds), unseen: its columns are read again next time.
SETTLED_SECONDS = 0.1


@dataclass(frozen=True)
class Format:
    """A format of raw data: how to read it and its columns, and what that needs."""

    name: str
    columns: Callable[[Path], list[str]]
    # The pandas function that reads it, and its keyword that selects columns.
    reader: str
    select: str
    # The package that reads it, beyond pandas, and the project's extra that has it.
    package: str | None = None
    extra: str | None = None


def csv_columns(path: Path) -> list[str]:
    """Return the first line of a CSV file as pandas reads it: UTF-8, maybe a BOM."""
    with path.open(newline="", encoding="utf-8-sig") as file:
        return next(csv.reader(file), [])


def stata_columns(path: Path) -> list[str]:
    """Return the variables of a Stata file, from its header."""
    from pandas.io.stata import StataReader  # noqa: PLC0415 (heavy, needed here only)

    with StataReader(path) as reader:
        return list(reader.variable_labels())


def parquet_columns(path: Path) -> list[str]:
    """Return the columns of a Parquet file, from its schema."""
    import pyarrow.parquet as pq  # noqa: PLC0415 (heavy, needed here only)

    return list(pq.read_schema(path).names)


def excel_columns(path: Path) -> list[str]:
    """Return the first row of an Excel file's first sheet, where pandas finds names."""
    import openpyxl  # noqa: PLC0415 (heavy, needed here only)

    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        first_row = next(workbook.worksheets[0].iter_rows(max_row=1, values_only=True))
    except StopIteration:  # an empty sheet
        return []
    finally:
        workbook.close()
    return [str(value) for value in first_row if value is not None]


def spss_columns(path: Path) -> list[str]:
    """Return the variables of an SPSS file, from its header."""
    import pyreadstat  # noqa: PLC0415 (heavy, needed here only)

    return list(pyreadstat.read_sav(path, metadataonly=True)[1].column_names)


FORMATS = {
    ".csv": Format("CSV", csv_columns, "read_csv", "usecols"),
    ".dta": Format("Stata", stata_columns, "read_stata", "columns"),
    ".parquet": Format(
        "Parquet", parquet_columns, "read_parquet", "columns", "pyarrow"
    ),
    ".xlsx": Format(
        "Excel", excel_columns, "read_excel", "usecols", "openpyxl", "excel"
    ),
    ".sav": Format("SPSS", spss_columns, "read_spss", "usecols", "pyreadstat", "spss"),
}


@cache
def file_problem(path: Path) -> str | None:
    """Say in a few words why the columns of ``path`` cannot be read, if they cannot."""
    data_format = FORMATS.get(path.suffix.lower())
    if data_format is None:
        return f"no reader for {path.suffix or 'a file without suffix'}; allowed: " + (
            ", ".join(FORMATS)
        )
    if not path.is_file():
        return "no such file"
    package = data_format.package
    if package is not None and importlib.util.find_spec(package) is None:
        install = (
            f"pip install -e '.[{data_format.extra}]'"
            if data_format.extra
            else "pip install -e ."
        )
        return f"reading {data_format.name} needs {package}: {install}"
    try:
        columns(path)
    except Exception as error:  # each library raises its own kinds
        text = (str(error).strip() or type(error).__name__).splitlines()[0]
        return f"not readable as {data_format.name}: {text}"
    return None


@cache
def columns(path: Path) -> tuple[str, ...]:
    """Return the names of the columns of a raw data file."""
    data_format = FORMATS[path.suffix.lower()]
    if data_format.name == "CSV":
        return tuple(csv_columns(path))
    status = path.stat()
    key, stamp = str(path.resolve()), [status.st_size, status.st_mtime_ns]
    cached = read_cache()
    if cached.get(key, {}).get("stamp") == stamp:
        return tuple(cached[key]["columns"])
    names = tuple(data_format.columns(path))
    if time.time() - status.st_mtime > SETTLED_SECONDS:
        write_cache(cached | {key: {"stamp": stamp, "columns": names}})
    return names


def read_cache() -> dict:
    """Return the cached names of columns, by file; none if the cache is unreadable."""
    with contextlib.suppress(OSError, ValueError):
        cached = json.loads(CACHE.read_text())
        if isinstance(cached, dict):
            return cached
    return {}


def write_cache(cached: dict) -> None:
    """Write the cache at once, so that a reader never sees half of it."""
    try:
        CACHE.parent.mkdir(exist_ok=True)
        temporary = CACHE.with_name(f"{CACHE.name}.{os.getpid()}")
        temporary.write_text(json.dumps(cached, indent=1))
        temporary.replace(CACHE)
    except OSError:  # a read-only project still builds, reading the headers each time
        pass


def read(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a raw data file, or some of its columns, with its pandas reader."""
    import pandas as pd  # noqa: PLC0415 (heavy, needed here only)

    data_format = FORMATS[path.suffix.lower()]
    return getattr(pd, data_format.reader)(path, **{data_format.select: columns})
