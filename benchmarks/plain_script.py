"""Do a generated project's work in one plain Python process, without pytask.

The lower bound for a cold build: read the project's configs, prepare every data set,
fit every model with the same statsmodels estimators and save the same kinds of files.
Run it with the project importable, e.g.
``PYTHONPATH=my_project/src python benchmarks/plain_script.py my_project out/``.
"""

import importlib
import sys
from pathlib import Path

import pandas as pd
import statsmodels.formula.api as smf


def main(project: Path, out: Path) -> None:
    """Prepare all data sets of ``project`` and fit all its models into ``out``."""
    package = next(p.name for p in (project / "src").iterdir() if p.is_dir())
    data_config = importlib.import_module(f"{package}.data_preparation.config")
    estimation_config = importlib.import_module(f"{package}.estimation.config")
    out.mkdir(parents=True, exist_ok=True)

    raw = pd.read_csv(project / "src" / package / "data" / "data.csv")
    prepared = {}
    for name, spec in data_config.DATA.items():
        data = raw.query(spec["sample"]) if spec["sample"] is not None else raw
        columns = [spec["outcome"], *spec["covariates"]]
        prepared[name] = data[columns].reset_index(drop=True)
        prepared[name].to_pickle(out / f"{name}.pkl")

    for name, estimation in estimation_config.ESTIMATIONS.items():
        spec = data_config.DATA[estimation["data"]]
        model = estimation_config.MODELS[estimation["model"]]
        formula = f"{spec['outcome']} ~ {' + '.join(spec['covariates'])}"
        estimator = getattr(smf, model["estimator"])
        result = estimator(formula, data=prepared[estimation["data"]]).fit(
            **model["fit"]
        )
        result.save(out / f"{name}.pickle")
        table = result.summary2().tables[1].to_markdown(floatfmt=".4f")
        (out / f"{name}.md").write_text(f"`{formula}`, {int(result.nobs)}\n\n{table}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
