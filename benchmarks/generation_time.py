"""Time `cookiecutter --no-input` with and without the template's hooks.

Prints the median wall time of several generations of the default project, each into
a fresh folder: without hooks, with hooks where pytask cannot be imported (the usual
case for a cookiecutter installed with pipx or uvx), and with hooks and pytask.

    python benchmarks/generation_time.py [--runs 7] [template]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEMPLATE = Path(__file__).parents[1]


def generate(template: Path, *args: str, env: dict[str, str] | None = None) -> float:
    """Generate the default project once; return the seconds it took."""
    with tempfile.TemporaryDirectory() as output_dir:
        command = [sys.executable, "-m", "cookiecutter", "--no-input", str(template)]
        start = time.perf_counter()
        subprocess.run(
            [*command, "--output-dir", output_dir, *args],
            check=True,
            capture_output=True,
            env=env,
        )
        return time.perf_counter() - start


def main() -> None:
    """Print a table of median generation times."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("template", nargs="?", type=Path, default=TEMPLATE)
    parser.add_argument("--runs", type=int, default=7)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as hide:
        # A package named pytask that fails to import hides the installed one.
        Path(hide, "pytask").mkdir()
        Path(hide, "pytask", "__init__.py").write_text("raise ImportError\n")
        without_pytask = os.environ | {"PYTHONPATH": hide}
        cases = {
            "no hooks (--accept-hooks no)": (["--accept-hooks", "no"], None),
            "hooks, pytask not importable": ([], without_pytask),
            "hooks, pytask importable": ([], None),
        }
        print(f"| generation of the default project | median of {arguments.runs} |")
        print("| --- | --- |")
        for case, (args, env) in cases.items():
            times = [
                generate(arguments.template, *args, env=env)
                for _ in range(arguments.runs)
            ]
            print(f"| {case} | {statistics.median(times):.2f} s |")


if __name__ == "__main__":
    main()
