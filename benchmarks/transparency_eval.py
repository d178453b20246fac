"""How often is TRN101's field check wrong on real model cards and datasheets written by others?

Scores every document of ``tests/transparency/data/real/{dev,heldout,heldout2,heldout3,heldout4}`` against its hand-made ground truth
(``<name>.truth.yaml``, labelled by reading the document with ``FIELDS.md``): each document is loaded with
the public loaders (``load_card`` / ``load_datasheet``) and evaluated with
``requirements.evaluate(rules_for(...), [doc])``, the code path of a card-only TRN101/TRN102 run. Cards are
scored against the TRN101 requirements of the packs ``transparency``, ``eu-ai-act``, ``nist-ai-rmf``,
``hf-model-card`` and ``iso-42001`` (each pack's effective TRN101 options: standards, inline fields, ignore),
datasheets against the ``datasheet`` set (TRN102's default).

A row (one field x clause) whose status is ``missing``/``placeholder`` while the truth says the field (or
one of the row's alternatives) is present is a FALSE finding; a row ``present``/``not_applicable``/
``contradicted`` while the truth says every one of its keys is missing is a MISSED gap. TRN101 yields one
finding per unfilled field (listing every clause), so the headline numbers are per finding
(document, pack, field); the row counts are printed too. ``false share`` = false / reported findings
(the acceptance bound of issue 15 is <= 5 %), ``precision`` = 1 - false share, ``recall`` = true gaps
reported / true gaps (acceptance >= 90 %). For present fields the reported location must be within
+-3 lines of the truth line (or of an ``also:`` line).

Run: python benchmarks/transparency_eval.py [--set dev|heldout|heldout2|heldout3|heldout4|all] [--json out.json] [--packs ...]
     [--no-details] [--via evaluate|audit]
(``--via audit`` reads the same rows from card-only audits, ``auditor.api.audit(card=...)``; slower.)
Exit status: 0, or 1 when a document crashed the loader or the evaluation, or 2 for bad truth files.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import sys
import traceback
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
REAL = REPO / "tests" / "transparency" / "data" / "real"
SETS = ("dev", "heldout", "heldout2", "heldout3", "heldout4")
CARD_PACKS = ("transparency", "eu-ai-act", "nist-ai-rmf", "hf-model-card", "iso-42001")
DATASHEET_PACK = "datasheet"
REPORTED = ("missing", "placeholder")
LOCATION_SLACK = 3
DOC_SUFFIXES = (".md", ".markdown", ".json", ".yaml", ".yml")


# --- ground truth -----------------------------------------------------------------------------------


def glossary_keys(path: Path = REAL / "FIELDS.md") -> list[str]:
    """The field keys FIELDS.md defines: the first cell of its table rows, in order."""
    keys = re.findall(r"^\| `([a-z_]+(?:\.[a-z_]+)*)` \|", path.read_text(encoding="utf-8"), re.M)
    return list(dict.fromkeys(keys))


def keys_for(kind: str, glossary: Sequence[str]) -> list[str]:
    """The keys a truth file of this kind must label (FIELDS.md rule 7)."""
    if kind == "datasheet":
        return [k for k in glossary if k.startswith(("datasheet.", "data."))]
    return [k for k in glossary if not k.startswith("datasheet.")]


@dataclass(frozen=True)
class Truth:
    """One field's label: ``lines`` is empty when missing, else the truth line then any ``also`` lines."""

    key: str
    lines: tuple[int, ...] = ()

    @property
    def present(self) -> bool:
        return bool(self.lines)


@dataclass(frozen=True)
class TruthFile:
    path: Path
    document: Path
    kind: str  # card | datasheet
    fields: Mapping[str, Truth]


def _label(key: str, raw: Any, where: str) -> Truth:
    if raw == "missing":
        return Truth(key)
    if isinstance(raw, Mapping) and isinstance(raw.get("present"), int):
        also = raw.get("also", [])
        if not isinstance(also, list) or not all(isinstance(n, int) for n in also):
            raise ValueError(f"{where}: {key}: 'also' must be a list of line numbers")
        if set(raw) - {"present", "also"}:
            raise ValueError(
                f"{where}: {key}: unknown keys {sorted(set(raw) - {'present', 'also'})}"
            )
        return Truth(key, (raw["present"], *also))
    raise ValueError(f"{where}: {key}: expected 'missing' or {{present: <line>}}, got {raw!r}")


def load_truth(path: Path) -> TruthFile:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, Mapping) or not isinstance(data.get("fields"), Mapping):
        raise ValueError(f"{path.name}: expected a mapping with 'document', 'kind' and 'fields'")
    kind = data.get("kind")
    if kind not in ("card", "datasheet"):
        raise ValueError(f"{path.name}: kind must be card or datasheet, got {kind!r}")
    doc = path.parent / str(data.get("document", ""))
    fields = {str(k): _label(str(k), v, path.name) for k, v in data["fields"].items()}
    return TruthFile(path, doc, kind, fields)


def truth_files(which: str) -> list[Path]:
    sets = SETS if which == "all" else (which,)
    return [p for s in sets for p in sorted((REAL / s).glob("*.truth.yaml"))]


def unlabelled(which: str) -> list[str]:
    """Documents of the set that have no truth file (so they would silently not be scored)."""
    sets = SETS if which == "all" else (which,)
    return [
        f"{s}/{p.name}: no truth file {p.stem}.truth.yaml"
        for s in sets
        for p in sorted((REAL / s).glob("*"))
        if p.suffix.lower() in DOC_SUFFIXES
        and not p.name.endswith(".truth.yaml")
        and not (p.parent / f"{p.stem}.truth.yaml").is_file()
    ]


def validate_truth(tf: TruthFile, glossary: Sequence[str]) -> list[str]:
    """Problems with a truth file: a glossary key not labelled, an unknown key, a document that is not
    there, a line outside the document or on a blank line."""
    problems: list[str] = []
    name = tf.path.name
    need = keys_for(tf.kind, glossary)
    problems += [f"{name}: no label for {k}" for k in need if k not in tf.fields]
    problems += [
        f"{name}: {k} is not a {tf.kind} key of FIELDS.md" for k in tf.fields if k not in need
    ]
    if not tf.document.is_file():
        return [*problems, f"{name}: document {tf.document.name} not found"]
    lines = tf.document.read_text(encoding="utf-8").splitlines()
    for t in tf.fields.values():
        for n in t.lines:
            if not 1 <= n <= len(lines):
                problems.append(
                    f"{name}: {t.key}: line {n} is outside the document (1-{len(lines)})"
                )
            elif not lines[n - 1].strip():
                problems.append(f"{name}: {t.key}: line {n} is blank")
    return problems


# --- evaluation -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scored:
    """One row of TRN101's fields table, judged against the truth."""

    document: str
    pack: str
    field: str
    keys: tuple[str, ...]
    clause: str
    status: str
    location: str
    truth_lines: tuple[int, ...]  # of the keys the truth says are present; empty = a true gap
    verdict: str  # true_finding | false_finding | missed_gap | true_present
    location_ok: bool | None = None  # for present fields found present


def _line_of(location: str) -> int | None:
    tail = location.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


@functools.cache
def pack_rules(pack: str) -> tuple[Any, ...]:
    """The TRN101 requirement rows a run with ``--policy <pack>`` evaluates (TRN102's for datasheet)."""
    from auditor.transparency.requirements import rules_for

    if pack == DATASHEET_PACK:
        return tuple(rules_for([DATASHEET_PACK]))
    from auditor.api import resolve_policy
    from auditor.checks.trn_card_fields import Options
    from auditor.plan import plan
    from auditor.registry import load_checks

    planned = plan(resolve_policy(pack), load_checks(), {})
    options = next((p.options for p in planned if p.check.id == "TRN101"), Options())
    return tuple(rules_for(options.standards, options.fields, options.ignore))


def evaluated_rows(tf: TruthFile, rules: Sequence[Any]) -> list[tuple[str, str, str, str]]:
    """(field, clause, status, location) per rule: the card loaded and evaluated as TRN101 does."""
    from auditor.transparency.loader import load_card, load_datasheet
    from auditor.transparency.requirements import evaluate

    doc = (load_datasheet if tf.kind == "datasheet" else load_card)(tf.document)
    if doc.fatal is not None:
        raise RuntimeError(f"not readable: {doc.fatal.message}")
    return [(r.field, r.clause, r.status, r.location) for r in evaluate(rules, [doc])]


def audited_rows(tf: TruthFile, pack: str) -> list[tuple[str, str, str, str]]:
    """The same rows read from the ``fields`` table of a card-only (datasheet-only) audit, the path of
    ``auditor run --card CARD --policy PACK`` (TRN102 of the ``eu-ai-act`` pack for a datasheet)."""
    from auditor.api import audit

    if tf.kind == "datasheet":
        report, check = audit(datasheet=tf.document, policy="eu-ai-act"), "TRN102"
    else:
        report, check = audit(card=tf.document, policy=pack), "TRN101"
    result = next(r for r in report.to_dict()["results"] if r["check"] == check)
    table = result.get("tables", {}).get("fields")
    if not table:
        raise RuntimeError(f"{check} {result['status']}: {result.get('summary', '')}")
    return [(r["field"], r["clause"], r["status"], str(r["location"])) for r in table]


def score_document(
    tf: TruthFile, pack: str, rules: Sequence[Any], via: str = "evaluate"
) -> list[Scored]:
    rows = evaluated_rows(tf, rules) if via == "evaluate" else audited_rows(tf, pack)
    if [r[0] for r in rows] != [r.field for r in rules]:
        raise RuntimeError(f"{pack}: the fields table does not have one row per requirement")
    out = []
    for rule, (fld, clause, status, location) in zip(rules, rows, strict=True):
        keys = (rule.field, *rule.alternatives)
        lines = tuple(dict.fromkeys(n for k in keys if (t := tf.fields.get(k)) for n in t.lines))
        reported = status in REPORTED
        if lines:
            verdict = "false_finding" if reported else "true_present"
        else:
            verdict = "true_finding" if reported else "missed_gap"
        loc_ok = None
        if verdict == "true_present" and status != "not_applicable":
            got = _line_of(location)
            loc_ok = got is not None and any(abs(got - n) <= LOCATION_SLACK for n in lines)
        out.append(
            Scored(tf.document.name, pack, fld, keys, clause, status, location, lines, verdict,
                   loc_ok)
        )  # fmt: skip
    return out


@dataclass
class Tally:
    rows: int = 0
    reported_rows: int = 0
    false_rows: int = 0
    missed_rows: int = 0
    findings: int = 0  # (document, pack, field) with at least one reported row = TRN101 findings
    false_findings: int = 0
    true_findings: int = 0
    true_gaps: int = 0  # (document, pack, field) the truth says are missing
    missed_gaps: int = 0
    present_fields: int = 0  # (document, pack, field) found present where the truth says present
    located: int = 0  # ... of which the location is within the slack
    false: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    mislocated: list[dict[str, Any]] = field(default_factory=list)

    def add(self, scored: Sequence[Scored]) -> None:
        self.rows += len(scored)
        self.reported_rows += sum(s.status in REPORTED for s in scored)
        self.false_rows += sum(s.verdict == "false_finding" for s in scored)
        self.missed_rows += sum(s.verdict == "missed_gap" for s in scored)
        groups: dict[tuple[str, str, str], list[Scored]] = {}
        for s in scored:
            groups.setdefault((s.document, s.pack, s.field), []).append(s)
        for rows in groups.values():
            # TRN101 yields one finding per unfilled field, from its first missing/placeholder row
            reported = [s for s in rows if s.status in REPORTED]
            lead = reported[0] if reported else rows[0]
            entry = {"document": lead.document, "pack": lead.pack, "field": lead.field,
                     "status": lead.status, "location": lead.location,
                     "truth": list(lead.truth_lines) or "missing"}  # fmt: skip
            if reported:
                self.findings += 1
                if lead.truth_lines:
                    self.false_findings += 1
                    self.false.append(entry)
                else:
                    self.true_findings += 1
            if not any(s.truth_lines for s in rows):
                self.true_gaps += 1
                if not reported:
                    self.missed_gaps += 1
                    self.missed.append(entry)
            if not reported and lead.location_ok is not None:
                self.present_fields += 1
                self.located += lead.location_ok
                if not lead.location_ok:
                    self.mislocated.append(entry)

    @property
    def false_share(self) -> float | None:
        return self.false_findings / self.findings if self.findings else None

    @property
    def precision(self) -> float | None:
        return self.true_findings / self.findings if self.findings else None

    @property
    def recall(self) -> float | None:
        return (self.true_gaps - self.missed_gaps) / self.true_gaps if self.true_gaps else None

    @property
    def location_accuracy(self) -> float | None:
        return self.located / self.present_fields if self.present_fields else None

    def summary(self) -> dict[str, Any]:
        data = asdict(self)
        for k in ("false", "missed", "mislocated"):
            data.pop(k)
        data.update(false_share=self.false_share, precision=self.precision, recall=self.recall,
                    location_accuracy=self.location_accuracy)  # fmt: skip
        return data


@dataclass
class Result:
    which: str
    documents: list[str]
    packs: dict[str, Tally]
    overall: Tally
    by_document: dict[str, Tally]
    crashes: list[dict[str, str]]
    truth_problems: list[str]

    def to_json(self) -> dict[str, Any]:
        def full(t: Tally) -> dict[str, Any]:
            return {**t.summary(), "false": t.false, "missed": t.missed, "mislocated": t.mislocated}

        return {
            "set": self.which,
            "documents": self.documents,
            "overall": full(self.overall),
            "packs": {p: full(t) for p, t in self.packs.items()},
            "by_document": {d: t.summary() for d, t in self.by_document.items()},
            "crashes": self.crashes,
            "truth_problems": self.truth_problems,
        }


def run(which: str = "dev", packs: Iterable[str] | None = None, via: str = "evaluate") -> Result:
    """Score every document of the set; a document that crashes is recorded, never fatal. ``via``:
    ``evaluate`` (load + evaluate, fast) or ``audit`` (a card-only ``auditor.api.audit`` per document and
    pack, the ``auditor run --card`` path; the rows are the same)."""
    glossary = glossary_keys()
    chosen = tuple(packs) if packs else (*CARD_PACKS, DATASHEET_PACK)
    rules = {p: pack_rules(p) for p in chosen}
    result = Result(which, [], {p: Tally() for p in chosen}, Tally(), {}, [], [])
    result.truth_problems += unlabelled(which)
    for path in truth_files(which):
        try:
            tf = load_truth(path)
        except (ValueError, yaml.YAMLError) as exc:
            result.truth_problems.append(f"{path.name}: {exc}")
            continue
        result.truth_problems += validate_truth(tf, glossary)
        name = f"{path.parent.name}/{tf.document.name}"
        result.documents.append(name)
        doc_tally = result.by_document.setdefault(name, Tally())
        for pack in chosen:
            if (pack == DATASHEET_PACK) != (tf.kind == "datasheet"):
                continue
            try:
                scored = score_document(tf, pack, rules[pack], via)
            except Exception as exc:  # the harness reports a crash, it never stops on one
                result.crashes.append({
                    "document": name, "pack": pack, "error": f"{type(exc).__name__}: {exc}",
                    "traceback": traceback.format_exc(limit=4),
                })  # fmt: skip
                continue
            for tally in (result.packs[pack], result.overall, doc_tally):
                tally.add(scored)
    return result


# --- output -----------------------------------------------------------------------------------------


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def markdown(result: Result, details: bool = True) -> str:
    out = [
        f"# TRN101 on real documents: `{result.which}` set ({len(result.documents)} documents)",
        "",
        "Per finding (document, pack, field); FALSE = reported missing/placeholder but present in the "
        "truth, MISSED = a true gap reported present. Location: present fields reported within "
        f"+-{LOCATION_SLACK} lines of the truth.",
        "",
        "| pack | rows | reported rows | false rows | findings | false | false share | precision "
        "| true gaps | missed | recall | located |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, t in [*result.packs.items(), ("**overall**", result.overall)]:
        out.append(
            f"| {name} | {t.rows} | {t.reported_rows} | {t.false_rows} | {t.findings} | "
            f"{t.false_findings} | {_pct(t.false_share)} | {_pct(t.precision)} | {t.true_gaps} | "
            f"{t.missed_gaps} | {_pct(t.recall)} | {t.located}/{t.present_fields} |"
        )
    out += ["", "| document | findings | false | true gaps | missed | located |",
            "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name, t in result.by_document.items():
        out.append(
            f"| {name} | {t.findings} | {t.false_findings} | {t.true_gaps} | {t.missed_gaps} | "
            f"{t.located}/{t.present_fields} |"
        )
    if result.crashes:
        out += ["", f"**{len(result.crashes)} crash(es)**", ""]
        out += [f"- {c['document']} ({c['pack']}): {c['error']}" for c in result.crashes]
    if result.truth_problems:
        out += ["", f"**{len(result.truth_problems)} truth-file problem(s)**", ""]
        out += [f"- {p}" for p in result.truth_problems]
    if details:
        for title, key in (("False findings", "false"), ("Missed gaps", "missed"),
                           ("Present but mislocated", "mislocated")):  # fmt: skip
            rows = [r for t in result.packs.values() for r in getattr(t, key)]
            if not rows:
                continue
            out += ["", f"## {title} ({len(rows)})", "", "| document | pack | field | status | "
                    "reported at | truth |", "|---|---|---|---|---|---|"]  # fmt: skip
            for r in rows:
                truth = r["truth"] if r["truth"] == "missing" else ", ".join(map(str, r["truth"]))
                out.append(
                    f"| {r['document']} | {r['pack']} | {r['field']} | {r['status']} | "
                    f"{r['location'].rsplit(':', 1)[-1]} | {truth} |"
                )
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", dest="which", choices=(*SETS, "all"), default="dev")
    ap.add_argument("--packs", nargs="+", choices=(*CARD_PACKS, DATASHEET_PACK))
    ap.add_argument(
        "--json", type=Path, help="also write the full result (every false/missed row) here"
    )
    ap.add_argument("--no-details", action="store_true", help="only the summary tables")
    ap.add_argument(
        "--via",
        choices=("evaluate", "audit"),
        default="evaluate",
        help="evaluate the loaded document (default) or read the fields table of a card-only audit",
    )
    args = ap.parse_args(argv)
    result = run(args.which, args.packs, args.via)
    sys.stdout.write(markdown(result, details=not args.no_details))
    if args.json:
        args.json.write_text(json.dumps(result.to_json(), indent=2) + "\n", encoding="utf-8")
    if result.truth_problems:
        return 2
    return 1 if result.crashes else 0


if __name__ == "__main__":
    sys.exit(main())
