"""Routing by digit count: a value is sent only to recognizers whose patterns can match it.

The bound is read from each recognizer's own regexes, so the routing changes no result; the
tests compare routed and unrouted analysis span for span on varied values.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import auditor.pii.batch as batch
from auditor.pii.batch import analyze_values, pattern_min_digits
from auditor.pii.engine import get_engine
from auditor.pii.settings import ScanOptions

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


@pytest.mark.parametrize(
    ("regex", "digits"),
    [
        (r"\b\d{3}-\d{2}-\d{4}\b", 9),  # US SSN
        (r"(?<![\w\-./+])[1-8]\d{5}(?:18|19|20)\d{9}[\dXx]", 17),  # CN resident id: X check
        (r"\b[A-Z]{3}[PH][A-Z]\d{4}[A-Z]\b", 4),  # IN PAN
        (r"(?:\d{2}|2[AB])\d", 2),  # a branch takes its smaller side
        (r"[0-9A-F]{8}", 0),  # hex may be all letters
        (r"\bMRN[-:# ]{0,2}\d{5,10}\b|\b\d{6,10}\b", 5),
        (r"(?=\d{4})\w+", 0),  # a lookahead proves nothing here (conservative)
        (r"\p{Lu}\d{3}", 0),  # regex-module syntax the stdlib cannot read: no bound
    ],
)
def test_min_digits_of_a_pattern(regex: str, digits: int) -> None:
    assert pattern_min_digits(regex) == digits


def test_bounds_of_the_default_engine() -> None:
    bounds = batch._entity_min_digits(get_engine(ScanOptions()))
    assert bounds["US_SSN"] == 9
    assert bounds["CREDIT_CARD"] == 12
    assert bounds["CN_RESIDENT_ID"] == 17
    assert bounds["IMEI"] == 15
    # recognizers that do not match by their patterns alone are never routed away
    assert bounds["PHONE_NUMBER"] == 0
    assert bounds["PERSON"] == 0
    assert bounds["EMAIL_ADDRESS"] == 0


VALUES = [
    "536-22-1234", "my ssn is 536-22-1234", "4111 1111 1111 1111", "card 5555555555554444",
    "DE89 3704 0044 0532 0130 00", "Steuer-ID 65929970489", "BSN 111222333", "PESEL 44051401359",
    "CPF 529.982.247-25", "Aadhaar 2341 2341 2346", "ABCPE1234F", "11010519491231002X",
    "john.smith@example.com", "+49 30 1234567", "212-555-0113", "Call 020 7946 0958 today",
    "12 rue de la Paix, 75002 Paris", "1600 Pennsylvania Avenue NW", "age 93", "10115",
    "48.8566, 2.3522", "SKU-2291-AX", "LOT-2024-00483", "978-3-16-148410-0", "v2.14.3",
    "red", "Maria Garcia", "MRN 1234567", "", "3", "2024-03-01", "01.02.1980",
    "550e8400-e29b-41d4-a716-446655440000", "AKIAIOSFODNN7EXAMPLE", "192.168.0.1",
    "ORD-00012591", "SKU-212-555-0123", "tel0301234567", "M2125550113", "ph-2125550113",
    "a@b.c", "jane.doe@example.invalidtld", "hans.muller@beispiel.de", "x@y.com and 212-555-0113",
    "john.smith.2125550113@example.com", "Hauptstraße 5, 10115 Berlin", "Mr. smith",
    "see www.example.org/about", "Visit HTTPS://EXAMPLE.COM now", "end. Next sentence", "v1.2.3",
]  # fmt: skip


@pytest.mark.parametrize("tier", ["patterns", "context"])
@pytest.mark.parametrize("context", [[], ["ssn", "national id", "card", "phone"]])
def test_routed_equals_unrouted(
    tier: str, context: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from _tables import mixed_table

    opts = ScanOptions(tier=tier)
    engine = get_engine(opts)
    table = mixed_table(300, seed=3)
    values = VALUES + [str(v) for c in table.columns for v in table[c].dropna().unique()[:60]]
    routed = analyze_values(engine, values, context, opts)
    monkeypatch.setattr(batch, "ROUTING", False)
    unrouted = analyze_values(engine, values, context, opts)
    assert routed == unrouted
    found = {s.entity for spans in routed for s in spans}
    assert {"US_SSN", "CREDIT_CARD", "EMAIL_ADDRESS", "IBAN_CODE", "PHONE_NUMBER"} <= found
    by_value = dict(zip(values, routed))
    assert [s.entity for s in by_value["hans.muller@beispiel.de"]] == ["EMAIL_ADDRESS"]
    assert by_value["ORD-00012591"] == []


def test_url_patterns_need_a_dot_before_a_letter() -> None:
    """Every URL pattern holds one mandatory ``[.]`` + top-level-domain list whose entries all
    start with a letter, so ``SHAPE_NEEDS['URL']`` routes nothing a URL pattern could match."""
    import re

    engine = get_engine(ScanOptions())
    urls = [r for r in engine.analyzer.registry.recognizers if "URL" in r.supported_entities]
    assert urls
    for rec in urls:
        for p in rec.patterns:
            assert p.regex.count("[.](?:") == 1, p.name
            tlds = p.regex.split("[.](?:", 1)[1]
            alts = re.findall(r"\(\?:([^()|]+)\)", tlds)
            assert len(alts) > 500 and all(a[0].isalpha() for a in alts), p.name
    assert batch.SHAPE_NEEDS["URL"].search("see example.com")
    assert not batch.SHAPE_NEEDS["URL"].search("696.241.3826x4362")


def test_routing_shortcuts() -> None:
    assert batch._code_only("ORD-00012591")
    assert batch._code_only("LOT-2024-00483")
    assert not batch._code_only("tel0301234567")  # a phone label, not a code
    assert not batch._code_only("M2125550113")
    assert not batch._code_only("212-555-0113")
    assert not batch._code_only("ORD 00012591")  # two tokens: the phone pass decides
