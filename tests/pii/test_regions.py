"""Phone regions inferred from the table: a country column, and the numbers' country codes."""

from __future__ import annotations

import random

import pandas as pd

from auditor.pii.measure import scan_frame
from auditor.pii.regions import infer_phone_regions
from auditor.pii.settings import ScanOptions


def _contacts(n: int = 120, seed: int = 1) -> pd.DataFrame:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        country = ["DE", "FR", "GB"][i % 3]
        phone = {
            "DE": f"030 {rng.randrange(1_000_000, 9_999_999)}",
            "FR": "06 " + " ".join(f"{rng.randrange(10, 99)}" for _ in range(4)),
            "GB": f"020 7946 {rng.randrange(1000, 9999)}",
        }[country]
        code = f"{rng.randrange(100, 999)}-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}"
        rows.append({"kontakt": phone, "land": country.lower(), "product_code": code})
    return pd.DataFrame(rows)


def test_country_column_makes_national_numbers_phones() -> None:
    df = _contacts()
    before = scan_frame(df, ScanOptions(infer_phone_regions=False))
    assert before.row("kontakt")["kind"] == "none"  # read as US numbers: none is valid
    after = scan_frame(df, ScanOptions())
    assert after.row("kontakt")["kind"] == "direct_identifier"
    assert after.row("kontakt")["entity_types"] == ["PHONE_NUMBER"]
    assert after.meta["phone_regions_inferred"] == {
        "DE": "land (country column)",
        "FR": "land (country column)",
        "GB": "land (country column)",
    }
    # product codes shaped like North American numbers stay clean in the new regions too
    assert after.row("product_code")["kind"] == "none"
    assert after.row("land")["kind"] == "none"


def test_country_codes_on_the_numbers_and_names() -> None:
    values = ["+44 20 7946 0958", "+44 161 496 0000", "020 7946 0123", "+33 6 12 34 56 78"]
    df = pd.DataFrame({"tel": values * 10, "country": ["United Kingdom"] * 40})
    regions, own, evidence = infer_phone_regions(df, ("US",))
    # the country column speaks for the table; the numbers' codes for their own column only
    assert regions == ("US", "GB")
    assert own == {"tel": ("FR",)}
    assert evidence == {
        "GB": "country (country column)",
        "FR": "tel (country codes of its numbers)",
    }
    # two-letter words under a neutral name are not a country column
    words = pd.DataFrame({"status": ["no", "id", "ok", "no"] * 10})
    assert infer_phone_regions(words, ("US",)) == (("US",), {}, {})


def test_codes_on_one_column_never_make_another_columns_codes_phones() -> None:
    rng = random.Random(7)
    phones = [f"+{cc} {rng.randrange(10**8, 10**9)}" for cc in (43, 351, 47, 358, 55) * 8]
    codes = [
        f"{rng.randrange(100, 999)}-{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}"
        for _ in range(40)
    ]
    df = pd.DataFrame({"telefono": phones, "codigo_producto": codes})
    scan = scan_frame(df, ScanOptions())
    assert scan.row("codigo_producto")["kind"] == "none"
    assert set(scan.meta["phone_regions_inferred"]) >= {"AT", "PT", "NO", "FI", "BR"}


def test_given_regions_stay_first_and_nothing_inferred_without_evidence() -> None:
    df = pd.DataFrame({"country": ["DE", "DE", "AT", "CH"] * 5})
    regions, own, evidence = infer_phone_regions(df, ("GB",))
    assert regions == ("GB", "DE", "AT", "CH") and own == {}
    assert list(evidence) == ["DE", "AT", "CH"]
    plain = pd.DataFrame({"amount": [1.5, 2.0], "note": ["paid", "open"]})
    assert infer_phone_regions(plain, ("US",)) == (("US",), {}, {})
