"""Loader for Google Model Card Toolkit (MCT) JSON: schema 0.0.1 and 0.0.2, and proto-JSON exports.

The key tables are the toolkit's own (``tensorflow/model-card-toolkit`` @74d7e6d:
``schema/v0.0.1/model_card.schema.json``, ``schema/v0.0.2/model_card.schema.json``,
``proto/model_card.proto``). The card's ``schema_version`` names its version; without one the version is
inferred from the keys present, and a load issue says so only when the keys mix both versions. Every
known field of either version is read by its own shape, so a 0.0.1 card keeps its ``license`` string,
``citation``, string ``references`` and its ``data: {train, eval}``; a key neither version knows is a
load issue naming the card's version. ``graphics`` (base64 images) are skipped quietly. An export of
the proto message (``json_format.MessageToJson``: camelCase names such as ``modelDetails``, no
``schema_version``) is read the same way; sources and messages keep the card's own spelling.

MCT has no field for many documentation items (out-of-scope use, human oversight, ...): a line
``"<Label>: <text>"`` whose label names one of those fields (``Out-of-scope use: ...``, ``Human oversight:
...``) is read as that field, in ``model_details.overview``/``documentation``, a dataset's
``description`` or as a ``considerations.use_cases``/``users`` entry (:data:`.hints.MCT_LABELLED`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..errors import suggest
from ..safeload import LoadProblem, parse_json
from .document import Builder, Document
from .hints import MCT_NATIVE, mct_home
from .metrics import FAIRNESS_METRICS, canonical_metric
from .prose import scan_text
from .yamlnodes import MAX_DEPTH, YamlProblem, parse_with_lines

__all__ = ["KEYS", "SCHEMA_VERSIONS", "load_mct_json"]

SCHEMA_VERSIONS = ("0.0.1", "0.0.2")
LATEST = "0.0.2"

# leaf kinds: TEXT (a string; numbers are accepted, MCT writes numbers as strings from 0.0.2 on), BOOL,
# SKIP (read quietly and not checked: graphics hold base64 images)
TEXT, BOOL, SKIP = "text", "bool", "skip"
_OWNER = {"name": TEXT, "contact": TEXT}
_VERSION = {"name": TEXT, "date": TEXT, "diff": TEXT}
_CI = {"lower_bound": TEXT, "upper_bound": TEXT}
_RISK = {"name": TEXT, "mitigation_strategy": TEXT}
_DESCRIPTION = {"description": TEXT}
_LICENSE = {"identifier": TEXT, "custom_text": TEXT}
_CITATION = {"style": TEXT, "citation": TEXT}
_KEYVAL = {"key": TEXT, "value": TEXT}

# schema/v0.0.1/model_card.schema.json
V001: dict[str, Any] = {
    "schema_version": TEXT,
    "model_details": {
        "name": TEXT, "overview": TEXT, "owners": [_OWNER], "version": _VERSION, "license": TEXT,
        "references": [TEXT], "citation": TEXT,
    },
    "model_parameters": {
        "model_architecture": TEXT,
        "data": {
            split: {"name": TEXT, "link": TEXT, "sensitive": BOOL, "graphics": SKIP}
            for split in ("train", "eval")
        },
        "input_format": TEXT, "output_format": TEXT,
    },
    "quantitative_analysis": {
        "performance_metrics": [{"type": TEXT, "value": TEXT, "confidence_interval": _CI,
                                 "threshold": TEXT, "slice": TEXT}],
        "graphics": SKIP,
    },
    "considerations": {
        "users": [TEXT], "use_cases": [TEXT], "limitations": [TEXT], "tradeoffs": [TEXT],
        "ethical_considerations": [_RISK],
    },
}  # fmt: skip
# schema/v0.0.2/model_card.schema.json (= proto/model_card.proto plus schema_version)
V002: dict[str, Any] = {
    "schema_version": TEXT,
    "model_details": {
        "name": TEXT, "overview": TEXT, "documentation": TEXT, "owners": [_OWNER], "version": _VERSION,
        "licenses": [_LICENSE], "references": [{"reference": TEXT}], "citations": [_CITATION],
        "path": TEXT,
    },
    "model_parameters": {
        "model_architecture": TEXT,
        "data": [{"name": TEXT, "link": TEXT, "sensitive": {"sensitive_data": [TEXT]},
                  "graphics": SKIP, "description": TEXT}],
        "input_format": TEXT, "input_format_map": [_KEYVAL],
        "output_format": TEXT, "output_format_map": [_KEYVAL],
    },
    "quantitative_analysis": {
        "performance_metrics": [{"type": TEXT, "value": TEXT, "slice": TEXT,
                                 "confidence_interval": _CI}],
        "graphics": SKIP,
    },
    "considerations": {
        "users": [_DESCRIPTION], "use_cases": [_DESCRIPTION], "limitations": [_DESCRIPTION],
        "tradeoffs": [_DESCRIPTION], "ethical_considerations": [_RISK],
    },
}  # fmt: skip
KEYS: dict[str, dict[str, Any]] = {"0.0.1": V001, "0.0.2": V002}
# shapes outside both schemas that real cards carry (the toolkit's own test data writes
# ``model_details.citation: {citation: ...}`` in a 0.0.2 card): read like their 0.0.2 forms, not reported
TOLERATED: dict[str, Any] = {
    "model_details": {"citation": _CITATION, "license": _LICENSE},
}

_SLICE = re.compile(r"^\s*(?P<feature>[^=:]+?)\s*[=:]\s*(?P<group>.+?)\s*$")
_EVAL = re.compile(r"(?<![a-z])(eval|test|valid|holdout|hold-out|benchmark|dev set)", re.I)
_TRAIN = re.compile(r"(?<![a-z])(train|fine-?tun|pre-?train)", re.I)
_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*)?(?P<label>[A-Za-z][\w ,&/()'\-]{1,60}?)(?:\*\*)?\s*:(?:\*\*)?\s+(?P<text>\S.*)$",
    re.S,
)
# lists a card sometimes gives as one object or one string: read as a one-entry array (and reported)
_ONE_ENTRY = frozenset({
    "owners", "licenses", "references", "citations", "performance_metrics", "users", "use_cases",
    "limitations", "tradeoffs", "ethical_considerations",
})  # fmt: skip


def _keys_of(spec: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(spec, dict):
        for k, v in spec.items():
            out.add(k)
            out |= _keys_of(v)
    elif isinstance(spec, list):
        out |= _keys_of(spec[0])
    return out


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p.capitalize() for p in rest)


# proto-JSON (``MessageToJson`` without preserving_proto_field_name) spells every field in camelCase
_SNAKE = {
    _camel(k): k for k in _keys_of(V001) | _keys_of(V002) | _keys_of(TOLERATED) if _camel(k) != k
}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return "a number"


def _expected(specs: list[Any]) -> str:
    names = []
    for s in specs:
        name = (
            "an object" if isinstance(s, dict) else "an array" if isinstance(s, list)
            else "true or false" if s == BOOL else "a string"
        )  # fmt: skip
        if name not in names:
            names.append(name)
    return " or ".join(names)


class _Reader:
    """One card being read: its data (camelCase names normalised), lines, version and Builder."""

    def __init__(self, text: str, data: Mapping[str, Any], b: Builder) -> None:
        self.b, self.text = b, text
        self.camel = False
        try:  # lines by key path, camelCase names spelt as the schema's
            parsed = parse_with_lines(text)
            self.lines: dict[tuple[Any, ...], int] | None = {}
            for path, ln in parsed.lines.items():
                key = tuple(_SNAKE.get(p, p) if isinstance(p, str) else p for p in path)
                self.lines.setdefault(key, ln)
        except YamlProblem:
            self.lines = None
        self.data = self._normalise(data, ())
        self.version = LATEST

    # -- spelling and lines -------------------------------------------------------------------
    def _normalise(self, value: Any, path: tuple[Any, ...]) -> Any:
        if isinstance(value, Mapping):
            out: dict[str, Any] = {}
            written: dict[str, str] = {}
            for key, sub in value.items():
                name = _SNAKE.get(key, key) if isinstance(key, str) else key
                if name != key:
                    self.camel = True
                if name in out:
                    self.b.issue(f"{key!r} and {written[name]!r} are the same MCT field (camelCase and "
                                 f"snake_case spellings); {written[name]!r}, given first, is read",
                                 self.line(*path, name), str(name))  # fmt: skip
                    continue
                written[name] = key
                out[name] = self._normalise(sub, (*path, name))
            return out
        if isinstance(value, list):
            return [self._normalise(v, (*path, i)) for i, v in enumerate(value)]
        return value

    def shown(self, path: tuple[Any, ...]) -> str:
        """``model_details.licenses[0].identifier`` in the card's own spelling."""
        out = ""
        for p in path:
            if isinstance(p, int):
                out += f"[{p}]"
            else:
                name = _camel(p) if self.camel and p in _SNAKE.values() else p
                out += f".{name}" if out else name
        return out

    def line(self, *path: Any) -> int:
        """Line of ``path`` or of its nearest ancestor that has one (1 for the root)."""
        if self.lines is not None:
            p = tuple(path)
            while p:
                if p in self.lines:
                    return self.lines[p]
                p = p[:-1]
            return 1
        key = next((p for p in reversed(path) if isinstance(p, str)), None)
        if key is None:
            return 1
        spelled = _camel(key) if self.camel and key in _SNAKE.values() else key
        idx = self.text.find(f'"{spelled}"')
        return self.text.count("\n", 0, idx) + 1 if idx >= 0 else 1

    def exists(self, *path: Any) -> bool:
        node: Any = self.data
        for p in path:
            inside = (isinstance(node, Mapping) and p in node) or (
                isinstance(node, list) and isinstance(p, int) and 0 <= p < len(node)
            )
            if not inside:
                return False
            node = node[p]
        return True

    # -- version ------------------------------------------------------------------------------
    def markers(self) -> dict[str, list[str]]:
        """The keys and shapes that only one schema version has: {version: [where]}."""
        found: dict[str, list[str]] = {v: [] for v in SCHEMA_VERSIONS}

        def mark(version: str, *path: Any, shape: str = "") -> None:
            where = self.shown(path) + (f" {shape}" if shape else "")
            if where not in found[version]:
                found[version].append(where)

        md, mp, co = (_mapping(self.data.get(k)) for k in ("model_details", "model_parameters",
                                                            "considerations"))  # fmt: skip
        for key in ("license", "citation"):
            if isinstance(md.get(key), str):
                mark("0.0.1", "model_details", key)
        for key in ("licenses", "citations", "documentation", "path"):
            if key in md:
                mark("0.0.2", "model_details", key)
        for key, lists in (("model_details", ("references",)),
                           ("considerations", ("users", "use_cases", "limitations", "tradeoffs"))):  # fmt: skip
            section = md if key == "model_details" else co
            for name in lists:
                items = section.get(name)
                if isinstance(items, list) and any(isinstance(i, str) for i in items):
                    mark("0.0.1", key, name, shape="as strings")
                if isinstance(items, list) and any(isinstance(i, Mapping) for i in items):
                    mark("0.0.2", key, name, shape="as objects")
        if isinstance(mp.get("data"), Mapping):
            mark("0.0.1", "model_parameters", "data", shape="as {train, eval}")
        elif isinstance(mp.get("data"), list):
            mark("0.0.2", "model_parameters", "data", shape="as an array")
        for key in ("input_format_map", "output_format_map"):
            if key in mp:
                mark("0.0.2", "model_parameters", key)
        return found

    def detect(self) -> None:
        declared = self.data.get("schema_version")
        found = self.markers()
        inferred = (
            "0.0.1" if len(found["0.0.1"]) > len(found["0.0.2"]) else "0.0.2"
        )  # a tie (or nothing) is the toolkit's default, the latest version
        if declared is not None and str(declared).strip() in SCHEMA_VERSIONS:
            self.version = str(declared).strip()
            return
        self.version = inferred
        if declared is not None:
            self.b.issue(
                f"schema_version {declared!r} is not an MCT schema version auditor knows "
                f"({', '.join(SCHEMA_VERSIONS)}); read as {inferred}, the version its keys match",
                self.line("schema_version"),
                "schema_version",
            )
        elif found["0.0.1"] and found["0.0.2"]:
            self.b.issue(
                "no schema_version, and the keys mix MCT schema 0.0.1 ("
                f"{_some(found['0.0.1'])}) and 0.0.2 ({_some(found['0.0.2'])}): each key is "
                f'read by its own shape; add "schema_version": "{inferred}" and write the other '
                "keys in that version's form",
                1,
                "schema_version",
            )

    # -- keys and shapes ----------------------------------------------------------------------
    def check(self) -> None:
        other = "0.0.1" if self.version == "0.0.2" else "0.0.2"
        self._check(self.data, [KEYS[self.version], KEYS[other], TOLERATED], ())

    def _check(self, value: Any, specs: list[Any], path: tuple[Any, ...]) -> None:
        if any(s == SKIP for s in specs) or value is None:
            return
        here = self.shown(path)
        if (
            path
            and path[-1] in _ONE_ENTRY
            and isinstance(value, (Mapping, str))
            and not any(isinstance(s, dict) for s in specs)
        ):
            self.b.issue(f"{here}: expected an array, got {_kind(value)} (read as a one-entry array)",
                         self.line(*path), here)  # fmt: skip
            value = [value]
        if isinstance(value, Mapping):
            objects = [s for s in specs if isinstance(s, dict)]
            if not objects:
                self.b.issue(f"{here}: expected {_expected(specs)}, got an object (ignored)",
                             self.line(*path), here)  # fmt: skip
                return
            for key, sub in value.items():
                subs = [s[key] for s in objects if key in s]
                if subs:
                    self._check(sub, subs, (*path, key))
                    continue
                known = sorted({str(k) for s in objects for k in s})
                spelled = [_camel(k) for k in known] if self.camel else known
                where = self.shown((*path, key))
                self.b.issue(
                    f"unknown {'top-level ' if not path else ''}key "
                    f"{where if path else repr(key)}{suggest(str(key), spelled)} "
                    f"(MCT schema v{self.version})",
                    self.line(*path, key),
                    where,
                )
            return
        if isinstance(value, list):
            items = [s[0] for s in specs if isinstance(s, list)]
            if not items:
                self.b.issue(f"{here}: expected {_expected(specs)}, got an array (ignored)",
                             self.line(*path), here)  # fmt: skip
                return
            for i, item in enumerate(value):
                self._check(item, items, (*path, i))
            return
        fits = any(
            (s == BOOL and isinstance(value, bool))
            or (s == TEXT and isinstance(value, (str, int, float)) and not isinstance(value, bool))
            for s in specs
        )
        if not fits:
            self.b.issue(f"{here}: expected {_expected(specs)}, got {_kind(value)} (ignored)",
                         self.line(*path), here)  # fmt: skip

    # -- anchors ------------------------------------------------------------------------------
    def anchors(self) -> None:
        """Where each absent field belongs: the line of its nearest existing MCT parent (line 1, the
        root, when even the section is absent, so a field never points into an unrelated section)."""
        from .requirements import FIELD_KEYS

        for key in sorted(FIELD_KEYS, key=lambda k: -k.count(".")):
            home = mct_home(key)
            if home is None:
                continue
            for n in range(len(home), 0, -1):
                if self.exists(*home[:n]):
                    self.b.anchor(key, self.line(*home[:n]))
                    break
            else:
                self.b.anchor(key, 1)


def _some(items: list[str], n: int = 3) -> str:
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(str(value).strip().rstrip("%"))
    except ValueError:
        return None


def _text(item: Any, *keys: str) -> str | None:
    """A list entry's text: the entry itself (0.0.1 strings) or its first present key (0.0.2 objects)."""
    if isinstance(item, Mapping):
        value = next((item[k] for k in keys if item.get(k) is not None), None)
        return None if value is None or isinstance(value, (Mapping, list)) else str(value)
    if item is None or isinstance(item, (list, bool)):
        return None
    return str(item)


def _label_fields(label: str) -> tuple[str, ...]:
    """The fields a label such as ``Out-of-scope use`` names that MCT has no place for (read by the card
    field lexicon, its most specific row); none for other labels (``Note``; ``Bias``, which names a field
    MCT has: an ordinary entry)."""
    from .lexicon import fields_for
    from .markdown import normalise_heading

    for fields, _scope in fields_for(normalise_heading(label), heading=False):
        return tuple(f for f in fields if f not in MCT_NATIVE)
    return ()


def _labelled(text: str) -> tuple[tuple[str, ...], str] | None:
    """``"Out-of-scope use: screening for promotions"`` -> ((``use.out_of_scope``,), the text)."""
    m = _LABEL.match(text)
    fields = _label_fields(m["label"]) if m is not None else ()
    return (fields, m["text"].strip()) if m is not None and fields else None


def _labelled_lines(text: str) -> tuple[list[tuple[str, str]], str]:
    """A free text (``documentation``, a dataset ``description``) split into labelled blocks: each line
    ``<Label>: <text>`` whose label names a field MCT has no place for starts one, the lines after it
    continue it. Returns ([(field, text)], the rest of the text)."""
    found: list[tuple[tuple[str, ...], list[str]]] = []
    rest: list[str] = []
    current: list[str] | None = None
    for ln in text.splitlines():
        hit = _labelled(ln)
        if hit is not None:
            current = [hit[1]]
            found.append((hit[0], current))
        elif current is not None and ln.strip() and not _LABEL.match(ln):
            current.append(ln.strip())
        else:
            current = None
            rest.append(ln)
    return [(f, " ".join(t)) for fields, t in found for f in fields], "\n".join(rest).strip()


def _entries(value: Any) -> list[Any]:
    """A list as written; one object or string given where a list belongs, as a one-entry list."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def load_mct_json(text: str, path: str) -> Document:
    b = Builder(path, "mct-json", "card")
    try:  # strict and bounded: duplicate keys, NaN, nesting deeper than MAX_DEPTH are refused
        data = parse_json(text, max_depth=MAX_DEPTH)
    except LoadProblem as exc:
        message = exc.message.replace("not valid JSON", "invalid JSON")
        b.issue(message, exc.line or 1, fatal=True)
        return b.build()
    if not isinstance(data, Mapping):
        b.issue(f"expected a JSON object, got {type(data).__name__}", 1, fatal=True)
        return b.build()
    r = _Reader(text, data, b)
    r.detect()
    r.check()
    _details(r)
    _parameters(r)
    _performance(r)
    _considerations(r)
    _prose(r)
    r.anchors()
    return b.build()


def _prose(r: _Reader) -> None:
    """Key sentences in the card's free text (the name, overview, documentation, dataset descriptions,
    considerations): found with low confidence at the value's line, as in a Markdown card; and the
    architecture names the kind of model."""
    md = _mapping(r.data.get("model_details"))
    mp = _mapping(r.data.get("model_parameters"))
    arch = mp.get("model_architecture")
    if isinstance(arch, str) and arch.strip():
        at = r.line("model_parameters", "model_architecture")
        r.b.add("model.type", arch, at, r.shown(("model_parameters", "model_architecture")))
    texts: list[tuple[str, tuple[Any, ...]]] = [
        (md[k], ("model_details", k))
        for k in ("name", "overview", "documentation")
        if isinstance(md.get(k), str)
    ]
    raw = mp.get("data")
    datasets = raw.items() if isinstance(raw, Mapping) else enumerate(_list(raw))
    for key, d in datasets:
        if isinstance(d, Mapping) and isinstance(d.get("description"), str):
            texts.append((d["description"], ("model_parameters", "data", key, "description")))
    co = _mapping(r.data.get("considerations"))
    for key in ("users", "use_cases", "limitations", "tradeoffs", "ethical_considerations"):
        for i, item in enumerate(_entries(co.get(key))):
            for sub in ("description", "name", "mitigation_strategy"):
                t = (
                    _text(item, sub)
                    if isinstance(item, Mapping)
                    else (item if sub == "description" else None)
                )
                if isinstance(t, str):
                    path = ("considerations", key, i) + (
                        (sub,) if isinstance(item, Mapping) else ()
                    )
                    texts.append((t, path))
    for t, path in texts:
        scan_text(r.b, t, r.line(*path), r.shown(path))


def _details(r: _Reader) -> None:
    b, line, shown = r.b, r.line, r.shown
    md = _mapping(r.data.get("model_details"))
    for key, field in (("name", "model.name"), ("overview", "model.description"),
                       ("documentation", "model.description")):  # fmt: skip
        if key not in md or isinstance(md[key], (Mapping, list)):
            continue
        value = md[key]
        if key in ("overview", "documentation") and isinstance(value, str):
            labelled, rest = _labelled_lines(value)
            ln = line("model_details", key)
            for f, t in labelled:  # "Human oversight: ..." lines: fields MCT has no place for
                b.add(f, t, ln, f"{shown(('model_details', key))} (label)")
            if labelled and not rest:
                continue
            value = rest if labelled else value
        b.add(field, value, line("model_details", key), shown(("model_details", key)))
    owners = [o for o in _entries(md.get("owners")) if isinstance(o, Mapping)]
    for key, field in (("name", "provider.name"), ("contact", "provider.contact")):
        found = [(i, o[key]) for i, o in enumerate(owners) if key in o]
        if found:
            b.add(field, [v for _, v in found], line("model_details", "owners"),
                  shown(("model_details", "owners")) + f"[].{key}",
                  [line("model_details", "owners", i, key) for i, _ in found])  # fmt: skip
    version = _mapping(md.get("version"))
    for sub, field in (
        ("name", "model.version"),
        ("date", "model.release_date"),
        ("diff", "changelog"),
    ):
        if sub in version and not isinstance(version[sub], (Mapping, list)):
            b.add(field, version[sub], line("model_details", "version", sub),
                  shown(("model_details", "version", sub)))  # fmt: skip
    _licenses(r, md)
    refs = [(i, _text(x, "reference")) for i, x in enumerate(_entries(md.get("references")))]
    if "references" in md:
        b.add("references", [t for _, t in refs if t is not None], line("model_details", "references"),
              shown(("model_details", "references")),
              [line("model_details", "references", i) for i, t in refs if t is not None])  # fmt: skip
    citations: list[tuple[str, int | None]] = []
    for i, c in enumerate(_entries(md.get("citations"))):
        if (cited := _text(c, "citation")) is not None:
            citations.append((cited, line("model_details", "citations", i)))
    single = md.get("citation")  # 0.0.1 (a string); some 0.0.2 exports: {citation: ...}
    if (cited := _text(single, "citation")) is not None:
        citations.append((cited, line("model_details", "citation")))
    if citations or "citations" in md or "citation" in md:
        key = "citations" if "citations" in md else "citation"
        b.add("citation", [t for t, _ in citations], line("model_details", key),
              shown(("model_details", key)), [ln for _, ln in citations])  # fmt: skip


def _licenses(r: _Reader, md: Mapping[str, Any]) -> None:
    """Each license as its own value: an ``identifier`` as the id string (``proprietary`` kept as
    ``{identifier: proprietary}``, the schema's value for an unlicensed model), ``custom_text`` as
    ``{custom_text: ...}``; 0.0.1's single ``license`` string as written."""
    entries: list[tuple[Any, tuple[Any, ...]]] = [
        (lic, ("model_details", "licenses", i))
        for i, lic in enumerate(_entries(md.get("licenses")))
    ]
    if "license" in md:
        entries.append((md["license"], ("model_details", "license")))
    for lic, at in entries:
        where, ln = r.shown(at), r.line(*at)
        if isinstance(lic, Mapping):
            ident, custom = lic.get("identifier"), lic.get("custom_text")
            ln = r.line(*at, "identifier" if ident is not None else "custom_text")
            if ident is not None and custom is not None:
                r.b.issue(f"{where}: give either identifier or custom_text, not both (the schema's "
                          "oneOf); the identifier is read", ln, "license")  # fmt: skip
            if ident is not None and not isinstance(ident, (Mapping, list)):
                value: Any = (
                    {"identifier": str(ident)}
                    if str(ident).strip().lower() == "proprietary"
                    else str(ident)
                )
                r.b.add("license", value, ln, f"{where}.identifier")
            elif custom is not None and not isinstance(custom, (Mapping, list)):
                r.b.add("license", {"custom_text": str(custom)}, ln, f"{where}.custom_text")
            else:
                r.b.issue(f"{where}: needs identifier or custom_text (the schema's only required "
                          "constraint)", ln, "license")  # fmt: skip
        elif lic is not None and not isinstance(lic, list):
            r.b.add("license", lic if isinstance(lic, str) else str(lic), ln, where)


def _split_of(d: Mapping[str, Any], split: str | None) -> tuple[bool, bool]:
    """(training, evaluation) for one dataset: the 0.0.1 key (``train``/``eval``), else its name, else
    its description; a dataset that names neither counts as training data."""
    if split is not None:
        return split == "train", split == "eval"
    for key in ("name", "description"):
        text = _text(d, key) or ""
        train, evaluation = bool(_TRAIN.search(text)), bool(_EVAL.search(text))
        if train or evaluation:
            return train, evaluation
    return True, False


def _parameters(r: _Reader) -> None:
    b, line, shown = r.b, r.line, r.shown
    mp = _mapping(r.data.get("model_parameters"))
    if "model_architecture" in mp and not isinstance(mp["model_architecture"], (Mapping, list)):
        b.add("model.architecture", mp["model_architecture"], line("model_parameters", "model_architecture"),
              shown(("model_parameters", "model_architecture")))  # fmt: skip
    for key, field in (("input_format", "io.input_spec"), ("output_format", "io.output_spec")):
        if key in mp and not isinstance(mp[key], (Mapping, list)):
            b.add(field, mp[key], line("model_parameters", key), shown(("model_parameters", key)))
        pairs = [p for p in _list(mp.get(f"{key}_map")) if isinstance(p, Mapping)]
        if f"{key}_map" in mp:
            b.add(field, {str(p.get("key")): p.get("value") for p in pairs},
                  line("model_parameters", f"{key}_map"), shown(("model_parameters", f"{key}_map")))  # fmt: skip
    raw = mp.get("data")
    datasets: list[tuple[Mapping[str, Any], tuple[Any, ...], str | None]] = (
        [(d, ("model_parameters", "data", s), s) for s in ("train", "eval")
         if isinstance(d := raw.get(s), Mapping)]
        if isinstance(raw, Mapping)
        else [(d, ("model_parameters", "data", i), None) for i, d in enumerate(_list(raw))
              if isinstance(d, Mapping)]
    )  # fmt: skip
    training: list[tuple[dict[str, Any], int | None]] = []
    evaluation: list[tuple[dict[str, Any], int | None]] = []
    sensitive: list[tuple[str, int | None]] = []
    for d, at, split in datasets:
        ln = line(*at)
        entry = {k: d[k] for k in ("name", "link", "description") if d.get(k) is not None}
        if split is not None and "name" not in entry:  # 0.0.1 names a dataset by its key
            entry["split"] = split
        description = _text(d, "description")
        if description is not None:  # "Provenance: ..." lines: data fields MCT has no place for
            labelled, rest = _labelled_lines(description)
            for f, t in labelled:
                b.add(f, t, line(*at, "description"), f"{shown(at)}.description (label)")
            if labelled and rest:
                entry["description"] = rest
            elif labelled:
                entry.pop("description")
        is_train, is_eval = _split_of(d, split)
        if is_train:
            training.append((entry, ln))
        if is_eval:
            evaluation.append((entry, ln))
        sens = d.get("sensitive")
        if isinstance(
            sens, bool
        ):  # 0.0.1: "does this dataset contain human or other sensitive data?"
            b.add(
                "data.contains_special_category",
                sens,
                line(*at, "sensitive"),
                f"{shown(at)}.sensitive",
            )
        for s in _list(_mapping(sens).get("sensitive_data")):
            if s is not None and not isinstance(s, (Mapping, list)):
                sensitive.append((str(s), line(*at, "sensitive")))
    where = shown(("model_parameters", "data"))
    for field, items in (("data.training", training), ("data.evaluation", evaluation)):
        if items:
            b.add(field, [e for e, _ in items], items[0][1], where, [ln for _, ln in items])
    if sensitive:
        b.add("data.sensitive_attributes", [s for s, _ in sensitive], sensitive[0][1],
              f"{where}[].sensitive.{r.shown(('sensitive_data',))}", [ln for _, ln in sensitive])  # fmt: skip


def _performance(r: _Reader) -> None:
    b, line, shown = r.b, r.line, r.shown
    qa = _mapping(r.data.get("quantitative_analysis"))
    overall: list[tuple[dict[str, Any], int | None, dict[str, int]]] = []
    by_group: list[tuple[dict[str, Any], int | None, dict[str, int]]] = []
    claims: list[tuple[dict[str, Any], int | None, dict[str, int]]] = []
    names: list[str] = []
    for i, pm in enumerate(_entries(qa.get("performance_metrics"))):
        at = ("quantitative_analysis", "performance_metrics", i)
        ln = line(*at)
        if (
            not isinstance(pm, Mapping)
            or not pm.get("type")
            or isinstance(pm["type"], (Mapping, list))
        ):
            b.issue(f"{shown(at)}: needs a type", ln, "results")
            continue
        names.append(str(pm["type"]))
        metric = canonical_metric(str(pm["type"])) or str(pm["type"])
        row: dict[str, Any] = {"metric": metric}
        keys = {k: kl for k in pm if (kl := line(*at, k)) is not None}
        if pm.get("value") is not None:
            value = _number(pm.get("value"))
            if value is None:
                b.issue(
                    f"{shown(at)}.value: not a number ({pm.get('value')!r})",
                    line(*at, "value"),
                    "results",
                )
                continue
            row["value"] = value
        ci = _mapping(pm.get("confidence_interval"))
        lo, hi = _number(ci.get("lower_bound")), _number(ci.get("upper_bound"))
        if lo is not None and hi is not None:
            row |= {"ci_low": lo, "ci_high": hi}
            keys |= {"ci_low": line(*at, "confidence_interval", "lower_bound") or ln,
                     "ci_high": line(*at, "confidence_interval", "upper_bound") or ln}  # fmt: skip
        if "value" not in row and "ci_low" not in row:
            b.issue(f"{shown(at)}: needs a value or a confidence_interval", ln, "results")
            continue
        threshold = _number(pm.get("threshold"))
        if threshold is not None:  # 0.0.1's decision threshold
            row["threshold"] = threshold
        slice_ = str(pm.get("slice") or "").strip()
        if slice_ and slice_.lower() not in ("overall", "all", "full", ""):
            m = _SLICE.match(slice_)
            row |= (
                {"feature": m["feature"], "group": m["group"]}
                if m
                else {"feature": slice_, "group": None}
                if metric in FAIRNESS_METRICS  # a feature-level claim: slice "sex"
                else {"feature": None, "group": slice_}
            )
            (claims if metric in FAIRNESS_METRICS else by_group).append((row, ln, keys))
        elif metric in FAIRNESS_METRICS:
            claims.append((row, ln, keys))
        else:
            overall.append((row, ln, keys))
    at_pm = ("quantitative_analysis", "performance_metrics")
    if names:
        b.add("metrics", sorted(set(names)), line(*at_pm), f"{shown(at_pm)}[].type")
    for field, rows in (
        ("results.overall", overall),
        ("results.by_group", by_group),
        ("fairness.claims", claims),
    ):
        if rows:
            b.add(field, [r for r, _, _ in rows], rows[0][1], shown(at_pm), [ln for _, ln, _ in rows],
                  [k for _, _, k in rows])  # fmt: skip


def _considerations(r: _Reader) -> None:
    b, line, shown = r.b, r.line, r.shown
    co = _mapping(r.data.get("considerations"))
    for key, field in (("users", "use.intended_users"), ("use_cases", "use.intended"),
                       ("limitations", "limitations"), ("tradeoffs", "tradeoffs")):  # fmt: skip
        if key not in co:
            continue
        texts: list[tuple[str, int | None]] = []
        for i, item in enumerate(_entries(co[key])):
            t = _text(item, "description")
            if t is None:
                continue
            ln = line("considerations", key, i)
            found = _labelled(t)
            if found is not None:  # "Out-of-scope use: ...": fields MCT has no place for
                for f in found[0]:
                    b.add(f, found[1], ln, f"{shown(('considerations', key, i))} (label)")
            else:
                texts.append((t, ln))
        if texts or not _entries(co[key]):
            b.add(field, [t for t, _ in texts], line("considerations", key),
                  shown(("considerations", key)), [ln for _, ln in texts])  # fmt: skip
    if "ethical_considerations" in co:
        risks: list[tuple[dict[str, Any], int | None, dict[str, int]]] = []
        for i, e in enumerate(_entries(co["ethical_considerations"])):
            at = ("considerations", "ethical_considerations", i)
            if isinstance(e, Mapping):
                risk = {"name": _text(e, "name"), "mitigation": _text(e, "mitigation_strategy")}
                keys = {
                    "name": line(*at, "name") or 0,
                    "mitigation": line(*at, "mitigation_strategy") or 0,
                }
                risks.append((risk, line(*at), {k: v for k, v in keys.items() if v}))
            elif (t := _text(e)) is not None:
                risks.append(({"name": t, "mitigation": None}, line(*at), {}))
        b.add("risks", [x for x, _, _ in risks], line("considerations", "ethical_considerations"),
              shown(("considerations", "ethical_considerations")), [ln for _, ln, _ in risks],
              [k for _, _, k in risks])  # fmt: skip
