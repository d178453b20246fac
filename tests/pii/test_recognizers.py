"""auditor's own recognizers, the lexicon and masking."""

from __future__ import annotations

import random

import pytest

from auditor.mask import mask
from auditor.pii.batch import analyze_values
from auditor.pii.engine import get_engine
from auditor.pii.lexicon import name_hint, sensitive_attribute_of, special_category_of
from auditor.pii.recognizers import luhn_ok, shannon_entropy, vin_ok
from auditor.pii.settings import ScanOptions
from auditor.pii.synth import valid_vin


def _found(text: str, context: tuple[str, ...] = ()) -> dict[str, float]:
    opts = ScanOptions()
    spans = analyze_values(get_engine(opts), [text], list(context), opts)[0]
    return {s.entity: round(s.score, 2) for s in spans}


def test_vin_check_digit() -> None:
    assert vin_ok("1HGCM82633A004352")
    assert not vin_ok("1HGCM82643A004352")  # wrong check digit
    vin = valid_vin(random.Random(1))
    assert vin_ok(vin)
    assert _found(f"car {vin}")["VIN"] == 1.0
    assert "VIN" not in _found("car 1HGCM82643A004352")


def test_imei_luhn_and_context() -> None:
    assert luhn_ok("490154203237518")
    assert _found("490154203237518", ("imei",)) == {"IMEI": 0.65}
    assert "IMEI" not in _found("490154203237519", ("imei",))


def test_mrn_age_latlong_street() -> None:
    assert _found("MRN: 00123456")["MEDICAL_RECORD_NUMBER"] == 1.0  # 0.7 + in-text context
    assert _found("01234567", ("mrn",)) == {"MEDICAL_RECORD_NUMBER": 0.4}
    assert "AGE_OVER_89" in _found("The patient is a 93-year-old woman")
    assert "AGE_OVER_89" not in _found("The patient is a 73-year-old woman")
    assert "PRECISE_LOCATION" in _found("seen at 40.712776, -74.005974")
    assert "PRECISE_LOCATION" not in _found("seen at 40.7, -74.0")
    assert "STREET_ADDRESS" in _found("ship to 1600 Pennsylvania Avenue")


def test_credentials() -> None:
    assert _found("key AKIAIOSFODNN7EXAMPLE")["CREDENTIAL"] == 0.9
    assert _found("ghp_" + "aB3" * 12)["CREDENTIAL"] == 0.95
    assert "CREDENTIAL" in _found("password=hunter22")
    token = "Zx8fQ2LmN7pR4tVw9YbC3dEh6JkS"
    assert shannon_entropy(token) > 4.0
    assert "CREDENTIAL" not in _found(token)  # 0.25 without context
    assert _found(token, ("api_token",)) == {"CREDENTIAL": 0.6}
    assert "CREDENTIAL" not in _found("0f8fad5bd9cb469fa16570867728950e", ("token",))  # hex id


def test_name_gazetteer_in_text() -> None:
    assert _found("Call John Smith tomorrow") == {"PERSON": 0.6}
    assert _found("Lake Jennifer Port") == {}


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("name", "PERSON"), ("customer_name", "PERSON"), ("FirstName", "PERSON"),
        ("product_name", None), ("passenger_count", None), ("pass", "CREDENTIAL"),
        ("e_mail", "EMAIL_ADDRESS"), ("EmailAddress", "EMAIL_ADDRESS"), ("ip_address", "IP_ADDRESS"),
        ("cc_num", "CREDIT_CARD"), ("tel", "PHONE_NUMBER"), ("hotel", None), ("state", None),
        ("status_state", None), ("dob", "DATE_OF_BIRTH"), ("usage", None), ("zip", "US_ZIP"),
        ("shipping_address", "STREET_ADDRESS"), ("latitude", "PRECISE_LOCATION"),
    ],
)  # fmt: skip
def test_column_name_lexicon_is_precise(name: str, entity: str | None) -> None:
    hint = name_hint(name)
    assert (hint.entity if hint else None) == entity


def test_special_category_lexicon_shared_with_fairness() -> None:
    assert special_category_of("ethnicity") == "racial_or_ethnic_origin"
    assert special_category_of("ReligiousAffiliation") == "religious_or_philosophical_beliefs"
    assert special_category_of("is_union_member") == "trade_union_membership"
    assert special_category_of("icd10_code") == "health_data"
    assert special_category_of("prior_convictions") == "criminal_convictions_and_offences"
    assert special_category_of("treatment_group") is None
    assert special_category_of("party_size") is None
    assert special_category_of("gender") is None
    assert sensitive_attribute_of("gender") == "sex_or_gender"
    assert sensitive_attribute_of("race") == "racial_or_ethnic_origin"


def test_mask_never_returns_the_value() -> None:
    assert mask("john.doe@example.com", "EMAIL_ADDRESS") == "j***@e***.com"
    assert mask("536-22-6789", "US_SSN") == "***-**-6789"
    assert mask("John Smith", "PERSON") == "J*** S***"
    assert mask("4111 1111 1111 1111", "CREDIT_CARD") == "**** **** **** 1111"
    assert mask("Zx8fQ2LmN7pR4tVw9YbC3dEh6JkS", "CREDENTIAL") == "Zx***(28 chars)"


def test_ip_addresses_are_masked_by_part() -> None:
    assert mask("192.168.1.10", "IP_ADDRESS") == "***.***.*.10"
    assert mask("10.0.0.254", "IP_ADDRESS") == "**.*.*.254"
    assert mask("2001:db8::ff00:42:8329", "IP_ADDRESS") == "****:***::****:**:8329"
    assert mask("::ffff:10.0.0.1", "IP_ADDRESS") == "::****:**.*.*.1"
    assert mask("192.168.1.10") == "***.***.*.10"  # without an entity type too


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("race", "racial_or_ethnic_origin"), ("race_time", None), ("race_id", None),
        ("horse_race_results", None), ("prison_capacity", None), ("in_prison", "criminal_convictions_and_offences"),
        ("jail_break_game_level", None), ("eu_union_member_state", None),
        ("union_member", "trade_union_membership"), ("crime_rate", None),
        ("health_check", None), ("rx_bytes", None), ("health_status", "health_data"),
        ("faith_score", "religious_or_philosophical_beliefs"),  # the values decide (classify)
    ],
)  # fmt: skip
def test_special_category_lexicon_skips_compound_non_personal_names(
    name: str, category: str | None
) -> None:
    assert special_category_of(name) == category
