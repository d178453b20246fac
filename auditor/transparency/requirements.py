"""Field requirements as data: the shipped standard sets (``standards/*.yaml``) and rules given inline in a
policy pack, evaluated against the normalised card and datasheet into the rows of the ``fields`` table."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..redact import mask_text
from ..safeload import parse_yaml
from .document import Document, FieldValue
from .placeholders import NOT_APPLICABLE, PLACEHOLDER, PRESENT, assess_field, excerpt
from .schema import iter_leaves

__all__ = [
    "FIELD_KEYS",
    "FieldRule",
    "Row",
    "StandardSet",
    "all_standard_names",
    "evaluate",
    "load_standard",
    "resolve",
    "rules_for",
    "standard_names",
]

STANDARDS_DIR = Path(__file__).resolve().parent / "standards"
DATASHEET_KEYS = (
    "datasheet.motivation", "datasheet.composition", "datasheet.collection", "datasheet.preprocessing",
    "datasheet.uses", "datasheet.distribution", "datasheet.maintenance", "datasheet.license",
    "datasheet.contact",
)  # fmt: skip
FIELD_KEYS: frozenset[str] = frozenset(k for k, _ in iter_leaves()) | frozenset(DATASHEET_KEYS)
SeverityName = Literal["", "info", "low", "medium", "high", "critical"]


@dataclass(frozen=True)
class FieldRule:
    """One requirement: ``field`` must be filled in (or explicitly not applicable), citing ``clause``.

    ``alternatives`` are other fields that satisfy it (``model.id`` for ``model.name``); ``severity``
    defaults to the standard set's, then to the check's.
    """

    field: str
    clause: str
    standard: str = "custom"
    severity: SeverityName = ""
    alternatives: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        for key in (self.field, *self.alternatives):
            if key not in FIELD_KEYS:
                from ..errors import suggest

                raise ValueError(
                    f"unknown card field {key!r}{suggest(key, FIELD_KEYS)} (see docs/transparency.md "
                    "for the field keys)"
                )


@dataclass(frozen=True)
class StandardSet:
    name: str
    standard: str
    title: str
    rules: tuple[FieldRule, ...]


def standard_names() -> list[str]:
    """The sets of the crosswalk (docs/transparency.md): ``standards/*.yaml``."""
    return sorted(p.stem for p in STANDARDS_DIR.glob("*.yaml"))


#: requirement sets for general-purpose AI models (EU AI Act Art. 53, Annexes XI-XII), used by
#: GEN006 and loadable by name like the others (``standards: [eu-ai-act-gpai]`` in TRN101 too)
GPAI_DIR = STANDARDS_DIR / "gpai"


def all_standard_names() -> list[str]:
    """Every shipped set: the crosswalk's and the general-purpose-model sets."""
    return sorted([*standard_names(), *(p.stem for p in GPAI_DIR.glob("*.yaml"))])


@functools.cache
def load_standard(name: str) -> StandardSet:
    """A shipped requirement set by name (``eu-ai-act``); ValueError naming the known sets otherwise."""
    path = STANDARDS_DIR / f"{name}.yaml"
    if not path.is_file() and "/" not in name and "\\" not in name:
        path = GPAI_DIR / f"{name}.yaml"
    if not path.is_file():
        from ..errors import suggest

        raise ValueError(
            f"unknown standard {name!r}{suggest(name, all_standard_names())} "
            f"(shipped: {', '.join(all_standard_names())})"
        )
    data = parse_yaml(path.read_text(encoding="utf-8"))  # strict: a shipped file too
    default = data.get("severity", "")
    rules = tuple(
        FieldRule(
            field=r["field"],
            clause=str(r["clause"]),
            standard=data["standard"],
            severity=r.get("severity", default),
            alternatives=tuple(r.get("alternatives", ())),
            note=r.get("note", ""),
        )
        for r in data["requirements"]
    )
    return StandardSet(name, data["standard"], data.get("title", ""), rules)


def rules_for(
    standards: Iterable[str], extra: Iterable[FieldRule] = (), ignore: Iterable[str] = ()
) -> list[FieldRule]:
    skip = set(ignore)
    out = [r for s in standards for r in load_standard(s).rules]
    out.extend(extra)
    return [r for r in out if r.field not in skip]


@dataclass(frozen=True)
class Row:
    """One row of the ``fields`` table, plus what a finding needs."""

    field: str
    standard: str
    clause: str
    status: str  # present | missing | placeholder | not_applicable | contradicted
    location: str
    value_excerpt: str
    measured: str
    severity: str
    reason: str
    source: str
    note: str = ""
    confidence: str = (
        ""  # high | low (found only in a prose sentence) for a found value; "" otherwise
    )

    def table_row(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "standard": self.standard,
            "clause": self.clause,
            "status": self.status,
            "location": self.location,
            "value_excerpt": self.value_excerpt,
            "measured": self.measured or None,
            "confidence": self.confidence or None,
        }


_RANK = {  # (status, found only in prose) -> rank, lowest wins
    (PRESENT, False): 0, (NOT_APPLICABLE, False): 1, (PRESENT, True): 2, (NOT_APPLICABLE, True): 3,
    (PLACEHOLDER, False): 4, (PLACEHOLDER, True): 5,
}  # fmt: skip


def _candidates(key: str, docs: Sequence[Document]) -> list[tuple[Document, FieldValue]]:
    out: list[tuple[Document, FieldValue]] = []
    for doc in docs:
        if doc.role == "datasheet" and not (key.startswith(("data.", "datasheet."))):
            continue
        out.extend((doc, v) for v in doc.values(key))
        if not doc.values(key):  # a parent is answered by any of its children
            out.extend(
                (doc, v) for k in doc.field_keys() if k.startswith(f"{key}.") for v in doc.values(k)
            )
    return out


def resolve(
    keys: Sequence[str], docs: Sequence[Document]
) -> tuple[str, Document | None, FieldValue | None, str]:
    """Best value among ``keys`` in ``docs``: (status, document, value, reason); status ``missing`` when
    no document has any of them."""
    best: tuple[int, str, Document, FieldValue, str] | None = None
    for key in keys:
        for doc, fv in _candidates(key, docs):
            a = assess_field(fv)
            # an explicit answer (present or not applicable, read from a key, heading or label) beats
            # a sentence found in prose; a prose sentence beats a placeholder
            rank = _RANK[(a.status, fv.confidence == "low")]
            if best is None or rank < best[0]:
                best = (rank, a.status, doc, fv, a.reason)
    if best is None:
        return "missing", None, None, "not found"
    return best[1], best[2], best[3], best[4]


def _missing_location(key: str, docs: Sequence[Document]) -> str:
    card = next((d for d in docs if d.role == "card" and not key.startswith("datasheet.")), None)
    doc = card or next((d for d in docs if d.role == "datasheet"), None)
    if doc is None:
        return "datasheet" if key.startswith("datasheet.") else "card"
    parts = key.split(".")
    for n in range(len(parts) - 1, 0, -1):  # nearest parent that exists
        parent = doc.first(".".join(parts[:n]))
        if parent is not None and parent.line:
            return doc.location(parent.line)
    for n in range(len(parts), 0, -1):  # else where the loader says the field belongs
        line = doc.anchors.get(".".join(parts[:n]))
        if line:
            return doc.location(line)
    return doc.location(1)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(
            f"{v.get('column')} ({v.get('kind')})" if isinstance(v, Mapping) else str(v)
            for v in value
        )
    return "" if value is None else str(value)


def _contradiction(
    keys: Sequence[str],
    doc: Document | None,
    docs: Sequence[Document],
    contradictions: Mapping[str, Sequence[Mapping[str, Any]]],
) -> Mapping[str, Any] | None:
    """The contradicted claim that applies to a row: one made in the document the row's value comes
    from first, else one in another evaluated document; claims in documents not evaluated (the card's,
    for the datasheet check) never apply."""
    found = [c for k in keys for c in contradictions.get(k, ())]

    def made_in(c: Mapping[str, Any], d: Document) -> bool:
        return str(c.get("location", "")).startswith(f"{d.role}:{d.path}:")

    if doc is not None:
        same = next((c for c in found if made_in(c, doc)), None)
        if same is not None:
            return same
    return next((c for c in found if any(made_in(c, d) for d in docs)), None)


def evaluate(
    rules: Sequence[FieldRule],
    docs: Sequence[Document],
    contradictions: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    measured: Mapping[str, str] | None = None,
) -> list[Row]:
    """One row per rule. ``contradictions[field]`` (claims the cross-checks found false) turns a present
    field into ``contradicted``; ``measured[field]`` is shown beside the claim."""
    contradictions = contradictions or {}
    measured = measured or {}
    rows = []
    for rule in rules:
        keys = (rule.field, *rule.alternatives)
        status, doc, fv, reason = resolve(keys, docs)
        if doc is not None and fv is not None:
            location = doc.location(fv.line)
            # card text reaches the report masked (excerpt() masks the value): an SSN, e-mail,
            # phone or card number or a person's name in a field never reaches audit.json or HTML
            reason = mask_text(reason)
            value = excerpt(fv.value) if status != NOT_APPLICABLE else f"not applicable: {reason}"
            source = fv.source
        else:
            location, value, source = _missing_location(rule.field, docs), "", ""
        # the claims of the value the row shows (an alternative's false claim does not make this
        # field's own, holding answer "contradicted")
        against = _contradiction((fv.key,) if fv is not None else keys, doc, docs, contradictions)
        if against is not None and status == PRESENT:
            status, reason = "contradicted", str(against.get("message", ""))
            location = str(against.get("location") or location)
        shown = next((measured[k] for k in keys if measured.get(k)), "")
        if against is not None and status == "contradicted":
            shown = _shown(against.get("measured"))
        rows.append(
            Row(
                field=rule.field,
                standard=rule.standard,
                clause=rule.clause,
                status=status,
                location=location,
                value_excerpt=value,
                measured=shown,
                severity=rule.severity,
                reason=reason,
                source=source,
                note=rule.note,
                confidence=(fv.confidence if fv is not None and status == PRESENT else ""),
            )
        )
    return rows
