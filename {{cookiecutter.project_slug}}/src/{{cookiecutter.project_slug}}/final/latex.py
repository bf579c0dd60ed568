"""Text for LaTeX: labels and formula terms with LaTeX's special characters escaped."""

# The characters LaTeX reads as commands, as they may appear in labels and in terms
# such as "np.log(income)" or "I(age ** 2)"; "<", ">" and "|" would print as other
# glyphs in LaTeX's default fonts, and "²" of "R²" in a glyph of another font.
ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "{": r"\{",
        "}": r"\}",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
        "<": r"\textless{}",
        ">": r"\textgreater{}",
        "|": r"\textbar{}",
        "²": "$^2$",
    }
)


def escape(text: str) -> str:
    """Return text that LaTeX prints as it is."""
    return text.translate(ESCAPES)
