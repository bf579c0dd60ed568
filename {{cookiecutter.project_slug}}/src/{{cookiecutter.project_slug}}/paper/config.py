"""Where the paper's source is, and where pytask puts what it builds from it."""

from {{ cookiecutter.project_slug }}.config import BLD, SRC

PAPER_SOURCE = SRC / "paper" / "paper.tex"
# The tables and figures of the final stage, listed for paper.tex to \input.
PATH_TO_RESULTS = BLD / "paper" / "results.tex"
PATH_TO_PAPER = BLD / "paper" / "paper.pdf"
