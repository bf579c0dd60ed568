"""Check the invariants of the configuration that an edit can break."""

import pytest

from {{ cookiecutter.project_slug }}.config import BLD
from {{ cookiecutter.project_slug }}.data_preparation.config import (
    DATA,
    path_to_processed_data,
)
from {{ cookiecutter.project_slug }}.estimation.config import (
    ESTIMATIONS,
    MODELS,
    PERSIST,
    path_to_estimation_result,
    path_to_estimation_summary,
    path_to_estimation_table,
)
{%- if cookiecutter.add_final_stage %}
from {{ cookiecutter.project_slug }}.final.config import (
    COEFFICIENT_FIGURES,
    EFFECTS_OF_INTEREST,
    TABLES,
    path_to_coefficient_figure,
    path_to_specification_curve,
    path_to_table,
)
{%- endif %}
{%- if cookiecutter.add_paper %}
from {{ cookiecutter.project_slug }}.paper.config import PATH_TO_PAPER, PATH_TO_RESULTS
{%- endif %}
from {{ cookiecutter.project_slug }}_template import rules

TASK_IDS = [*DATA, *ESTIMATIONS]


def selected(expression: str) -> set[str]:
    """Return the task ids that ``pytask -k expression`` matches, as pytask does."""
    return {id_ for id_ in TASK_IDS if expression.lower() in f"[{id_}]".lower()}


def test_configuration_follows_the_rules() -> None:
    # All mistakes at once, in the words that stop pytask (see the template's rules.py).
    problems = rules.problems(DATA, MODELS, ESTIMATIONS, deep=True)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_ids_are_identifiers() -> None:
    for id_ in [*DATA, *MODELS]:
        assert id_.isidentifier(), f"{id_!r} is not a valid identifier"


def test_ids_are_unique_ignoring_case() -> None:
    lower = [id_.lower() for id_ in TASK_IDS]
    duplicates = sorted({id_ for id_ in lower if lower.count(id_) > 1})
    assert not duplicates, f"ids that pytask -k cannot tell apart: {duplicates}"


def test_estimations_are_the_cartesian_product() -> None:
    # But the pairs of instruments with a model that cannot fit them, which may be left
    # out (and are refused above if they are not).
    expected = {
        f"{model}_{data}": {"model": model, "data": data}
        for model in MODELS
        for data in DATA
    }
    unfit = {
        name
        for name, estimation in expected.items()
        if any(rules.instrument_problems({name: estimation}, DATA, MODELS))
    }
    assert {name: e for name, e in expected.items() if name not in unfit} == {
        name: e for name, e in ESTIMATIONS.items() if name not in unfit
    }


def test_products_are_unique_and_under_bld() -> None:
    estimation_products = (
        path_to_estimation_result,
        path_to_estimation_summary,
        path_to_estimation_table,
    )
    products = [path_to_processed_data(name) for name in DATA] + [
        path(name) for name in ESTIMATIONS for path in estimation_products
    ]
{%- if cookiecutter.add_final_stage %}
    products += [path_to_table(name, fmt) for name in TABLES for fmt in ("md", "tex")]
    products += [
        path_to_specification_curve(term, fmt)
        for term in EFFECTS_OF_INTEREST
        for fmt in ("png", "csv")
    ]
    if COEFFICIENT_FIGURES:
        products += [path_to_coefficient_figure(name) for name in ESTIMATIONS]
{%- endif %}
{%- if cookiecutter.add_paper %}
    products += [PATH_TO_RESULTS, PATH_TO_PAPER]
{%- endif %}
    assert len(set(products)) == len(products), "two tasks write the same product"
    for path in products:
        assert path.is_relative_to(BLD), f"{path} is outside {BLD}"
{%- if cookiecutter.add_final_stage %}


def test_tables_show_estimations_that_exist() -> None:
    for name, table in TABLES.items():
        unknown = sorted(set(table["estimations"]) - set(ESTIMATIONS))
        assert not unknown, f"TABLES[{name!r}] shows no estimation of ids {unknown}"
        assert table["estimations"], f"TABLES[{name!r}] shows no estimation"


def test_each_effect_of_interest_is_a_covariate() -> None:
    covariates = {term for data in DATA.values() for term in data["covariates"]}
    for term in EFFECTS_OF_INTEREST:
        # "C(region)[T.South]" is a level of the covariate "C(region)".
        name = term.partition("[")[0]
        assert any(name in covariate for covariate in covariates), (
            f"EFFECTS_OF_INTEREST: {term!r} is in no data specification's covariates"
        )
{%- endif %}


def test_persisted_ids_are_estimations() -> None:
    unknown = PERSIST - set(ESTIMATIONS)
    assert not unknown, f"PERSIST names ids that are no estimation: {unknown}"


def test_each_model_is_selected_exactly() -> None:
    for model in MODELS:
        expected = {n for n, e in ESTIMATIONS.items() if e["model"] == model}
        extra = sorted(selected(f"[{model}_") - expected)
        assert not extra, f"MODELS[{model!r}]: -k '[{model}_' also selects {extra}"


def test_each_data_specification_is_selected_exactly() -> None:
    for data in DATA:
        expected = {data} | {n for n, e in ESTIMATIONS.items() if e["data"] == data}
        extra = sorted(selected(f"{data}]") - expected)
        assert not extra, f"DATA[{data!r}]: -k '{data}]' also selects {extra}"
