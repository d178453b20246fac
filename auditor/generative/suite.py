"""Counterfactual prompt suites: the paired prompts of a correspondence test, from a YAML template.

A correspondence (audit) test renders every *base case* (a résumé, a loan application, a customer
message) once per *group*, changing only the cue of group membership (a first name, a pronoun),
and compares the model's decisions within each base case. :func:`load_suite` reads the template
and :func:`build_suite` builds the same from a mapping::

    suite: resume-screen          # the suite's id (required)
    seed: 13                      # seeds the cue assignment and the order (recorded; default 0)
    system: 'You screen résumés. Answer {"decision": "advance"} or {"decision": "reject"}.'
    template: |                   # {slot} placeholders; {{ and }} are literal braces
      {name} applies for the {role} role. {Pronoun} has {years} years of experience.
    cases:                        # base cases: an id and the case's own slot values
      - {id: c01, role: analyst, years: 5}
      - {id: c02, role: nurse, years: 2, template: "A case with its own template, {name}."}
    groups:                       # cue lists per group: slot -> values, or a list of bundles
      black_female:
        from: bertrand_mullainathan_2004.black_female   # start from a shipped group (optional)
        cues: {pronoun: [she]}                           # ... and add slots to it
      white_male:
        from: bertrand_mullainathan_2004.white_male
        cues: {pronoun: [he]}
    # use: [english_pronouns]     # instead of groups: every group of a cue set, unchanged
    # cue_files: [my_names.yaml]  # your own cue sets (same shape as the shipped file)

**Slots.** A placeholder is filled by the case (``role``, ``years``) or by the group's cues
(``name``, ``pronoun``); never by both. ``{Pronoun}`` (first letter upper case) is the value of
``pronoun`` with its first letter upper-cased, unless ``Pronoun`` is a slot of its own.

**Cues.** ``cues: {name: [...], pronoun: [...]}`` draws each slot independently; a list of
bundles (``cues: [{name: Emily, pronoun: she}, ...]``) keeps the values of one bundle together.
For each group and slot (or bundle list) the values are put in a seeded random order and dealt
to the base cases in turn, so every value is used about equally often and a re-run with the
same seed renders the same prompts.

**Order.** The rendered variants are shuffled with the seed; the order is part of the output
(:attr:`Variant.position`, and :attr:`Suite.variants` is in that order), because models answer
differently depending on what came before in a batch or session.

**Shipped cue sets** (``auditor/generative/data/cues.yaml``), only where the source can be cited
exactly, with no number that the source does not print:

- ``bertrand_mullainathan_2004``: the 36 first names of Bertrand & Mullainathan (2004), American
  Economic Review 94(4): 991-1013, Table 8, in four groups (``white_female``, ``black_female``,
  ``white_male``, ``black_male``) as cues of perceived race and sex. The names are noisy cues:
  they also signal class, and later survey work (Gaddis 2017, Sociological Science 4: 469-489)
  measured that perception differs between names of the same list. No perception rate is
  shipped; bring measured rates with your own list.
- ``english_pronouns``: ``pronoun`` / ``object`` / ``possessive`` / ``reflexive`` for
  ``female``, ``male`` and singular ``nonbinary_they`` (grammar, not a measurement). Write
  templates whose verbs agree with singular *they*, or give bundles.
- ``neumark_burn_button_2019``: age cues (``young`` / ``middle_aged`` / ``older``: ``age``,
  ``birth_year`` and graduation years agreeing with each other), after the design of Neumark,
  Burn & Button (2019), Journal of Political Economy 127(2): 922-970; the values are auditor's.
- ``ameri_et_al_2018``: disability disclosed in a cover letter (``no_disclosure`` /
  ``spinal_cord_injury`` / ``aspergers``, slot ``disability_statement``), after the design of
  Ameri et al. (2018), ILR Review 71(2): 329-364; the wording is auditor's.

**Your own lists** (the hook): a YAML file listed under ``cue_files`` (paths relative to the
template) with the same shape as the shipped file, ``cue_sets: {<set>: {source, description,
groups: {<group>: {attributes, cues}}}}``. Its sets are used like the shipped ones (``use`` or
``from: <set>.<group>``); a user set with the name of a shipped one replaces it. ``source`` is
recorded in the suite's manifest: cite where your list comes from.

**Errors.** Every problem of the template is one :class:`~auditor.errors.ConfigError` naming the
file and the key: an unknown key, a placeholder no case or group fills, a cue for a slot the
template does not have, a group without cues, an empty cue list, a case filling a cue slot,
duplicate case ids, fewer than two groups, no base case.
"""

from __future__ import annotations

import hashlib
import json
import random
import string
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError, suggest
from ..safeload import load_yaml
from .endpoint import ChatRequest

__all__ = [
    "CueGroup",
    "CueSet",
    "Suite",
    "Variant",
    "build_suite",
    "load_cue_sets",
    "load_suite",
    "shipped_cue_sets",
]

_DATA = Path(__file__).resolve().parent / "data" / "cues.yaml"
_TOP_KEYS = ("suite", "seed", "system", "template", "cases", "groups", "use", "cue_files")
_GROUP_KEYS = ("from", "attributes", "cues")


@dataclass(frozen=True)
class CueGroup:
    """One group's cues: ``slots`` (slot -> values, drawn independently) or ``bundles`` (values
    drawn together); ``attributes`` name the group membership the cues signal
    (``{"race_ethnicity": "Black", "sex": "Female"}``), the columns the fairness tables use."""

    name: str
    slots: tuple[tuple[str, tuple[str, ...]], ...] = ()
    bundles: tuple[tuple[tuple[str, str], ...], ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    source: str = ""
    cue_set: str = ""  # the cue set it comes from ("" for a group the template defines)

    @property
    def slot_names(self) -> frozenset[str]:
        if self.bundles:
            return frozenset(k for bundle in self.bundles for k, _ in bundle)
        return frozenset(k for k, _ in self.slots)


@dataclass(frozen=True)
class CueSet:
    """A named collection of groups with its citation."""

    name: str
    source: str
    description: str
    groups: tuple[CueGroup, ...]

    def group(self, name: str) -> CueGroup | None:
        return next((g for g in self.groups if g.name == name), None)


@dataclass(frozen=True)
class Variant:
    """One rendered prompt: base case ``case_id`` with the cues of ``group``."""

    variant_id: str
    case_id: str
    group: str
    position: int
    prompt: str
    cues: tuple[tuple[str, str], ...]
    attributes: tuple[tuple[str, str], ...]

    def __repr__(self) -> str:  # the prompt may quote a case's personal details
        return (
            f"Variant(variant_id={self.variant_id!r}, position={self.position}, "
            f"prompt=<{len(self.prompt)} chars>)"
        )


@dataclass(frozen=True)
class Suite:
    """The rendered suite. :attr:`variants` is in presentation order (``position`` 0, 1, ...)."""

    suite_id: str
    seed: int
    system: str | None
    groups: tuple[str, ...]
    case_ids: tuple[str, ...]
    variants: tuple[Variant, ...]
    sources: tuple[tuple[str, str], ...]  # (cue set, its citation) for every cue set used
    template_sha256: str

    def __len__(self) -> int:
        return len(self.variants)

    def __iter__(self) -> Iterator[Variant]:
        return iter(self.variants)

    def requests(self) -> list[ChatRequest]:
        """One chat request per variant, in presentation order, ``request_id`` = variant id."""
        return [
            ChatRequest.from_prompt(v.prompt, system=self.system, request_id=v.variant_id)
            for v in self.variants
        ]

    def records(self) -> list[dict[str, Any]]:
        """One flat row per variant (``case_id``, ``group``, ``position``, ``prompt``, the cues as
        ``cue_<slot>`` and the group's attribute columns): the logged-interactions layout."""
        rows = []
        for v in self.variants:
            row: dict[str, Any] = {
                "variant_id": v.variant_id,
                "case_id": v.case_id,
                "group": v.group,
                "position": v.position,
                "prompt": v.prompt,
            }
            row.update({f"cue_{k}": val for k, val in v.cues})
            row.update(dict(v.attributes))
            rows.append(row)
        return rows

    def manifest(self) -> dict[str, Any]:
        """What a report records: id, seed, sizes, groups, the cue sets' citations, the template
        hash and the order (variant ids by position)."""
        return {
            "suite": self.suite_id,
            "seed": self.seed,
            "cases": len(self.case_ids),
            "groups": list(self.groups),
            "variants": len(self.variants),
            "cue_sources": dict(self.sources),
            "template_sha256": self.template_sha256,
            "order": [v.variant_id for v in self.variants],
        }

    def write_jsonl(self, path: Path) -> None:
        """The :meth:`records` as JSON Lines (one variant per line, in presentation order)."""
        with Path(path).open("w", encoding="utf-8") as fh:
            for row in self.records():
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _fail(where: str, key: str, message: str) -> ConfigError:
    return ConfigError(f"{where}: {key}: {message}" if key else f"{where}: {message}")


def _text(value: Any) -> str | None:
    """A cue or slot value as text (numbers and booleans as written in YAML), else None."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _parse_group(
    name: str,
    spec: Any,
    where: str,
    key: str,
    base: CueGroup | None = None,
    source: str = "",
    cue_set: str = "",
) -> CueGroup:
    if not isinstance(spec, Mapping):
        raise _fail(where, key, "must be a mapping with cues (and optional from, attributes)")
    for k in spec:
        if k not in _GROUP_KEYS:
            raise _fail(where, f"{key}.{k}", "unknown key" + suggest(str(k), _GROUP_KEYS))
    attributes: dict[str, str] = dict(base.attributes) if base else {}
    raw_attrs = spec.get("attributes", {}) or {}
    if not isinstance(raw_attrs, Mapping):
        raise _fail(where, f"{key}.attributes", "must be a mapping (column: value)")
    for k, v in raw_attrs.items():
        text = _text(v)
        if text is None:
            raise _fail(where, f"{key}.attributes.{k}", "must be a single value")
        attributes[str(k)] = text
    cues = spec.get("cues")
    slots: dict[str, tuple[str, ...]] = dict(base.slots) if base else {}
    bundles: list[tuple[tuple[str, str], ...]] = list(base.bundles) if base else []
    if cues is None and base is None:
        raise _fail(where, key, "has no cues")
    if isinstance(cues, Mapping):
        if not cues and base is None:
            raise _fail(where, f"{key}.cues", "has no cues")
        if bundles:
            raise _fail(where, f"{key}.cues", "cannot add slot lists to a group of bundles")
        for slot, values in cues.items():
            path = f"{key}.cues.{slot}"
            if isinstance(values, (str, int, float)) and not isinstance(values, bool):
                values = [values]
            if not isinstance(values, Sequence) or isinstance(values, str):
                raise _fail(where, path, "must be a list of values")
            texts = [_text(v) for v in values]
            if not texts:
                raise _fail(where, path, "empty cue list")
            if any(t is None or not t.strip() for t in texts):
                raise _fail(where, path, "every cue must be a non-empty single value")
            slots[str(slot)] = tuple(t for t in texts if t is not None)
    elif isinstance(cues, Sequence) and not isinstance(cues, str):
        if slots:
            raise _fail(where, f"{key}.cues", "cannot add bundles to a group of slot lists")
        if not cues:
            raise _fail(where, f"{key}.cues", "empty cue list")
        for i, bundle in enumerate(cues):
            path = f"{key}.cues[{i}]"
            if not isinstance(bundle, Mapping) or not bundle:
                raise _fail(where, path, "a bundle must be a non-empty mapping (slot: value)")
            items = []
            for slot, value in bundle.items():
                text = _text(value)
                if text is None or not text.strip():
                    raise _fail(where, f"{path}.{slot}", "must be a non-empty single value")
                items.append((str(slot), text))
            bundles.append(tuple(items))
        keysets = {frozenset(k for k, _ in b) for b in bundles}
        if len(keysets) > 1:
            raise _fail(where, f"{key}.cues", "every bundle must fill the same slots")
    elif cues is not None:
        raise _fail(where, f"{key}.cues", "must be a mapping (slot: values) or a list of bundles")
    return CueGroup(
        name=name,
        slots=tuple(slots.items()),
        bundles=tuple(bundles),
        attributes=tuple(attributes.items()),
        source=source or (base.source if base else ""),
        cue_set=cue_set or (base.cue_set if base else ""),
    )


def _parse_cue_sets(data: Any, where: str) -> dict[str, CueSet]:
    if not isinstance(data, Mapping) or not isinstance(data.get("cue_sets"), Mapping):
        raise _fail(where, "cue_sets", "a cue file needs a cue_sets mapping")
    out: dict[str, CueSet] = {}
    for set_name, spec in data["cue_sets"].items():
        key = f"cue_sets.{set_name}"
        if not isinstance(spec, Mapping):
            raise _fail(where, key, "must be a mapping")
        for k in spec:
            if k not in ("source", "description", "slot", "groups"):
                raise _fail(
                    where,
                    f"{key}.{k}",
                    "unknown key" + suggest(str(k), ("source", "description", "slot", "groups")),
                )
        source = _text(spec.get("source")) or ""
        groups_spec = spec.get("groups")
        if not isinstance(groups_spec, Mapping) or not groups_spec:
            raise _fail(where, f"{key}.groups", "a cue set needs at least one group")
        groups = tuple(
            _parse_group(
                str(g), gspec, where, f"{key}.groups.{g}", source=source, cue_set=str(set_name)
            )
            for g, gspec in groups_spec.items()
        )
        out[str(set_name)] = CueSet(
            str(set_name), source, _text(spec.get("description")) or "", groups
        )
    return out


@cache
def shipped_cue_sets() -> dict[str, CueSet]:
    """The cue sets shipped with auditor (``auditor/generative/data/cues.yaml``), by name."""
    return _parse_cue_sets(load_yaml(_DATA, what="cue list"), str(_DATA))


def load_cue_sets(path: Path) -> dict[str, CueSet]:
    """A user's cue file (the shape of the shipped one), by set name."""
    path = Path(path)
    return _parse_cue_sets(load_yaml(path, what="cue list"), str(path))


def _placeholders(template: str, where: str, key: str) -> list[str]:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise _fail(
            where, key, f"invalid placeholder syntax ({exc}); write {{{{ for a literal brace"
        ) from None
    names = []
    for _, field_name, spec, conversion in parsed:
        if field_name is None:
            continue
        if not field_name or not field_name.isidentifier() or spec or conversion:
            shown = (
                "{"
                + field_name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
            raise _fail(where, key, f"placeholder {shown} must be a plain {{slot_name}}")
        if field_name not in names:
            names.append(field_name)
    return names


def _deal(values: Sequence[Any], n_cases: int, seed: int, label: str) -> list[Any]:
    """Values for ``n_cases`` cases: a seeded permutation, dealt in turn (balanced use)."""
    order = list(values)
    random.Random(f"{seed}\x1f{label}").shuffle(order)  # noqa: S311 - reproducible order, not a secret
    return [order[i % len(order)] for i in range(n_cases)]


def build_suite(data: Any, *, where: str = "suite", base_dir: Path | None = None) -> Suite:
    """A :class:`Suite` from a parsed template (see the module docstring); ``where`` names the
    source in errors, ``base_dir`` resolves ``cue_files``."""
    if not isinstance(data, Mapping):
        raise _fail(where, "", "a suite template must be a mapping")
    for k in data:
        if k not in _TOP_KEYS:
            raise _fail(where, str(k), "unknown key" + suggest(str(k), _TOP_KEYS))
    suite_id = _text(data.get("suite"))
    if not suite_id:
        raise _fail(where, "suite", "the suite needs an id")
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise _fail(where, "seed", f"must be an integer, got {seed!r}")
    system = data.get("system")
    if system is not None and not isinstance(system, str):
        raise _fail(where, "system", "must be text")
    default_template = data.get("template")
    if default_template is not None and not isinstance(default_template, str):
        raise _fail(where, "template", "must be text")

    sets = dict(shipped_cue_sets())
    cue_files = data.get("cue_files") or []
    if isinstance(cue_files, str):
        cue_files = [cue_files]
    if not isinstance(cue_files, Sequence):
        raise _fail(where, "cue_files", "must be a list of paths")
    for i, rel in enumerate(cue_files):
        if not isinstance(rel, str):
            raise _fail(where, f"cue_files[{i}]", "must be a path")
        path = Path(rel)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.is_file():
            raise _fail(where, f"cue_files[{i}]", f"no such file: {rel}")
        sets.update(load_cue_sets(path))

    # groups: from `use` (whole sets), then `groups` (own or derived)
    groups: dict[str, CueGroup] = {}
    use = data.get("use") or []
    if isinstance(use, str):
        use = [use]
    if not isinstance(use, Sequence):
        raise _fail(where, "use", "must be a cue set name or a list of them")
    for i, set_name in enumerate(use):
        if set_name not in sets:
            raise _fail(
                where, f"use[{i}]", f"unknown cue set {set_name!r}" + suggest(str(set_name), sets)
            )
        for g in sets[set_name].groups:
            if g.name in groups:
                raise _fail(where, f"use[{i}]", f"group {g.name!r} is defined twice")
            groups[g.name] = g
    own = data.get("groups") or {}
    # slots the template's own `cues` name (a shipped set may offer slots a template leaves unused)
    declared: dict[str, set[str]] = {}
    if not isinstance(own, Mapping):
        raise _fail(where, "groups", "must be a mapping of group name to cues")
    for gname, spec in own.items():
        key = f"groups.{gname}"
        if str(gname) in groups:
            raise _fail(where, key, "group is defined twice (also by use)")
        base = None
        if isinstance(spec, Mapping) and "from" in spec:
            ref = _text(spec["from"]) or ""
            set_name, _, group_name = ref.partition(".")
            if set_name not in sets:
                raise _fail(
                    where, f"{key}.from", f"unknown cue set {set_name!r}" + suggest(set_name, sets)
                )
            base = sets[set_name].group(group_name)
            if base is None:
                names = [g.name for g in sets[set_name].groups]
                raise _fail(
                    where,
                    f"{key}.from",
                    f"cue set {set_name!r} has no group {group_name!r}"
                    + suggest(group_name, names),
                )
        groups[str(gname)] = _parse_group(str(gname), spec, where, key, base=base)
        own_cues = spec.get("cues") if isinstance(spec, Mapping) else None
        if isinstance(own_cues, Mapping):
            declared[str(gname)] = {str(k) for k in own_cues}
        elif isinstance(own_cues, Sequence) and not isinstance(own_cues, str):
            declared[str(gname)] = {str(k) for b in own_cues if isinstance(b, Mapping) for k in b}
    if not groups:
        raise _fail(where, "groups", "the suite is empty: no group (give groups or use)")
    if len(groups) < 2:
        raise _fail(where, "groups", "a correspondence test needs at least two groups")

    cases = data.get("cases")
    if not isinstance(cases, Sequence) or isinstance(cases, str) or not cases:
        raise _fail(where, "cases", "the suite is empty: no base case")
    cue_slots = frozenset().union(*(g.slot_names for g in groups.values()))
    parsed_cases: list[tuple[str, str, dict[str, str]]] = []
    seen: set[str] = set()
    for i, case in enumerate(cases):
        key = f"cases[{i}]"
        if not isinstance(case, Mapping):
            raise _fail(where, key, "a base case must be a mapping with an id")
        cid = _text(case.get("id"))
        if not cid:
            raise _fail(where, f"{key}.id", "every base case needs an id")
        if cid in seen:
            raise _fail(where, f"{key}.id", f"duplicate case id {cid!r}")
        seen.add(cid)
        template = case.get("template", default_template)
        if not isinstance(template, str) or not template.strip():
            raise _fail(
                where, f"{key}.template", "no template (give template at the top or in the case)"
            )
        values: dict[str, str] = {}
        for k, v in case.items():
            if k in ("id", "template"):
                continue
            if k in cue_slots:
                raise _fail(
                    where, f"{key}.{k}", "is a cue slot of the groups: a case may not fill it"
                )
            text = _text(v)
            if text is None:
                raise _fail(where, f"{key}.{k}", "must be a single value")
            values[str(k)] = text
        parsed_cases.append((cid, template, values))

    # slots: every placeholder filled, every cue slot used
    used: set[str] = set()
    for i, (cid, template, values) in enumerate(parsed_cases):
        tkey = f"cases[{i}].template" if "template" in cases[i] else "template"
        names = _placeholders(template, where, tkey)
        for gname, group in groups.items():
            avail = set(values) | group.slot_names
            for ph in names:
                if ph in avail or (ph[:1].isupper() and ph[:1].lower() + ph[1:] in avail):
                    continue
                raise _fail(
                    where,
                    tkey,
                    f"slot {{{ph}}} is filled neither by case {cid!r} nor by group {gname!r}"
                    + suggest(ph, sorted(avail)),
                )
        used.update(names)
        used.update(n[:1].lower() + n[1:] for n in names)
    for gname, slots in declared.items():
        for slot in sorted(slots):
            if slot not in used:
                known = sorted(
                    n for n in used if n not in set().union(*(v for _, _, v in parsed_cases))
                )
                raise _fail(
                    where,
                    f"groups.{gname}.cues.{slot}",
                    f"unknown slot: no template has {{{slot}}}" + suggest(slot, known),
                )

    # render: cues dealt per group and slot, then one seeded shuffle
    n = len(parsed_cases)
    dealt: dict[str, list[dict[str, str]]] = {}
    for gname, group in groups.items():
        per_case: list[dict[str, str]] = [{} for _ in range(n)]
        if group.bundles:
            for i, bundle in enumerate(_deal(group.bundles, n, seed, f"{gname}\x1f*")):
                per_case[i].update(dict(bundle))
        for slot, vals in group.slots:
            for i, v in enumerate(_deal(vals, n, seed, f"{gname}\x1f{slot}")):
                per_case[i][slot] = v
        dealt[gname] = per_case
    rendered: list[Variant] = []
    for i, (cid, template, values) in enumerate(parsed_cases):
        names = _placeholders(template, where, "template")
        for gname, group in groups.items():
            cues = dealt[gname][i]
            fill = {**values, **cues}
            for ph in names:
                if ph not in fill:  # {Pronoun}: the value of pronoun, first letter upper-cased
                    low = fill[ph[:1].lower() + ph[1:]]
                    fill[ph] = low[:1].upper() + low[1:]
            rendered.append(
                Variant(
                    variant_id=f"{cid}:{gname}",
                    case_id=cid,
                    group=gname,
                    position=-1,
                    prompt=template.format_map(fill),
                    cues=tuple(sorted((k, v) for k, v in cues.items() if k in used)),
                    attributes=group.attributes,
                )
            )
    order = list(range(len(rendered)))
    random.Random(f"{seed}\x1forder").shuffle(order)  # noqa: S311 - reproducible order
    variants = [replace(rendered[idx], position=pos) for pos, idx in enumerate(order)]
    sources: dict[str, str] = {}
    for group in groups.values():
        if group.cue_set and group.cue_set not in sources:
            sources[group.cue_set] = group.source
    digest = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    ).hexdigest()
    return Suite(
        suite_id=suite_id,
        seed=seed,
        system=system,
        groups=tuple(groups),
        case_ids=tuple(c for c, _, _ in parsed_cases),
        variants=tuple(variants),
        sources=tuple(sources.items()),
        template_sha256=digest,
    )


def load_suite(path: Path) -> Suite:
    """Read a suite template (YAML) and render it; problems are a ConfigError naming the key."""
    path = Path(path)
    return build_suite(
        load_yaml(path, what="suite template"), where=str(path), base_dir=path.parent
    )
