"""Masking for report examples: enough shape to recognise the kind, never enough to recover a value.

A value module of the lowest layer (standard library only): the PII scan masks its examples with
it, and :mod:`auditor.redact` builds the masked error lines and card excerpts on it.
"""

from __future__ import annotations

import re

__all__ = ["mask"]

_DIGITY = {
    "US_SSN", "US_ITIN", "CREDIT_CARD", "PHONE_NUMBER", "IBAN_CODE", "US_BANK_NUMBER",
    "BANK_ACCOUNT", "IMEI", "MEDICAL_RECORD_NUMBER", "US_PASSPORT", "US_DRIVER_LICENSE",
    "UK_NHS", "HEALTH_PLAN_ID",
}  # fmt: skip


def _word(w: str) -> str:
    return (w[0] + "***") if len(w) > 1 else "*"


_IPV4 = re.compile(r"(?:\d{1,3}\.){3}\d{1,3}")
_IPV6 = re.compile(r"[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(?:\d{1,3}(?:\.\d{1,3}){3})?")


def _ip(v: str) -> str:
    """Every part but the last: ``192.168.1.10`` -> ``***.***.*.10``;
    ``2001:db8::ff00:42:8329`` -> ``****:***::****:**:8329``."""
    if _IPV4.fullmatch(v):
        octets = v.split(".")
        return ".".join(["*" * len(o) for o in octets[:-1]] + octets[-1:])
    groups = v.split(":")
    last = groups[-1]
    if "." in last:  # IPv4-mapped tail (::ffff:10.0.0.1): mask it as IPv4
        last = _ip(last)
    return ":".join(["*" * len(g) for g in groups[:-1]] + [last])


def mask(value: str, entity: str = "") -> str:
    """``john.doe@example.com`` -> ``j***@e***.com``; ``536-22-6789`` -> ``***-**-6789``;
    ``John Smith`` -> ``J*** S***``; ``192.168.1.10`` -> ``***.***.*.10``; anything else keeps
    its first character and its shape."""
    v = value.strip()
    if not v:
        return ""
    if (entity == "IP_ADDRESS" and (_IPV4.fullmatch(v) or _IPV6.fullmatch(v))) or (
        not entity and _IPV4.fullmatch(v)
    ):
        return _ip(v)
    if entity == "EMAIL_ADDRESS" or re.fullmatch(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}", v):
        local, _, domain = v.rpartition("@")
        host, _, tld = domain.rpartition(".")
        return f"{_word(local)}@{_word(host) if host else '***'}.{tld}"
    digits = sum(c.isdigit() for c in v)
    if entity in _DIGITY or (digits >= 6 and digits >= len(v) * 0.6):
        # keep separators, reveal at most the last 4 digits (and only when there are >= 9)
        keep = 4 if digits >= 9 else 0
        out = []
        seen = 0
        for c in v:
            if c.isdigit():
                seen += 1
                out.append(c if seen > digits - keep else "*")
            elif c.isalpha():
                out.append("*")
            else:
                out.append(c)
        masked = "".join(out)
        return re.sub(r"\*{4,}", "****", masked) if len(masked) > 24 else masked
    if entity == "CREDENTIAL" or len(v) > 40:
        return v[:2] + "***" + f"({len(v)} chars)" if entity == "CREDENTIAL" else _word(v[:1])
    words = re.split(r"(\s+)", v)
    return "".join(w if w.isspace() else _word(w) for w in words[:9]) + (
        " ..." if len(words) > 9 else ""
    )
