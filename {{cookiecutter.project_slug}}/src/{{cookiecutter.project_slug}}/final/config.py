"""What the final stage shows: a table comparing all estimations, a figure of each.

Each option is a dependency of the tasks that use it: editing one reruns them, and no
estimation.

"""

from pathlib import Path

from {{ cookiecutter.project_slug }}.config import BLD

# Keyword arguments of statsmodels' ``summary_col``, which sets the fits side by side.
COMPARISON_TABLE = {"float_format": "%.3f", "stars": True}

# Size in inches and resolution of each coefficient figure, and the terms it leaves
# out because their scale would squeeze the others, like the intercept.
COEFFICIENT_FIGURE = {"width": 6.0, "height": 4.0, "dpi": 150, "omit": ["Intercept"]}


def path_to_comparison_table(fmt: str) -> Path:
    """Return where the comparison of all estimations is stored, as "md" or "tex"."""
    return BLD / "final" / f"comparison.{fmt}"


def path_to_coefficient_figure(name: str) -> Path:
    """Return where the figure of the coefficients of the estimation ``name`` is."""
    return BLD / "final" / f"{name}.png"
