from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from auditor import Finding, Severity, check
from auditor.errors import ConfigError, UsageError
from auditor.plan import plan
from auditor.policy import load_policy, parse_policy
from auditor.resources import bundled_packs


@dataclass(frozen=True)
class RatioOpts:
    min_ratio: float = 0.8
    min_n: int = 30


@dataclass(frozen=True)
class TextOpts:
    sample_size: int = 100


def _fn(ctx, options):
    """XX000 test: a test check."""
    yield Finding("x")


CHECKS = {
    "FAIR101": check("FAIR101", "impact-ratio", severity=Severity.HIGH, options=RatioOpts)(_fn),
    "FAIR102": check("FAIR102", "error-parity", options=RatioOpts)(_fn),
    "PII001": check("PII001", "columns", options=TextOpts)(_fn),
    "TRN001": check("TRN001", "card-fields")(_fn),
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_prefix_selects_family_and_specific_key_wins(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "p.yaml",
        "checks:\n  FAIR: {severity: low, options: {min_n: 50}}\n  FAIR101: {severity: critical, options: {min_ratio: 0.9}}\n",
    )
    planned = {x.check.id: x for x in plan(load_policy(p), CHECKS)}
    assert sorted(planned) == ["FAIR101", "FAIR102"]  # only listed checks run
    assert planned["FAIR101"].severity is Severity.CRITICAL
    assert planned["FAIR101"].options == RatioOpts(min_ratio=0.9, min_n=50)
    assert planned["FAIR102"].severity is Severity.LOW
    assert planned["FAIR102"].options == RatioOpts(min_ratio=0.8, min_n=50)


def test_extends_merges_options_and_disables(tmp_path: Path) -> None:
    write(
        tmp_path,
        "base.yaml",
        "version: 3\nfail_on: medium\nchecks:\n  FAIR: {}\n  PII001: {options: {sample_size: 10}}\n",
    )
    child = write(
        tmp_path,
        "child.yaml",
        "extends: base\nchecks:\n  FAIR102: false\n  PII001: {severity: high}\n",
    )
    policy = load_policy(child)
    planned = {x.check.id: x for x in plan(policy, CHECKS)}
    assert sorted(planned) == ["FAIR101", "PII001"]
    assert planned["PII001"].options == TextOpts(sample_size=10)
    assert planned["PII001"].severity is Severity.HIGH
    assert policy.fail_on is Severity.MEDIUM
    assert [p.name for p in policy.packs] == ["base", "child"]
    assert policy.packs[0].version == "3"


def test_overrides_win_over_policy(tmp_path: Path) -> None:
    p = write(tmp_path, "p.yaml", "checks:\n  FAIR101: {options: {min_ratio: 0.9}}\n")
    planned = plan(load_policy(p), CHECKS, {"FAIR101.min_ratio": 0.75})
    assert planned[0].options.min_ratio == 0.75


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "checks:\n  FAIR999: {}\n",
            "p.yaml: checks.FAIR999: unknown check id or prefix 'FAIR999' (did you mean 'FAIR10",
        ),
        ("checks:\n  ACME: {}\n", "checks.ACME: unknown check id or prefix 'ACME'"),
        (
            "checks:\n  FAIR101: {options: {min_rate: 1}}\n",
            "p.yaml: checks.FAIR101.options.min_rate: unknown option (did you mean 'min_ratio'",
        ),
        (
            "checks:\n  FAIR101: {options: {min_n: 2.5}}\n",
            "checks.FAIR101.options.min_n: expected an integer, got 2.5",
        ),
        (
            "checks:\n  FAIR101: {severity: urgent}\n",
            "checks.FAIR101.severity: unknown severity 'urgent'",
        ),
        ("checks:\n  FAIR101: {level: high}\n", "checks.FAIR101.level: unknown key"),
        ("chekcs: {}\n", "p.yaml: chekcs: unknown key (did you mean 'checks'?)"),
        (
            "checks:\n  FAIR: {options: {sample_size: 3}}\n",
            "checks.FAIR.options.sample_size: no check under 'FAIR' has this option",
        ),
        ("fail_on: severe\n", "p.yaml: fail_on: unknown severity 'severe'"),
        ("checks: [FAIR101]\n", "p.yaml: checks: expected a mapping of check ids"),
        ("extends: nonexistent-pack\n", "p.yaml: extends: unknown policy pack 'nonexistent-pack'"),
    ],
)
def test_policy_errors_name_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    p = write(tmp_path, "p.yaml", text)
    with pytest.raises(UsageError) as err:
        plan(load_policy(p), CHECKS)
    assert message in str(err.value)


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.yaml", "checks:\n  FAIR101: {severity: high\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml:3:1: invalid YAML"):
        load_policy(p)


def test_extends_cycle(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "extends: b\n")
    b = write(tmp_path, "b.yaml", "extends: a\n")
    with pytest.raises(ConfigError, match="cycle"):
        load_policy(b)


@pytest.mark.parametrize(
    ("waiver", "message"),
    [
        (
            "{check: FAIR101, location: 'x', reason: r, expires: soon}",
            "waivers[0].expires: expected a date as YYYY-MM-DD, got 'soon'",
        ),
        (
            "{check: FAIR101, location: 'x', reason: r, expires: 2026-13-40}",
            "waivers[0].expires: expected a date",
        ),
        ("{check: FAIR101, location: 'x', expires: 2026-12-01}", "waivers[0].reason: required"),
        (
            "{check: FAIR101, location: 'x', reason: r, expires: 2026-12-01, approver: me}",
            "waivers[0].approver: unknown key (did you mean 'approved_on' or 'approved_by'?)",
        ),
    ],
)
def test_waiver_validation(tmp_path: Path, waiver: str, message: str) -> None:
    p = write(tmp_path, "p.yaml", f"waivers:\n  - {waiver}\n")
    with pytest.raises(ConfigError) as err:
        load_policy(p)
    assert message in str(err.value)


def test_waiver_parsed(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "p.yaml",
        "waivers:\n  - {check: FAIR101, location: 'feature:age*', reason: small groups, approved_by: Dana, expires: 2026-12-31}\n",
    )
    (w,) = load_policy(p).waivers
    assert w.expires == dt.date(2026, 12, 31)
    assert w.approved_by == "Dana"
    assert not w.expired(dt.date(2026, 12, 31)) and w.expired(dt.date(2027, 1, 1))


def test_inline_policy_mapping() -> None:
    policy = parse_policy({"extends": "default", "fail_on": "low"}, None)
    assert policy.fail_on is Severity.LOW
    assert [p.name for p in policy.packs] == ["default", "inline"]


def test_bundled_packs_parse_and_plan() -> None:
    from auditor.registry import load_checks

    checks = load_checks()
    for name in bundled_packs():
        assert plan(load_policy(name), checks), name


def test_extends_error_names_the_file_and_key(tmp_path: Path) -> None:
    ext = write(tmp_path, "ext.yaml", "extends: defualt\n")
    with pytest.raises(ConfigError) as err:
        load_policy(ext)
    assert str(err.value).startswith(
        f"{ext}: extends: unknown policy pack 'defualt' (did you mean 'default'?)"
    )
    missing = write(tmp_path, "ext2.yaml", "extends: [default, ./gone.yaml]\n")
    with pytest.raises(ConfigError) as err:
        load_policy(missing)
    assert str(err.value) == f"{missing}: extends: ./gone.yaml: policy file not found"


@pytest.mark.parametrize(
    ("overrides", "sources", "message"),
    [
        (
            {"FAIR101.min_rati": 0.9},
            {"FAIR101.min_rati": "--set FAIR101.min_rati"},
            "--set FAIR101.min_rati: unknown option (did you mean 'min_ratio' or 'min_n'?) "
            "(known options: min_n, min_ratio)",
        ),
        (
            {"FAIR101.min_ratio": "abc"},
            {"FAIR101.min_ratio": "--set FAIR101.min_ratio"},
            "--set FAIR101.min_ratio: expected a number, got 'abc'",
        ),
        (
            {"FAIR101.min_ratio": "abc"},
            None,
            "overrides['FAIR101.min_ratio']: expected a number, got 'abc'",
        ),
        (
            {"FAIR101.min_n": 2.5},
            {"FAIR101.min_n": "audit.yaml: set.FAIR101.min_n"},
            "audit.yaml: set.FAIR101.min_n: expected an integer, got 2.5",
        ),
        (
            {"FAIR109.min_n": 3},
            {"FAIR109.min_n": "--set FAIR109.min_n"},
            "--set FAIR109.min_n: unknown check id 'FAIR109' (did you mean 'FAIR102' or 'FAIR101'?)",
        ),
        (
            {"FAIR102.min_n": 3},
            {"FAIR102.min_n": "--set FAIR102.min_n"},
            "--set FAIR102.min_n: check FAIR102 is disabled by {p}: checks.FAIR102 "
            "(enabled: false); enable it in the policy to set its options",
        ),
    ],
)
def test_override_errors_name_the_override_not_the_policy(
    tmp_path: Path, overrides: dict, sources: dict | None, message: str
) -> None:
    p = write(
        tmp_path,
        "p.yaml",
        "checks:\n  FAIR: {options: {min_n: 40}}\n  FAIR101: {options: {min_ratio: 0.9}}\n"
        "  FAIR102: false\n",
    )
    with pytest.raises(UsageError) as err:
        plan(load_policy(p), CHECKS, overrides, sources)
    assert str(err.value) == message.replace("{p}", str(p))
    if "disabled" not in message:
        assert "p.yaml" not in str(err.value)  # the policy is not blamed for the override


@dataclass(frozen=True)
class RangeOpts:
    low: float = 0.2
    high: float = 0.8

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")


def test_cross_field_error_caused_by_an_override_blames_the_override(tmp_path: Path) -> None:
    checks = {"FAIR103": check("FAIR103", "range", options=RangeOpts)(_fn)}
    p = write(tmp_path, "p.yaml", "checks:\n  FAIR103: {options: {high: 0.5}}\n")
    with pytest.raises(ConfigError) as err:
        plan(load_policy(p), checks, {"FAIR103.low": 0.6}, {"FAIR103.low": "--set FAIR103.low"})
    assert str(err.value) == "--set FAIR103.low: low (0.6) must not exceed high (0.5)"
    # the policy's own inconsistency is still the policy's
    bad = write(tmp_path, "bad.yaml", "checks:\n  FAIR103: {options: {low: 0.9}}\n")
    with pytest.raises(ConfigError) as err:
        plan(load_policy(bad), checks, {"FAIR103.high": 0.85})
    assert str(err.value) == f"{bad}: checks.FAIR103.options: low (0.9) must not exceed high (0.8)"
