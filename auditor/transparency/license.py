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

__all__ = ["check_license", "deprecated_replacements", "license_ids", "validate_license"]

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


@functools.cache
def deprecated_replacements() -> dict[str, str]:
    """lower-case deprecated SPDX id -> the expression that replaces it (``gpl-3.0+`` -> ``GPL-3.0-or-later``)."""
    out = {}
    for ln in _read("spdx-deprecated.txt"):
        old, _, new = ln.partition("\t")
        out[old.strip().lower()] = new.strip()
    return out


def _deprecation_hint(ident: str) -> str:
    replacement = deprecated_replacements().get(ident.lower())
    if replacement:
        return f"deprecated SPDX id; use {replacement}"
    return "deprecated SPDX id; see https://spdx.org/licenses/ for its replacement"


class _Expression:
    """Recursive-descent reader of the SPDX license expression grammar (SPDX spec annex D):

    ``expr := and ("OR" and)*``, ``and := with ("AND" with)*``, ``with := atom ("WITH" exception)?``,
    ``atom := "(" expr ")" | license-id ["+"] | [DocumentRef-x:]LicenseRef-y``. Operators are read in
    any case. ``problem`` is None for a valid expression; ``deprecated`` lists the deprecated ids used.
    """

    def __init__(self, text: str) -> None:
        self.tokens = re.findall(r"\(|\)|[^\s()]+", text)
        self.pos = 0
        self.deprecated: list[str] = []

    def problem(self) -> str | None:
        if not self.tokens:
            return "empty"
        try:
            self._or()
            if self.pos < len(self.tokens):
                tok = self.tokens[self.pos]
                if tok == ")":
                    return "unbalanced parentheses: ')' without a matching '('"
                return f"missing AND/OR before {tok!r}"
        except ValueError as exc:
            return str(exc)
        return None

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _op(self, name: str) -> bool:
        tok = self._peek()
        if tok is not None and tok.upper() == name:
            self.pos += 1
            return True
        return False

    def _or(self) -> None:
        self._and()
        while self._op("OR"):
            self._and()

    def _and(self) -> None:
        self._with()
        while self._op("AND"):
            self._with()

    def _with(self) -> None:
        self._atom()
        if self._op("WITH"):
            tok = self._next("a license exception after WITH")
            if tok.lower() not in _exceptions():
                raise ValueError(f"{tok!r} is not an SPDX license exception")

    def _next(self, what: str) -> str:
        tok = self._peek()
        if tok is None:
            last = self.tokens[-1].upper() if self.tokens else ""
            raise ValueError(
                "expression ends with an operator"
                if last in ("AND", "OR", "WITH")
                else f"expression ends where {what} is expected"
            )
        if tok in ("(", ")") or tok.upper() in ("AND", "OR", "WITH"):
            if tok == ")":
                raise ValueError(f"')' where {what} is expected")
            raise ValueError(f"operator {tok} without a license before it" if tok != "(" else
                             f"'(' where {what} is expected")  # fmt: skip
        self.pos += 1
        return tok

    def _atom(self) -> None:
        if self._peek() == "(":
            self.pos += 1
            self._or()
            if self._peek() != ")":
                raise ValueError("unbalanced parentheses: '(' without a matching ')'")
            self.pos += 1
            return
        tok = self._next("a license id")
        ref = tok.split(":", 1)[1] if tok.startswith("DocumentRef-") and ":" in tok else tok
        if re.fullmatch(r"LicenseRef-[A-Za-z0-9.\-]+", ref):
            return
        ident = tok[:-1] if tok.endswith("+") else tok
        # "GPL-3.0+" is itself a (deprecated) id; "MIT+" is an id with the or-later operator
        known = license_ids().get(tok.lower()) or license_ids().get(ident.lower())
        if known is None:
            close = difflib.get_close_matches(ident.lower(), list(license_ids()), n=1, cutoff=0.6)
            hint = f" (did you mean {license_ids()[close[0]][0]!r}?)" if close else ""
            raise ValueError(f"{tok!r} is not an SPDX license id{hint}")
        if known[1]:
            self.deprecated.append(known[0])


_URL_IN = re.compile(r"https?://[^\s)>\]\"']+\.[^\s)>\]\"']+", re.I)


def _custom_text(text: str) -> tuple[bool, str]:
    """An MCT ``custom_text``: an SPDX or Hub id written there (the toolkit's own 0.0.1 -> 0.0.2
    migration moves ``license: Apache-2.0`` into it) is that license; otherwise the terms in full, or
    text with a link to them."""
    t = text.strip()
    if t.lower().strip(".") in ("proprietary", "all rights reserved"):
        return True, (
            f"MCT custom_text {t!r}: a model under no license (no usage rights are granted), as the "
            "schema's identifier 'proprietary'"
        )
    close = ""
    if t and len(t) <= 80:
        ok, why = validate_license(t)
        hint = re.search(r" \(did you mean '[^']+'\?\)", why)
        close = hint.group(0) if hint else ""
        if not ok:
            ok, why = validate_license(re.sub(r"\s+", "-", t))  # "Apache 2.0" in free text
        if ok:
            return True, f"{why} (written as custom_text; MCT's identifier is the place for an id)"
    link = _URL_IN.search(t)
    if link:
        return True, f"custom license text with a link to its terms ({link.group(0)})"
    if len(t) >= 200:
        return True, "custom license text given in full"
    shown = t if len(t) <= 40 else t[:39] + "…"
    return (
        False,
        f"custom_text {shown!r} is neither an SPDX id{close} nor the license's terms: give the full "
        "text or a link to it, or an SPDX id as the identifier",
    )


def validate_license(value: Any) -> tuple[bool, str]:
    """(valid, explanation) for a card's license value: a string, ``{id | identifier | spdx, name,
    text, link}``, or an MCT license object (``{identifier}`` or ``{custom_text}``)."""
    if isinstance(value, Mapping):
        ident = value.get("id") or value.get("identifier") or value.get("spdx")
        if (
            str(value.get("identifier", "")).strip().lower() == "proprietary"
            and not value.get("link")
            and not value.get("url")
        ):  # the MCT schema: "or 'proprietary' for an unlicensed module"
            return True, (
                "MCT identifier 'proprietary': the schema's value for a model under no license "
                "(no usage rights are granted)"
            )
        custom = value.get("custom_text")
        if custom is not None and not ident and not isinstance(custom, (Mapping, list)):
            return _custom_text(str(custom))
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
        note = f" ({_deprecation_hint(ident)})" if deprecated else ""
        return True, f"SPDX id {ident}{note}"
    if low in _hub_ids():
        return True, f"Hugging Face Hub license id {low}"
    if _URL.match(text):
        return False, "a bare link is not a license id; give the license name with the link"
    expression = _Expression(text)
    problem = expression.problem()
    if problem is None and "LicenseRef-" in text:
        return (
            False,
            "a LicenseRef- id is custom: give it as {id: LicenseRef-..., link: https://...}",
        )
    if problem is None:
        notes = "; ".join(
            f"{d}: {_deprecation_hint(d)}" for d in dict.fromkeys(expression.deprecated)
        )
        return True, f"SPDX expression {text}" + (f" ({notes})" if notes else "")
    return False, problem


def _named(value: Any) -> str:
    """The license as a reader would name it: the string, or a mapping's id, name or text (short)."""
    if isinstance(value, Mapping):
        value = next(
            (value[k] for k in ("identifier", "id", "spdx", "name", "custom_text", "text")
             if isinstance(value.get(k), str) and value[k].strip()),
            "",
        )  # fmt: skip
    text = str(value).strip()
    return text if len(text) <= 60 else text[:59] + "…"


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
        named = _named(item.value)
        if ok:
            out.append(
                Claim("license", "license", "license", CONSISTENT, shown, why, item.location, why)
            )
        else:
            msg = f"license {shown!r} ({item.location}) is not a valid SPDX/Hub license id or linked custom license: {why}"
            headline = (
                f"The model card's license{f' {named!r}' if named else ''} is "
                "not a recognised license (an SPDX or "
                "Hugging Face license id, or custom terms with a link), so readers cannot tell "
                f"on what terms they may use the model: {why}."
            )
            out.append(Claim("license", "license", "license", CONTRADICTED, shown, why, item.location, msg,
                             {"claimed": shown, "problem": why}, headline))  # fmt: skip
    return out
