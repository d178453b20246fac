"""Is the card's license a valid SPDX id (or expression), a Hugging Face Hub license id, or custom text with
a link? The id lists ship as data (``data/spdx-licenses.txt``, ``data/hf-licenses.txt``)."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .claims import CONSISTENT, CONTRADICTED, Claim, Item

__all__ = ["check_license", "license_ids", "validate_license"]

DATA = Path(__file__).resolve().parent / "data"
_URL = re.compile(r"^https?://\S+\.\S+", re.I)


def _read(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]


@functools.cache
def license_ids() -> dict[str, tuple[str, bool]]:
    """lower-case id -> (canonical SPDX id, deprecated)."""
    out = {}
    for ln in _read("spdx-licenses.txt"):
        ident, _, flag = ln.partition(" ")
        out[ident.lower()] = (ident, flag == "deprecated")
    return out


@functools.cache
def _exceptions() -> frozenset[str]:
    return frozenset(x.lower() for x in _read("spdx-exceptions.txt"))


@functools.cache
def _hub_ids() -> frozenset[str]:
    return frozenset(x.lower() for x in _read("hf-licenses.txt"))


def _expression_problem(text: str) -> str | None:
    """None when ``text`` is a valid SPDX expression (ids joined by AND/OR/WITH, parentheses)."""
    tokens = re.findall(r"\(|\)|[^\s()]+", text)
    if not tokens:
        return "empty"
    expect_id, after_with = True, False
    for tok in tokens:
        up = tok.upper()
        if tok in "()":
            continue
        if up in ("AND", "OR", "WITH"):
            if expect_id:
                return f"operator {tok} without a license before it"
            expect_id, after_with = True, up == "WITH"
            continue
        if not expect_id:
            return f"missing AND/OR before {tok!r}"
        ident = tok.rstrip("+")
        if after_with:
            if ident.lower() not in _exceptions():
                return f"{tok!r} is not an SPDX license exception"
        elif ident.lower() not in license_ids() and not ident.startswith("LicenseRef-"):
            close = difflib.get_close_matches(ident.lower(), list(license_ids()), n=1, cutoff=0.6)
            hint = f" (did you mean {license_ids()[close[0]][0]!r}?)" if close else ""
            return f"{tok!r} is not an SPDX license id{hint}"
        expect_id, after_with = False, False
    return "expression ends with an operator" if expect_id else None


def validate_license(value: Any) -> tuple[bool, str]:
    """(valid, explanation) for a card's license value (string or ``{id | name, text, link}``)."""
    if isinstance(value, Mapping):
        ident = value.get("id") or value.get("identifier") or value.get("spdx")
        link, text, name = (
            value.get("link") or value.get("url"),
            value.get("text"),
            value.get("name"),
        )
        if ident and str(ident).startswith("LicenseRef-"):
            if link and _URL.match(str(link)):
                return True, f"custom license {ident} with link {link}"
            return False, f"{ident} is a custom license reference: give a link to its terms"
        if ident and str(ident).lower() not in ("other", "custom", "proprietary"):
            return validate_license(str(ident))
        if link and _URL.match(str(link)) and (name or text):
            return True, f"custom license {name or 'text'} with link {link}"
        if text and len(str(text).strip()) >= 200:
            return True, "custom license text given in full"
        return (
            False,
            "a custom license needs a name or text and a link (license_name and license_link on the Hub)",
        )
    text = str(value).strip()
    low = text.lower()
    if low in ("other", "custom", "proprietary"):
        return (
            False,
            f"license {text!r} needs a name and a link to its terms (license_name, license_link)",
        )
    if low == "unknown":
        return False, "license 'unknown' is not a license"
    if low in license_ids():
        ident, deprecated = license_ids()[low]
        note = (
            f" (deprecated SPDX id; prefer e.g. {ident}-only or {ident}-or-later)"
            if deprecated
            else ""
        )
        return True, f"SPDX id {ident}{note}"
    if low in _hub_ids():
        return True, f"Hugging Face Hub license id {low}"
    if _URL.match(text):
        return False, "a bare link is not a license id; give the license name with the link"
    problem = _expression_problem(text)
    if problem is None and "LicenseRef-" in text:
        return (
            False,
            "a LicenseRef- id is custom: give it as {id: LicenseRef-..., link: https://...}",
        )
    if problem is None:
        return True, f"SPDX expression {text}"
    return False, problem


def check_license(values: Sequence[Item], prose: Sequence[Item] = ()) -> list[Claim]:
    """Structured license values (front matter, keys) are validated as written; when there are none,
    license lines in prose (``- **License:** Apache 2.0``) are read leniently (spaces as hyphens)."""
    out = []
    for item in values or list(prose):
        ok, why = validate_license(item.value)
        if not ok and not values and isinstance(item.value, str):
            ok2, why2 = validate_license(re.sub(r"\s+", "-", item.value.strip()))
            ok, why = (ok2, why2) if ok2 else (ok, why)
        shown = (
            item.value
            if isinstance(item.value, str)
            else dict(item.value)
            if isinstance(item.value, Mapping)
            else str(item.value)
        )
        if ok:
            out.append(
                Claim("license", "license", "license", CONSISTENT, shown, why, item.location, why)
            )
        else:
            msg = f"license {shown!r} ({item.location}) is not a valid SPDX/Hub license id or linked custom license: {why}"
            out.append(Claim("license", "license", "license", CONTRADICTED, shown, why, item.location, msg,
                             {"claimed": shown, "problem": why}))  # fmt: skip
    return out
