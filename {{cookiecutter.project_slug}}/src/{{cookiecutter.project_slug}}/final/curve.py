"""A specification curve: one effect in every estimation that has it, sorted.

Simonsohn, Simmons and Nelson (2020), "Specification curve analysis", Nature Human
Behaviour 4, 1208-1214: above, each estimate with its 95% interval, sorted, coloured by
significance at 5%; below, a panel marking the choices each specification made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# The columns of a curve's data, one row per estimation.
CURVE_COLUMNS = ["estimation", "data", "model", "estimate", "lower", "upper"]
# The choices the lower panel marks: a key of the estimations' entries, and of labels.
CHOICES = {"data": "data", "model": "models", "covariance": "covariance"}
SIGNIFICANT, NOT_SIGNIFICANT = "#1f4e9a", "#a6a6a6"


def curve_of(effects: dict[str, pd.DataFrame], curve: dict[str, Any]) -> pd.DataFrame:
    """Return the estimations that have the term, sorted by its estimate.

    ``effects`` maps each estimation to its effects frame (``effects.effects_of``).
    """
    import pandas as pd  # noqa: PLC0415 (keeps collection fast)

    term, entries = curve["term"], curve["estimations"]
    rows = [
        [
            name,
            entries[name]["data"],
            entries[name]["model"],
            *frame.loc[term, ["estimate", "lower", "upper"]],
        ]
        for name, frame in effects.items()
        if term in frame.index
    ]
    if not rows:
        msg = f"EFFECTS_OF_INTEREST: no estimation has the term {term!r}"
        raise ValueError(msg)
    points = pd.DataFrame(rows, columns=CURVE_COLUMNS)
    return points.sort_values(["estimate", "estimation"], ignore_index=True)


def is_significant(points: pd.DataFrame) -> pd.Series:
    """Return whether each 95% interval excludes zero: significant at 5%."""
    return (points["lower"] > 0) | (points["upper"] < 0)


def plot_specification_curve(points: pd.DataFrame, curve: dict[str, Any]) -> Figure:
    """Draw the sorted estimates above the panel of choices; the legend sums them up."""
    # A Figure made without pyplot renders with Agg and holds no global state.
    from matplotlib.figure import Figure  # noqa: PLC0415 (keeps collection fast)

    options, labels = curve["options"], curve["labels"]
    drawing = Figure(
        figsize=(options["width"], options["height"]), layout="constrained"
    )
    estimates, choices = drawing.subplots(
        nrows=2, sharex=True, gridspec_kw={"height_ratios": [3, 2]}
    )
    plot_estimates(estimates, points, curve["digits"])
    label = labels["variables"].get(curve["term"], curve["term"])
    estimates.set_ylabel(f"{label}: effect, 95% interval")
    plot_choices(choices, points, curve)
    choices.set_xlabel("Specifications, sorted by estimate")
    drawing.suptitle(f"Specification curve: {label}")
    return drawing


def plot_estimates(axes: Axes, points: pd.DataFrame, digits: int) -> None:
    """Plot each estimate with its interval, significant ones in colour, the median."""
    significant = is_significant(points)
    share = f"{significant.sum()} of {len(points)} ({significant.mean():.0%})"
    for chosen, colour, name in (
        (significant, SIGNIFICANT, f"Significant at 5%: {share}"),
        (~significant, NOT_SIGNIFICANT, "Not significant"),
    ):
        shown = points[chosen]
        bars = [shown["estimate"] - shown["lower"], shown["upper"] - shown["estimate"]]
        axes.errorbar(
            shown.index + 1, shown["estimate"], yerr=bars, fmt="o", color=colour,
            markersize=4, capsize=2, label=name,
        )  # fmt: skip
    median = points["estimate"].median()
    axes.axhline(
        median, color="black", linewidth=0.8, label=f"Median: {median:.{digits}f}"
    )
    axes.axhline(0, color="grey", linestyle="--", linewidth=0.8)
    axes.legend(loc="upper left", fontsize="small")


def plot_choices(axes: Axes, points: pd.DataFrame, curve: dict[str, Any]) -> None:
    """Mark, for each specification, its data, its model and its covariance.

    Choices of one label share a row ("hetero" of pyfixest and "HC1" of statsmodels);
    a covariance without a label in ``COVARIANCE_LABELS`` shows as fitted.
    """
    from matplotlib.ticker import MaxNLocator  # noqa: PLC0415 (keeps collection fast)

    entries, labels = curve["estimations"], curve["labels"]
    rows = []  # a choice's label, and the positions of the specifications that made it
    for key, group in CHOICES.items():
        label_of = {
            name: labels[group].get(entry[key], entry[key])
            for name, entry in entries.items()
        }
        made = points["estimation"].map(label_of)
        for label in dict.fromkeys(label_of.values()):
            rows.append((label, points.index[made == label] + 1))
        # A line between the data specifications, the models and the covariances.
        axes.axhline(len(rows) - 0.5, color="lightgrey", linewidth=0.8)
    for number, (_, positions) in enumerate(rows):
        axes.scatter(
            positions, [number] * len(positions), marker="s", color="black", s=12
        )
    axes.set_yticks(
        range(len(rows)), labels=[label for label, _ in rows], fontsize="small"
    )
    axes.set_ylim(len(rows) - 0.5, -0.5)  # the first choice on top
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
