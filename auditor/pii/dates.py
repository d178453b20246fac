"""Dates in national formats, and whether a date column holds people's birth dates.

:func:`date_profile` parses a column's distinct values (vectorised: one compiled regex per
format family through pandas ``.str.extract``) in the formats people write dates in:
ISO ``yyyy-mm-dd`` (and ``yyyy/mm/dd``, ``yyyy.mm.dd``, with or without a time), ``dd.mm.yyyy``
and ``d.m.yy`` (German, Nordic, Slavic, ...), ``dd/mm/yyyy`` or ``mm/dd/yyyy`` (the order
decided per column from days over 12), ``dd-mm-yyyy``, ``yyyy年m月d日`` (Japanese, Chinese),
``yyyy년 m월 d일`` (Korean), and month names in English, German, French, Spanish, Italian,
Portuguese, Dutch, the Nordic languages, Finnish, Polish, Czech and Russian (``3 mars 1985``,
``12. März 1980``, ``3 de marzo de 1985``, ``March 3, 1985``, ``3-Mar-85``), Japanese era
dates (``昭和60年3月12日``, ``平成元年1月8日``, ``S60.3.12``); bare ``yyyymmdd`` only when the
column name says birth.

A :class:`DateProfile` says which share of the rows are dates, how many carry a time of day,
and how the years spread; :meth:`DateProfile.birth_reason` tells plausible birth dates (ages 0
to 110 from today, none in the future, no times of day, spread over decades) from event dates
(orders, screenings, bookings: a few recent years). :func:`event_date_name` recognises column
names of events (``order_date``, ``created_at``, ``jail_in``, ``screening_date``), which are never
read as birth dates from their values.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..attributes import name_pattern, normalise_name

__all__ = [
    "MAX_VALUES",
    "MONTHS",
    "DateProfile",
    "date_profile",
    "event_date_name",
    "merge_date_profiles",
]

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: (
        "january", "jan", "januar", "janvier", "janv", "enero", "ene", "gennaio", "gen",
        "janeiro", "januari", "tammikuu", "tammikuuta", "stycznia", "styczen", "ledna", "leden",
        "января", "январь", "янв",
    ),
    2: (
        "february", "feb", "februar", "fevrier", "fev", "fevr", "febrero", "febbraio", "fevereiro",
        "februari", "helmikuu", "helmikuuta", "lutego", "luty", "unora", "unor", "февраля",
        "февраль", "фев",
    ),
    3: (
        "march", "mar", "marz", "maerz", "mars", "marzo", "marco", "maart", "mrt", "maaliskuu",
        "maaliskuuta", "marca", "marzec", "brezna", "brezen", "марта", "март", "мар",
    ),
    4: (
        "april", "apr", "avril", "avr", "abril", "abr", "aprile", "huhtikuu", "huhtikuuta",
        "kwietnia", "kwiecien", "dubna", "duben", "апреля", "апрель", "апр",
    ),
    5: (
        "may", "mai", "mayo", "maggio", "mag", "maio", "mei", "maj", "toukokuu", "toukokuuta",
        "maja", "kvetna", "kveten", "мая", "май",
    ),
    6: (
        "june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho", "kesakuu",
        "kesakuuta", "czerwca", "czerwiec", "cervna", "cerven", "июня", "июнь", "июн",
    ),
    7: (
        "july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "heinakuu",
        "heinakuuta", "lipca", "lipiec", "cervence", "cervenec", "июля", "июль", "июл",
    ),
    8: (
        "august", "aug", "aout", "agosto", "ago", "augustus", "augusti", "elokuu", "elokuuta",
        "sierpnia", "sierpien", "srpna", "srpen", "августа", "август", "авг",
    ),
    9: (
        "september", "sep", "sept", "septembre", "septiembre", "settembre", "set", "setembro",
        "syyskuu", "syyskuuta", "wrzesnia", "wrzesien", "zari", "сентября", "сентябрь", "сен",
    ),
    10: (
        "october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro",
        "out", "lokakuu", "lokakuuta", "pazdziernika", "pazdziernik", "rijna", "rijen",
        "октября", "октябрь", "окт",
    ),
    11: (
        "november", "nov", "novembre", "noviembre", "novembro", "marraskuu", "marraskuuta",
        "listopada", "listopad", "listopadu", "ноября", "ноябрь", "ноя",
    ),
    12: (
        "december", "dec", "dezember", "dez", "decembre", "diciembre", "dic", "dicembre",
        "dezembro", "desember", "joulukuu", "joulukuuta", "grudnia", "grudzien", "prosince",
        "prosinec", "декабря", "декабрь", "дек",
    ),
}  # fmt: skip


def _fold(text: str) -> str:
    """Lower case without Latin diacritics (``März`` -> ``marz``, ``février`` -> ``fevrier``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(c for c in decomposed if not ("\u0300" <= c <= "\u036f"))
    return unicodedata.normalize("NFC", kept)  # Hangul syllables back together


#: month word (folded: lower case, no diacritics) -> month number
MONTHS: dict[str, int] = {_fold(w): m for m, words in _MONTH_NAMES.items() for w in words}
_MONTH_RX = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))

_TIME = r"(?:[ t_]+(?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2})(?:[.,]\d+)?)?\s*(?:z|utc|[+-]\d{2}:?\d{2})?)?"
# one compiled pattern per family; named groups y, m (number or month word), d
_FORMATS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("yyyy-mm-dd", re.compile(rf"(?P<y>\d{{4}})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}}){_TIME}")),
    ("yyyy年m月d日", re.compile(r"(?P<y>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]?")),
    ("era年m月d日", re.compile(r"(?P<era>明治|大正|昭和|平成|令和|[mtshr])\s*(?P<y>元|\d{1,2})\s*(?:年|[./-])\s*(?P<m>\d{1,2})\s*(?:月|[./-])\s*(?P<d>\d{1,2})\s*日?")),
    ("dd.mm.yyyy", re.compile(rf"(?P<d>\d{{1,2}})\.\s?(?P<m>\d{{1,2}})\.\s?(?P<y>\d{{4}}|\d{{2}}){_TIME}")),
    ("dd/mm/yyyy", re.compile(rf"(?P<d>\d{{1,2}})(?P<sep>[/-])(?P<m>\d{{1,2}})(?P=sep)(?P<y>\d{{4}}|\d{{2}}){_TIME}")),
    (
        "d month yyyy",
        re.compile(
            rf"(?P<d>\d{{1,2}})(?:\.|er|st|nd|rd|th|º|°)?[\s/-]*(?:de\s+|of\s+)?(?P<m>{_MONTH_RX})\.?,?"
            rf"[\s/-]*(?:de\s+|del\s+)?(?P<y>\d{{4}}|\d{{2}})(?:\s*(?:г|r)\.?)?{_TIME}"
        ),
    ),
    (
        "month d, yyyy",
        re.compile(
            rf"(?P<m>{_MONTH_RX})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}}){_TIME}"
        ),
    ),
    ("yyyymmdd", re.compile(r"(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)")),
)  # fmt: skip
# first (Gregorian) year of each Japanese era, by name and by its letter (S60.3.12)
_ERAS = {
    "明治": 1868, "大正": 1912, "昭和": 1926, "平成": 1989, "令和": 2019,
    "m": 1868, "t": 1912, "s": 1926, "h": 1989, "r": 2019,
}  # fmt: skip
_ANY_DATE = re.compile(
    r"\d{1,4}\s*[-/.年년]\s*\d{1,2}|\d[\s.,/-]*[^\W\d_]{2,}|[^\W\d_]{2,}\.?[\s/-]+\d"
    r"|^(?:19|20)\d{6}$|^(?:明治|大正|昭和|平成|令和)"
)


@dataclass(frozen=True)
class DateProfile:
    """How a column's values read as calendar dates (all shares in scanned rows)."""

    rows: int  # rows whose value parsed as a date
    share: float  # of the scanned rows
    formats: tuple[str, ...]  # format families seen, most rows first
    with_time: float  # share of the date rows with a time of day other than 00:00
    future: float  # share of the date rows after today
    age_0_110: float  # share of the date rows 0-110 years before today
    year_min: int
    year_max: int
    year_q1: float
    year_q3: float
    decades: int  # distinct decades holding at least 5 % of the date rows

    def birth_reason(self) -> str:
        """Why the dates are plausibly people's birth dates (``""`` when they are not): nearly
        all rows are dates, without times of day, none in the future, ages 0-110 from today,
        spread over decades (event dates cluster in a few recent years)."""
        if self.share < 0.8 or self.with_time > 0.05 or self.future > 0.01:
            return ""
        if self.age_0_110 < 0.98:
            return ""
        spread = self.year_q3 - self.year_q1
        if spread < 8 or self.year_max - self.year_min < 15 or self.decades < 2:
            return ""
        return (
            f"dates ({', '.join(self.formats)}) of ages 0-110 spread over decades "
            f"({self.year_min}-{self.year_max}, half within {self.year_q1:.0f}-{self.year_q3:.0f})"
        )


def _century(yy: int, today: _dt.date) -> int:
    """A 2-digit year in the last 100 years (``85`` -> 1985, ``05`` -> 2005 in 2026)."""
    century = (today.year // 100) * 100
    return century - 100 + yy if yy > today.year % 100 else century + yy


def _parse(
    values: list[str], allow_compact: bool, today: _dt.date
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Per value: ``[year, month, day]`` (NaN where no format matched), whether it carries a
    time of day, and its format family. One compiled ``fullmatch`` per format on each distinct
    value (values are already lower-cased and folded)."""
    ymd = np.full((len(values), 3), np.nan)
    timed = np.zeros(len(values), dtype=bool)
    fmt = [""] * len(values)
    formats = [(n, rx) for n, rx in _FORMATS if allow_compact or n != "yyyymmdd"]
    for k, v in enumerate(values):
        for name, rx in formats:
            m = rx.fullmatch(v)
            if m is None:
                continue
            g = m.groupdict()
            if g.get("era"):  # Japanese era: 昭和60年 = 1985, 平成元年 = 1989
                ymd[k, 0] = _ERAS[g["era"]] + (1 if g["y"] == "元" else int(g["y"])) - 1
            elif len(g["y"]) == 2:
                ymd[k, 0] = _century(int(g["y"]), today)
            else:
                ymd[k, 0] = int(g["y"])
            ymd[k, 1] = MONTHS[g["m"]] if not g["m"].isdigit() else int(g["m"])
            ymd[k, 2] = int(g["d"])
            timed[k] = any(int(g.get(t) or 0) for t in ("hh", "mi", "ss"))
            fmt[k] = name if name != "yyyy-mm-dd" else "yyyy{0}mm{0}dd".format(g["sep"])
            break
    # mm/dd/yyyy when the column has a second field over 12 and no first field over 12
    slash = np.array([f == "dd/mm/yyyy" for f in fmt], dtype=bool)
    if slash.any() and (ymd[slash, 1] > 12).any() and not (ymd[slash, 2] > 12).any():
        ymd[slash, 1], ymd[slash, 2] = ymd[slash, 2].copy(), ymd[slash, 1].copy()
    return ymd, timed, fmt


def _folded(texts: pd.Series) -> list[str]:
    return [v.lower() if v.isascii() else _fold(v) for v in texts.tolist()]


#: distinct values a date profile parses at most (about 30 ms)
MAX_VALUES = 2000


def date_profile(
    uniques: pd.Series,
    counts: np.ndarray,
    *,
    allow_compact: bool = False,
    today: _dt.date | None = None,
) -> DateProfile | None:
    """How the distinct ``uniques`` (with their row ``counts``) read as dates; ``None`` when
    fewer than half of the rows look like dates. ``allow_compact`` also reads ``yyyymmdd``
    (only under a column name that says birth: elsewhere 8 digits are codes). Beyond
    :data:`MAX_VALUES` distinct values (in sample order, so a random subset of a sampled
    column) the shares and years come from the first ones and ``rows`` is scaled up."""
    if not len(uniques):
        return None
    today = today or _dt.date.today()
    scale = 1.0
    if len(uniques) > MAX_VALUES:
        all_rows = float(np.asarray(counts).sum())
        uniques, counts = uniques.iloc[:MAX_VALUES], np.asarray(counts)[:MAX_VALUES]
        scale = all_rows / max(1.0, float(counts.sum()))
    texts = uniques.astype(str).str.strip().str.slice(0, 48)
    head = texts.iloc[:64]
    if not head.str.contains(_ANY_DATE).mean() >= 0.3:
        return None  # cheap exit for columns that are not dates
    head_ymd, _, _ = _parse(_folded(head), allow_compact, today)
    if np.isfinite(head_ymd[:, 0]).mean() < 0.3:
        return None  # nor when the first values do not parse
    ymd, timed, fmt_list = _parse(_folded(texts), allow_compact, today)
    fmt = pd.Series(fmt_list, dtype=object)
    dates = pd.to_datetime(
        pd.DataFrame({"year": ymd[:, 0], "month": ymd[:, 1], "day": ymd[:, 2]}),
        errors="coerce",
    )
    ok = dates.notna().to_numpy()
    w = np.asarray(counts, dtype=float)
    total = float(w.sum())
    rows = float(w[ok].sum())
    if total == 0 or rows / total < 0.5:
        return None
    wd = w[ok]
    d = dates[ok]
    years = d.dt.year.to_numpy(dtype=float)
    now = pd.Timestamp(today)
    age_days = (now - d).dt.days.to_numpy(dtype=float)
    order = np.argsort(years)
    cum = np.cumsum(wd[order]) / rows
    q1 = float(years[order][np.searchsorted(cum, 0.25)])
    q3 = float(years[order][min(len(cum) - 1, int(np.searchsorted(cum, 0.75)))])
    decade_w = pd.Series(wd).groupby((years // 10).astype(int)).sum() / rows
    by_fmt = pd.Series(wd).groupby(fmt[ok].to_numpy()).sum().sort_values(ascending=False)
    return DateProfile(
        rows=round(rows * scale),
        share=round(rows / total, 4),
        formats=tuple(str(f) for f in by_fmt.index),
        with_time=round(float(wd[timed[ok]].sum() / rows), 4),
        future=round(float(wd[age_days < 0].sum() / rows), 4),
        age_0_110=round(float(wd[(age_days >= 0) & (age_days <= 110 * 365.25)].sum() / rows), 4),
        year_min=int(years.min()),
        year_max=int(years.max()),
        year_q1=q1,
        year_q3=q3,
        decades=int((decade_w >= 0.05).sum()),
    )


# Column names of events in a person's life or a business process: their dates are not birth
# dates, however they spread (an employee table's hire dates span decades too).
_EVENT_DATE_NAMES = name_pattern(
    r"_(order|ordered|orders|purchase|purchased|sale|sold|created|creation|create|updated|update"
    r"|modified|modification|changed|deleted|inserted|loaded|ingested|processed|timestamp|ts"
    r"|at|on|time|datetime|event|events|visit|visited|appointment|appt|admission|admit|admitted"
    r"|discharge|discharged|death|deceased|died|dod|screening|screen|jail|jailed|custody|prison"
    r"|in|out|release|released|booking|booked|arrest|arrested|offense|offence|crime|charge"
    r"|charged|court|hearing|sentence|sentenced|filing|filed|case|incident|compas|start|started"
    r"|end|ended|begin|from|to|until|due|expiry|expires|expiration|expire|valid|validity|issue"
    r"|issued|ship|shipped|shipping|delivery|delivered|payment|paid|invoice|invoiced|billing"
    r"|bill|transaction|txn|signup|registration|registered|joined|join|hire|hired|hiring"
    r"|termination|terminated|leave|login|logon|logout|last|first|seen|posted|published"
    r"|publication|launch|launched|effective|renewal|renewed|contract|policy|claim|service"
    r"|test|tested|exam|sample|sampled|collection|collected|report|reported|survey|interview"
    r"|enrol|enroll|enrolled|enrollment|enrolment|graduation|graduated|vaccination|vaccinated"
    r"|diagnosis|diagnosed|onset|procedure|prescription|dispensed|measurement|measured"
    r"|observation|recorded|entry|exit|arrival|departure|checkin|checkout|check|period|week"
    r"|month|quarter|fiscal|snapshot|asof|as|review|reviewed|approved|approval|submitted"
    r"|submission|received|sent|opened|closed|close|open|marriage|married|divorce|divorced"
    r"|bestellung|bestelldatum|erstellt|rechnung|lieferung|commande|livraison|facture|pedido"
    r"|entrega|factura|ordine|consegna|fattura|bestelling|levering|factuur|eintritt|austritt"
    r"|aufnahme|entlassung|einstellung|embauche|contratacion|assunzione|ingreso|alta|baja"
    r"|since|anniversary|founded|established|built|construction|manufactured|production|made"
    r"|acquired|acquisition|installed|installation|inspection|maintenance|warranty|licensed"
    r"|certified|certification|accident|loss|member_?since|customer_?since|tenure)_",
    r"_(created|updated|modified|deleted|inserted|loaded)_?(at|on|date|dt|ts|time)_",
)


def event_date_name(column_name: object) -> bool:
    """True when the column is named for an event (``order_date``, ``created_at``,
    ``jail_in``, ``screening_date``, ``hire_date``), so its dates are not read as birth dates."""
    return bool(_EVENT_DATE_NAMES.search(normalise_name(column_name)))


def merge_date_profiles(
    parts: Sequence[tuple[Mapping[str, Any] | None, int]],
) -> DateProfile | None:
    """One profile from per-partition profiles (as dicts, with each partition's scanned rows):
    counts add up, shares and quartiles are weighted by date rows (quartiles approximately),
    ranges combine. A partition without a profile had under half dates: it adds scanned rows
    only. ``None`` when under half of all scanned rows are dates."""
    total = sum(n for _, n in parts)
    got = [(dict(p), n) for p, n in parts if p]
    rows = sum(int(p["rows"]) for p, _ in got)
    if not total or not rows or rows / total < 0.5:
        return None

    def avg(key: str) -> float:
        return sum(float(p[key]) * int(p["rows"]) for p, _ in got) / rows

    formats: list[str] = []
    for p, _ in sorted(got, key=lambda pn: -int(pn[0]["rows"])):
        formats += [f for f in p["formats"] if f not in formats]
    return DateProfile(
        rows=rows,
        share=round(rows / total, 4),
        formats=tuple(formats),
        with_time=round(avg("with_time"), 4),
        future=round(avg("future"), 4),
        age_0_110=round(avg("age_0_110"), 4),
        year_min=min(int(p["year_min"]) for p, _ in got),
        year_max=max(int(p["year_max"]) for p, _ in got),
        year_q1=round(avg("year_q1"), 1),
        year_q3=round(avg("year_q3"), 1),
        decades=max(int(p["decades"]) for p, _ in got),
    )
