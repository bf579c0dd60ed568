"""Paths and helpers shared by all tasks of the project."""

import hashlib
import json
from pathlib import Path

SRC = Path(__file__).parent.resolve()
BLD = SRC.joinpath("..", "..", "bld").resolve()


def hash_json(value: object) -> str:
    """Hash a JSON-like value, the same in every process.

    pytask calls it to decide whether a config entry changed; Python's own ``hash`` is
    salted per process and fails on dicts.

    """
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()
