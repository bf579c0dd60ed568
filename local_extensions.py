"""Jinja filters that cookiecutter loads through `_extensions` (cookiecutter.json)."""

import json

from cookiecutter.utils import simple_filter


@simple_filter
def quoted(value: str) -> str:
    """Quote text as one double-quoted string literal of Python, TOML, YAML and JSON.

    ``json.dumps`` escapes quotes, backslashes and control characters the way all four
    read them; ``ensure_ascii=False`` keeps emoji whole, as TOML rejects the surrogate
    pairs that ``tojson`` writes for them. DEL is escaped because TOML forbids it raw.
    """
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
