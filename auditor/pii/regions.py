"""Phone regions a table points to: a country column, and the country codes of its numbers.

A national number (``030 1234567``, ``06 12 34 56 78``) is only a phone number in its country's
numbering plan, and the scan reads numbers in the regions of ``phone_regions`` (default ``US``).
:func:`infer_phone_regions` adds the regions the table itself names:

- a column of ISO 3166 alpha-2 country codes (``DE``, ``fr``, ``UK`` read as ``GB``) under any
  name, or of English country names under a country column name (``country``, ``land``,
  ``pays``, ``país``, ``paese``, ``国``, ...);
- the country codes written on the table's numbers (``+49 30 1234567``, ``0033 6 ...``): a
  column whose numbers mostly carry ``+44`` makes its bare ``020 7946 0958`` neighbours British.

A region counts when it holds at least 2 % of the rows that name one; at most 8 regions are
added, most frequent first, after the ones given. What was inferred, and from which column, is
reported in the scan table (``phone_regions_inferred``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import phonenumbers

from ..attributes import normalise_name

__all__ = ["MAX_INFERRED", "infer_phone_regions"]

MAX_INFERRED = 8
_MIN_SHARE = 0.02
_SAMPLE = 2000

_COUNTRY_NAME = re.compile(
    r"_(country|country_?code|country_?iso|iso_?country|nation|nationality_?code|land|pays"
    r"|pais|paese|nazione|staat|kraj|maa|strana|страна|国|国家|国籍|나라|국가)_"
)
# English names of the regions most tables hold (the ISO code is the reliable form)
_NAMES = {
    "united states": "US", "usa": "US", "united states of america": "US", "canada": "CA",
    "united kingdom": "GB", "great britain": "GB", "england": "GB", "ireland": "IE",
    "germany": "DE", "france": "FR", "spain": "ES", "italy": "IT", "portugal": "PT",
    "netherlands": "NL", "belgium": "BE", "switzerland": "CH", "austria": "AT",
    "sweden": "SE", "norway": "NO", "denmark": "DK", "finland": "FI", "poland": "PL",
    "czech republic": "CZ", "czechia": "CZ", "greece": "GR", "turkey": "TR", "russia": "RU",
    "ukraine": "UA", "brazil": "BR", "mexico": "MX", "argentina": "AR", "india": "IN",
    "china": "CN", "japan": "JP", "south korea": "KR", "korea": "KR", "australia": "AU",
    "new zealand": "NZ", "south africa": "ZA", "singapore": "SG",
}  # fmt: skip
_REGIONS = frozenset(phonenumbers.SUPPORTED_REGIONS)
_ALIASES = {"UK": "GB", "EL": "GR"}
_PLUS_CODE = re.compile(r"^\s*(?:\+|00)\s?(\d{1,3})")


def _region_of_value(value: str, named: bool) -> str | None:
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        code = _ALIASES.get(text.upper(), text.upper())
        return code if code in _REGIONS else None
    if named:
        return _NAMES.get(text.casefold())
    return None


def _country_column(name: str, values: Sequence[str]) -> Counter[str] | None:
    """Regions named by a country column (codes under any name, names under a country name)."""
    named = bool(_COUNTRY_NAME.search(normalise_name(name)))
    counts: Counter[str] = Counter()
    for v in values:
        region = _region_of_value(v, named)
        if region:
            counts[region] += 1
    # codes under a neutral name: most values must be codes (``ID``, ``NO`` alone are words)
    needed = 0.5 if named else 0.9
    if values and sum(counts.values()) >= needed * len(values) and len(counts) >= 1:
        return counts
    return None


def _number_codes(values: Sequence[str]) -> Counter[str]:
    """Regions of the country codes written on phone-shaped values."""
    counts: Counter[str] = Counter()
    for v in values:
        m = _PLUS_CODE.match(v)
        if not m or sum(c.isdigit() for c in v) < 7:
            continue
        digits = m.group(1)
        for k in (1, 2, 3):
            if k > len(digits):
                break
            region = phonenumbers.region_code_for_country_code(int(digits[:k]))
            if region != "ZZ":
                counts[str(region)] += 1
                break
    return counts


def infer_phone_regions(
    df: Any, given: Sequence[str]
) -> tuple[tuple[str, ...], dict[str, tuple[str, ...]], dict[str, str]]:
    """For a pandas frame: (regions for every column: ``given`` then those a country column
    names; extra regions per column from the country codes on its own numbers; evidence naming
    each inferred region's source column).

    A country column speaks for the whole table (the people it describes have their numbers in
    other columns); the country codes on a column's numbers speak for that column only (they
    tell how its bare neighbours are written, not how a product column's codes are)."""
    table: Counter[str] = Counter()
    per_column: dict[str, tuple[str, ...]] = {}
    table_sources: dict[str, str] = {}
    column_sources: dict[str, str] = {}
    for col in df.columns:
        s = df[col]
        if s.dtype.kind not in "OSU" and str(s.dtype) not in ("string", "str", "category"):
            continue
        values = [str(v) for v in s.dropna().head(_SAMPLE).tolist()]
        if not values:
            continue
        counts = _country_column(str(col), values)
        if counts is not None:
            total = sum(counts.values())
            for region, n in counts.items():
                if n >= _MIN_SHARE * total:
                    table[region] += n
                    table_sources.setdefault(region, f"{col} (country column)")
            continue
        codes = _number_codes(values)
        total = sum(codes.values())
        if total < 0.3 * len(values):
            continue
        own = [r for r, n in codes.most_common() if n >= _MIN_SHARE * total][:MAX_INFERRED]
        if own:
            per_column[str(col)] = tuple(own)
            for region in own:
                column_sources.setdefault(region, f"{col} (country codes of its numbers)")
    extra = [r for r, _ in table.most_common() if r not in given][:MAX_INFERRED]
    regions = (*given, *extra)
    per_column = {c: tuple(r for r in own if r not in regions) for c, own in per_column.items()}
    per_column = {c: own for c, own in per_column.items() if own}
    evidence = {r: table_sources[r] for r in extra}
    for own_regions in per_column.values():
        for r in own_regions:
            evidence.setdefault(r, column_sources[r])
    return regions, per_column, evidence
