from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pytest

from auditor.errors import ConfigError
from auditor.options import build_options, coerce_cli_value, options_schema


@dataclass(frozen=True)
class Inner:
    name: str
    weight: float = 1.0


@dataclass(frozen=True)
class Opts:
    min_ratio: float = 0.8
    min_n: int = 30
    reference: Literal["max_rate", "overall"] = "max_rate"
    sample_size: int | Literal["all"] = 1000
    columns: tuple[str, ...] = ()
    enabled: bool = True
    weights: dict[str, float] = field(default_factory=dict)
    extra: tuple[Inner, ...] = ()


def test_defaults_and_conversion() -> None:
    o = build_options(Opts, {"min_ratio": 1, "columns": ["a", "b"], "sample_size": "all"}, "p")
    assert o.min_ratio == 1.0 and isinstance(o.min_ratio, float)
    assert o.columns == ("a", "b")
    assert o.sample_size == "all"
    assert o.min_n == 30


def test_nested_dataclass_and_mapping() -> None:
    o = build_options(Opts, {"extra": [{"name": "x"}], "weights": {"a": 2}}, "p")
    assert o.extra == (Inner("x", 1.0),)
    assert o.weights["a"] == 2.0


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"min_ratoi": 0.9},
            "pack.yaml: checks.FAIR101.options.min_ratoi: unknown option (did you mean 'min_ratio'",
        ),
        (
            {"min_n": "thirty"},
            "pack.yaml: checks.FAIR101.options.min_n: expected an integer, got 'thirty'",
        ),
        ({"min_n": True}, "options.min_n: expected an integer, got True"),
        ({"min_ratio": "high"}, "options.min_ratio: expected a number, got 'high'"),
        (
            {"reference": "min"},
            "options.reference: expected one of 'max_rate' | 'overall', got 'min'",
        ),
        ({"columns": "a,b"}, "options.columns: expected a list, got 'a,b'"),
        ({"enabled": "yes"}, "options.enabled: expected true or false, got 'yes'"),
        ({"sample_size": "some"}, "options.sample_size: expected int | 'all', got 'some'"),
        (
            {"extra": [{"weight": 2}]},
            "options.extra[0]: Inner.__init__() missing 1 required positional argument: 'name'",
        ),
    ],
)
def test_errors_name_the_yaml_path(raw: dict, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        build_options(Opts, raw, "pack.yaml: checks.FAIR101.options")
    assert message in str(err.value)


def test_schema_lists_types_and_defaults() -> None:
    schema = options_schema(Opts)
    assert schema["min_ratio"] == {"type": "float", "default": 0.8}
    assert schema["sample_size"] == {"type": "int | 'all'", "default": 1000}
    assert schema["columns"] == {"type": "list[str]", "default": []}
    assert schema["weights"] == {"type": "map[str, float]", "default": {}}


def test_cli_values_are_yaml_scalars() -> None:
    assert coerce_cli_value("0.9") == 0.9
    assert coerce_cli_value("true") is True
    assert coerce_cli_value("[a, b]") == ["a", "b"]
    assert coerce_cli_value("all") == "all"
    assert coerce_cli_value("{unclosed") == "{unclosed"
