"""Validate the answers before cookiecutter writes anything."""

import json
import keyword
import sys

# tojson escapes every quote and backslash, so no answer can break this literal.
ANSWERS = json.loads(r"""{{ cookiecutter | tojson }}""")


def check_project_slug(slug: str) -> str | None:
    """Return a problem with ``project_slug``, or None."""
    if slug.isidentifier() and slug.islower() and not keyword.iskeyword(slug):
        return None
    return (
        f"project_slug: {slug!r} is not a valid Python package name; use lower-case "
        "letters, digits and underscores, starting with a letter"
    )


def main() -> int:
    """Print each problem on a line of its own; fail if there is any."""
    problems = [check_project_slug(ANSWERS["project_slug"])]
    for problem in filter(None, problems):
        print(f"ERROR: {problem}", file=sys.stderr)
    return 1 if any(problems) else 0


if __name__ == "__main__":
    sys.exit(main())
