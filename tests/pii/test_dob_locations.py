"""Dates of birth in national formats (issue 12, item 2) and whose locations and links they are
(item 7): people's homes versus places of business, people's pages versus product pages.

Values are written by hand or drawn with a seeded ``random`` (no Faker), and the public-records
check runs on the fixture built from the real ProPublica COMPAS file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from auditor.pii.classify import classify, classify_table
from auditor.pii.dates import date_profile, event_date_name
from auditor.pii.engine import get_engine
from auditor.pii.lazy import merge_scans
from auditor.pii.lexicon import name_hint
from auditor.pii.locations import (
    business_place_name,
    personal_place_name,
    table_context,
    url_profile,
)
from auditor.pii.recognizers import LatLongRecognizer
from auditor.pii.scan import scan_column
from auditor.pii.settings import ScanOptions
from auditor.pii.table import scan_frame

TODAY = dt.date(2026, 12, 6)
FIXTURE = Path(__file__).parent / "data" / "public_records.csv"

FIRST = ["Anna", "Lukas", "Sofia", "Mateo", "Yuki", "Olga", "Pierre", "Ingrid", "Tomasz", "Lucia"]
LAST = ["Weber", "Dubois", "Garcia", "Rossi", "Tanaka", "Ivanova", "Jansen", "Nowak", "Silva"]
CITIES = ["Berlin", "Lyon", "Sevilla", "Torino", "Osaka", "Krakow", "Utrecht", "Porto", "Malmo"]
FR_MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
]  # fmt: skip


def _profile(values: list[str], **kw: object) -> object:
    s = pd.Series(values, dtype=object)
    return date_profile(s, np.ones(len(s), dtype=int), today=TODAY, **kw)  # type: ignore[arg-type]


def _birthdays(n: int, seed: int) -> list[dt.date]:
    rng = random.Random(seed)
    return [
        dt.date(rng.randint(1935, 2006), rng.randint(1, 12), rng.randint(1, 28)) for _ in range(n)
    ]


def _people(n: int = 60, seed: int = 7) -> pd.DataFrame:
    """A customer table: names, e-mail, birth dates in three national formats and one unnamed
    birth-date column, event dates, home and store coordinates, cities, profile and product links."""
    rng = random.Random(seed)
    born = _birthdays(n, seed)
    orders = [dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 600)) for _ in range(n)]
    stores = [(52.520008, 13.404954), (48.856613, 2.352222), (40.416775, -3.70379)]
    rows = []
    for i in range(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        b = born[i]
        s = stores[i % 3]
        rows.append(
            {
                "Kundenname": f"{first} {last}",
                "email": f"{first.lower()}.{last.lower()}{i}@example.org",
                "Geburtsdatum": b.strftime("%d.%m.%Y"),
                "生年月日": f"{b.year}年{b.month}月{b.day}日",
                "date_de_naissance": f"{b.day} {FR_MONTHS[b.month - 1]} {b.year}",
                "born_x": f"{b.day}/{b.month}/{b.year}",
                "order_date": orders[i].isoformat(),
                "created_at": f"{orders[i].isoformat()} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:11",
                "home_lat": round(rng.uniform(47.0, 55.0), 6),
                "home_lon": round(rng.uniform(5.0, 15.0), 6),
                "store_lat": s[0],
                "store_lon": s[1],
                "city": rng.choice(CITIES),
                "warehouse_city": rng.choice(CITIES[:3]),
                "profile": rng.choice(
                    [
                        f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{i}",
                        f"https://github.com/{first.lower()}{i}",
                        f"https://example.social/@{last.lower()}{i}",
                        f"https://forum.example.org/users/{1000 + i}",
                    ]
                ),
                "product_url": rng.choice(
                    [
                        f"https://shop.example.com/product/{5000 + i}",
                        f"https://www.example.com/dp/B0{70000 + i}",
                        f"https://store.example.net/p/{i}-blue-kettle",
                        f"https://example.com/item/{i}?ref=mail",
                    ]
                ),
            }
        )
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def people_scan() -> dict[str, dict[str, object]]:
    ts = scan_frame(_people(), ScanOptions())
    return {str(r["column"]): r for r in ts.rows}


# --- values: dates in national formats -------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "fmt", "year"),
    [
        ("12.03.1985", "dd.mm.yyyy", 1985),
        ("3.4.85", "dd.mm.yyyy", 1985),
        ("1985-03-12", "yyyy-mm-dd", 1985),
        ("1985/03/12", "yyyy/mm/dd", 1985),
        ("12/03/1985", "dd/mm/yyyy", 1985),
        ("1985年3月12日", "yyyy年m月d日", 1985),
        ("1985년 3월 12일", "yyyy年m月d日", 1985),
        ("昭和60年3月12日", "era年m月d日", 1985),
        ("平成元年1月8日", "era年m月d日", 1989),
        ("S60.3.12", "era年m月d日", 1985),
        ("3 mars 1985", "d month yyyy", 1985),
        ("12. März 1980", "d month yyyy", 1980),
        ("3 de marzo de 1985", "d month yyyy", 1985),
        ("15 de agosto de 1987", "d month yyyy", 1987),
        ("3 maggio 1970", "d month yyyy", 1970),
        ("12 października 1980", "d month yyyy", 1980),
        ("5 мая 1990 г.", "d month yyyy", 1990),
        ("3-Mar-85", "d month yyyy", 1985),
        ("March 3, 1985", "month d, yyyy", 1985),
    ],
)
def test_date_profile_reads_national_formats(value: str, fmt: str, year: int) -> None:
    p = _profile([value])
    assert p is not None
    assert p.share == 1.0  # type: ignore[attr-defined]
    assert p.formats == (fmt,)  # type: ignore[attr-defined]
    assert p.year_min == year  # type: ignore[attr-defined]


def test_date_profile_rejects_non_dates_and_impossible_dates() -> None:
    assert _profile(["ABC-123", "LOT-2024-00483", "blue", "978-3-16-148410-0"]) is None
    assert _profile(["31.02.1985", "45.13.1990", "00.00.2000"]) is None  # no such days
    # 8 bare digits are a date only when the column name says birth
    assert _profile(["19850312", "19721101"]) is None
    compact = _profile(["19850312", "19721101"], allow_compact=True)
    assert compact is not None and compact.formats == ("yyyymmdd",)  # type: ignore[attr-defined]


def test_date_profile_decides_day_month_order_per_column() -> None:
    us = _profile(["3/12/1985", "11/1/1972", "7/23/1990"])  # 23 can only be a day: m/d/y
    eu = _profile(["12/3/1985", "1/11/1972", "23/7/1990"])  # 23 first: d/m/y
    assert us is not None and eu is not None
    assert us.share == eu.share == 1.0  # type: ignore[attr-defined]


def test_birth_dates_versus_event_dates_by_value() -> None:
    born = [d.strftime("%d.%m.%Y") for d in _birthdays(80, 1)]
    p = _profile(born)
    assert p is not None and p.birth_reason().startswith("dates (dd.mm.yyyy) of ages 0-110")  # type: ignore[attr-defined]
    orders = [(dt.date(2023, 1, 1) + dt.timedelta(days=7 * i)).isoformat() for i in range(80)]
    assert _profile(orders).birth_reason() == ""  # type: ignore[attr-defined]  # two recent years
    stamps = [f"{d.isoformat()} 10:1{i % 10}:00" for i, d in enumerate(_birthdays(80, 2))]
    assert _profile(stamps).birth_reason() == ""  # type: ignore[attr-defined]  # times of day
    future = [dt.date(2030 + i % 50, 1, 1).isoformat() for i in range(80)]
    assert _profile(future).birth_reason() == ""  # type: ignore[attr-defined]


# --- names ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "column",
    [
        "dob", "DOB", "birth_date", "BirthDate", "date_of_birth", "birthday", "Geburtsdatum",
        "geb_datum", "GebDatum", "date_de_naissance", "date_naissance", "fecha_de_nacimiento",
        "fecha_nacimiento", "data_di_nascita", "data_nascimento", "data_de_nascimento",
        "geboortedatum", "födelsedatum", "fødselsdato", "syntymäaika", "data_urodzenia",
        "datum_narození", "дата_рождения", "生年月日", "出生日期", "생년월일", "customer_dob",
        "Patient Geburtsdatum",
    ],
)  # fmt: skip
def test_birth_date_column_names_in_many_languages(column: str) -> None:
    hint = name_hint(column)
    assert hint is not None and hint.entity == "DATE_OF_BIRTH", column


@pytest.mark.parametrize(
    ("column", "entity"),
    [
        ("order_date", None), ("created_at", None), ("lieu_de_naissance", "LOCATION"),
        ("Geburtsort", "LOCATION"), ("Wohnort", "LOCATION"), ("ciudad", "LOCATION"),
        ("birth_place", "LOCATION"), ("Breitengrad", "PRECISE_LOCATION"),
        ("longitud", "PRECISE_LOCATION"), ("緯度", "PRECISE_LOCATION"), ("profile_url", "URL"),
        ("sort_order", None),
    ],
)  # fmt: skip
def test_place_and_event_column_names(column: str, entity: str | None) -> None:
    hint = name_hint(column)
    assert (hint.entity if hint else None) == entity, column


@pytest.mark.parametrize(
    "column",
    [
        "order_date",
        "created_at",
        "jail_in",
        "c_jail_in",
        "screening_date",
        "hire_date",
        "customer_since",
        "Bestelldatum",
    ],
)
def test_event_date_names(column: str) -> None:
    assert event_date_name(column)


@pytest.mark.parametrize("column", ["dob", "Geburtsdatum", "date", "born_x", "d1"])
def test_not_event_date_names(column: str) -> None:
    assert not event_date_name(column)


@pytest.mark.parametrize(
    ("column", "word"),
    [
        ("store_lat", "store"), ("warehouse_city", "warehouse"), ("depot_lon", "depot"),
        ("branch_office_city", "branch"), ("merchant_lat", "merchant"), ("Filiale_Ort", "filiale"),
        ("magasin_ville", "magasin"), ("tienda_ciudad", "tienda"), ("lager_standort", "lager"),
        ("店舗_緯度", "店舗"), ("home_lat", None), ("customer_store_city", None),
        ("residence_city", None), ("patient_lat", None), ("city", None),
    ],
)  # fmt: skip
def test_business_place_names(column: str, word: str | None) -> None:
    assert business_place_name(column) == word


def test_personal_place_names() -> None:
    assert personal_place_name("home_lat") == "home"
    assert personal_place_name("Wohnort") == "wohnort"
    assert personal_place_name("store_lat") is None


# --- URL values -------------------------------------------------------------------------------
def test_url_profile_people_pages_versus_product_pages() -> None:
    people = [
        "https://www.linkedin.com/in/jane-roe", "https://github.com/jroe", "https://x.com/jroe",
        "https://mastodon.social/@jroe", "https://example.org/users/1234",
        "https://example.org/profile/jroe", "https://example.org/view?uid=8812",
        "mailto:someone@example.org", "https://www.reddit.com/u/jroe",
    ]  # fmt: skip
    things = [
        "https://shop.example.com/product/123", "https://www.amazon.com/dp/B000123XYZ",
        "https://example.com/p/kettle-blue", "https://example.com/item/9",
        "https://example.com/sku/88", "https://example.com/shop/kettles", "https://example.com/cart",
        "https://example.com/docs/install", "https://cdn.example.com/img/kettle.jpg",
        "https://github.com/explore",
    ]  # fmt: skip
    n = np.ones
    p = url_profile(pd.Series(people, dtype=object), n(len(people)))
    assert p is not None and p.person == 1.0 and p.verdict() == "person"
    t = url_profile(pd.Series(things, dtype=object), n(len(things)))
    # github.com/explore is GitHub's own page: neither a person's nor a product's
    assert t is not None and t.person == 0.0 and t.thing == 0.9 and t.verdict() == "thing"
    assert url_profile(pd.Series(["red", "blue"], dtype=object), n(2)) is None


# --- coordinates in text ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("52.5200, 13.4050", True),
        ("geo:52.52001,13.40495", True),
        ("52.5200° N, 13.4050° E", True),
        ("52°31'12.0\"N 13°24'18.0\"E", True),
        ("40°26′46″N 79°58′56″W", True),
        ("52.52, 13.40", False),  # 2 decimals: about 1 km, not precise
        ("95°31'12\"N 13°24'18\"E", False),  # no latitude over 90
        ("52.5200° Q, 13.4050° E", False),
    ],
)
def test_latlong_recognizer_formats(text: str, found: bool) -> None:
    hits = LatLongRecognizer().analyze(text, ["PRECISE_LOCATION"])
    assert bool(hits) is found


# --- whole tables -----------------------------------------------------------------------------
def test_birth_dates_in_national_formats_are_flagged(
    people_scan: dict[str, dict[str, object]],
) -> None:
    for col in ("Geburtsdatum", "生年月日", "date_de_naissance"):
        row = people_scan[col]
        assert row["kind"] == "quasi_identifier", col
        assert row["entity_types"] == ["DATE_OF_BIRTH"], col
        assert "HIPAA 164.514(b)(2)(i)(C)" in row["regulations"], col  # type: ignore[operator]


def test_no_raw_value_in_the_verdicts() -> None:
    df = _people()
    out = json.dumps(list(scan_frame(df, ScanOptions()).rows), default=str, ensure_ascii=False)
    for col in ("Geburtsdatum", "生年月日", "date_de_naissance", "born_x", "home_lat", "profile"):
        leaked = [v for v in df[col].astype(str).unique() if v in out]
        assert leaked == [], col


def test_unnamed_birth_dates_in_a_table_of_people(
    people_scan: dict[str, dict[str, object]],
) -> None:
    row = people_scan["born_x"]
    assert row["kind"] == "quasi_identifier"
    assert row["entity_types"] == ["DATE_OF_BIRTH"]
    why = row["evidence"]["context"]["DATE_OF_BIRTH"]  # type: ignore[index]
    assert "ages 0-110" in why and "'Kundenname' (PERSON)" in why


def test_event_dates_stay_clean(people_scan: dict[str, dict[str, object]]) -> None:
    for col in ("order_date", "created_at"):
        assert people_scan[col]["kind"] == "none", col
        assert people_scan[col]["entity_types"] == [], col


def test_home_coordinates_flagged_store_coordinates_not(
    people_scan: dict[str, dict[str, object]],
) -> None:
    for col in ("home_lat", "home_lon"):
        assert people_scan[col]["kind"] == "direct_identifier", col
        assert people_scan[col]["entity_types"] == ["PRECISE_LOCATION"], col
    for col in ("store_lat", "store_lon"):
        row = people_scan[col]
        assert row["kind"] == "none", col
        assert row["masked_examples"] == [], col
        assert "'store'" in row["evidence"]["context"]["PRECISE_LOCATION"]  # type: ignore[index]


def test_city_of_people_flagged_warehouse_city_not(
    people_scan: dict[str, dict[str, object]],
) -> None:
    assert people_scan["city"]["kind"] == "quasi_identifier"
    assert people_scan["city"]["entity_types"] == ["LOCATION"]
    wh = people_scan["warehouse_city"]
    assert wh["kind"] == "none"
    assert "'warehouse'" in wh["evidence"]["context"]["LOCATION"]  # type: ignore[index]


def test_profile_links_flagged_product_links_not(people_scan: dict[str, dict[str, object]]) -> None:
    prof = people_scan["profile"]
    assert prof["kind"] == "direct_identifier" and prof["entity_types"] == ["URL"]
    assert "person's page" in prof["evidence"]["context"]["URL"]  # type: ignore[index]
    prod = people_scan["product_url"]
    assert prod["kind"] == "none" and prod["entity_types"] == []
    assert "product, article or asset pages" in prod["evidence"]["context"]["URL"]  # type: ignore[index]


def test_places_in_a_table_about_no_one() -> None:
    """Weather stations: coordinates and cities of no data subject; the same columns next to a
    user id are a person's trace."""
    rng = random.Random(3)
    n = 40
    base = pd.DataFrame(
        {
            "lat": [round(rng.uniform(47, 55), 5) for _ in range(n)],
            "lon": [round(rng.uniform(5, 15), 5) for _ in range(n)],
            "city": [rng.choice(CITIES) for _ in range(n)],
            "temperature_c": [round(rng.uniform(-5, 30), 1) for _ in range(n)],
        }
    )
    rows = {r["column"]: r for r in scan_frame(base, ScanOptions()).rows}
    for col, entity in (
        ("lat", "PRECISE_LOCATION"),
        ("lon", "PRECISE_LOCATION"),
        ("city", "LOCATION"),
    ):
        assert rows[col]["kind"] == "none", col
        assert "no other column identifies people" in rows[col]["evidence"]["context"][entity]
    traced = base.assign(user_id=[f"u{rng.randint(1000, 9999)}" for _ in range(n)])
    rows = {r["column"]: r for r in scan_frame(traced, ScanOptions()).rows}
    assert rows["lat"]["entity_types"] == ["PRECISE_LOCATION"]
    assert rows["lat"]["kind"] == "direct_identifier"
    assert rows["city"]["entity_types"] == ["LOCATION"]


def test_single_column_verdict_without_table_keeps_the_name_reading() -> None:
    """classify() without a table context (one column on its own) still flags ``lat`` and
    ``city``; a business name is enough to clear ``depot_lat``."""
    opts = ScanOptions()
    engine = get_engine(opts)
    lat = pd.Series([52.520008, 48.856613, 40.416775, 41.902782, 52.370216])
    assert (
        classify(scan_column(engine, lat, "lat", 0, opts, 0), opts)["kind"] == "direct_identifier"
    )
    assert classify(scan_column(engine, lat, "depot_lat", 0, opts, 0), opts)["kind"] == "none"


def test_table_context_lists_people_evidence() -> None:
    rows = [
        {"column": "name", "kind": "direct_identifier", "entity_types": ["PERSON"]},
        {"column": "steuer_id", "kind": "direct_identifier", "entity_types": ["DE_TAX_ID"]},
        {"column": "lat", "kind": "direct_identifier", "entity_types": ["PRECISE_LOCATION"]},
        {"column": "page", "kind": "direct_identifier", "entity_types": ["URL"]},
        {"column": "driver_ref", "kind": "none", "entity_types": []},
        {"column": "notes", "kind": "free_text_pii", "entity_types": ["PHONE_NUMBER"]},
    ]
    ctx = table_context(rows)
    assert dict(ctx.evidence) == {
        "name": "PERSON",
        "steuer_id": "DE_TAX_ID",
        "driver_ref": "named for people",
        "notes": "free text naming people",
    }
    assert ctx.about_people("lat").startswith("the table is about people: 'name' (PERSON)")
    assert table_context(rows[2:4]).about_people("lat") == ""


def test_public_records_birth_dates_found_by_value_not_events() -> None:
    """The fixture from the real ProPublica COMPAS file with its ``dob`` column renamed: the birth
    dates are still found (by value, in a table of people); jail, offence, arrest and screening
    dates are not birth dates."""
    df = pd.read_csv(FIXTURE, dtype=str).rename(columns={"dob": "col_7"})
    rows = {r["column"]: r for r in scan_frame(df, ScanOptions()).rows}
    assert rows["col_7"]["entity_types"] == ["DATE_OF_BIRTH"]
    assert rows["col_7"]["kind"] == "quasi_identifier"
    for col in (
        "compas_screening_date", "c_jail_in", "c_jail_out", "c_offense_date", "r_offense_date",
        "screening_date", "v_screening_date",
    ):  # fmt: skip
        assert "DATE_OF_BIRTH" not in rows[col]["entity_types"], col
        assert rows[col]["kind"] == "none", col


def test_partitioned_scans_keep_dates_and_links() -> None:
    """A full scan on Dask/Spark/Polars merges per-partition scans (as JSON dicts): the date and
    URL profiles survive the merge, so the verdicts match the in-memory ones."""
    df = _people(80)
    parts = [
        json.loads(json.dumps({k: dataclasses.asdict(v) for k, v in t.scans.items()}, default=str))
        for t in (scan_frame(df.iloc[:40], ScanOptions()), scan_frame(df.iloc[40:], ScanOptions()))
    ]
    scans = {c: merge_scans([p[c] for p in parts]) for c in df.columns}
    dates = scans["Geburtsdatum"].dates
    assert dates is not None and dates.rows == 80 and dates.formats == ("dd.mm.yyyy",)
    urls = scans["profile"].urls
    assert urls is not None and urls.person == 1.0
    got = {
        r["column"]: (r["kind"], r["entity_types"]) for r in classify_table(scans, ScanOptions())
    }
    assert got["born_x"] == ("quasi_identifier", ["DATE_OF_BIRTH"])
    assert got["生年月日"] == ("quasi_identifier", ["DATE_OF_BIRTH"])
    assert got["profile"] == ("direct_identifier", ["URL"])
    assert got["product_url"] == ("none", [])
    assert got["store_lat"] == ("none", [])
    assert got["home_lat"] == ("direct_identifier", ["PRECISE_LOCATION"])
