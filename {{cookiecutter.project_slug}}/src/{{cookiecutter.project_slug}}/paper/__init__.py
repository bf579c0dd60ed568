"""The paper: a LaTeX document of the final stage's tables and figures."""
