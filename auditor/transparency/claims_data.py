"""Cross-checks of data and artifact claims: personal data, sensitive attributes, the evaluation dataset's
hash and the model version, each against what the audit found."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .claims import CONSISTENT, CONTRADICTED, UNVERIFIABLE, Claim, Item, norm
from .wording import document_name, join, plural, short_hash

__all__ = [
    "PII_KINDS",
    "check_dataset_hash",
    "check_model_version",
    "check_pii",
    "check_sensitive",
    "declared_terms",
]

PII_KINDS = ("direct_identifier", "free_text_pii", "special_category")
SYNONYMS: tuple[frozenset[str], ...] = tuple(
    frozenset(g)
    for g in (
        {"sex", "gender", "sex_gender"},
        {
            "race",
            "ethnicity",
            "ethnic",
            "racial",
            "race_ethnicity",
            "ethnic_origin",
            "racial_origin",
        },
        {"religion", "religious", "belief", "beliefs", "religious_belief"},
        {"health", "medical", "disability", "diagnosis", "icd", "icd10", "condition"},
        {"sexual_orientation", "orientation", "sexuality", "sex_life"},
        {"union", "trade_union", "union_membership"},
        {"political", "politics", "political_opinion", "party"},
        {"biometric", "biometrics", "fingerprint", "face", "genetic"},
        {"age", "birth", "dob", "date_of_birth", "birth_date", "age_group"},
        {"criminal", "conviction", "offence", "offense", "criminal_record"},
        {"nationality", "national_origin", "citizenship", "country_of_birth"},
        {"marital_status", "marital", "married"},
    )
)


def _hex(value: Any) -> str | None:
    text = str(value).strip().lower()
    text = text.split(":", 1)[1] if text.startswith(("sha256:", "sha-256:")) else text
    return text if re.fullmatch(r"[0-9a-f]{12,64}", text) else None


def check_pii(
    claims: Iterable[Item], scan: Sequence[Mapping[str, Any]], kinds: Sequence[str] = PII_KINDS
) -> list[Claim]:
    """``contains_pii: false`` (or "no personal data" in the text) vs columns the PII scan flags."""
    flagged = [r for r in scan if r.get("kind") in kinds]
    found = [
        {
            "column": r.get("column"),
            "kind": r.get("kind"),
            "entity_types": list(r.get("entity_types") or []),
        }
        for r in flagged
    ]
    names = ", ".join(f"{f['column']} ({f['kind']})" for f in found)
    out = []
    for item in claims:
        if not isinstance(item.value, bool):
            continue
        if item.value is False and flagged:
            who = "the datasheet" if item.location.startswith("datasheet:") else "the card"
            msg = (
                f"{who} states the data contains no personal data ({item.source} at {item.location}) but "
                f"the PII scan flags {len(found)} column(s): {names}"
            )
            cols = [str(f["column"]) for f in found]
            headline = (
                f"The {document_name(item.location)} says the data contains no personal data, but "
                f"the audit found personal data in {plural(len(cols), 'column')}: {join(cols)}."
            )
            out.append(Claim("pii", "data.contains_pii", "contains_pii", CONTRADICTED, False, found,
                             item.location, msg, {"claimed": False, "columns": found, "kinds": list(kinds)},
                             headline, tuple(f"column:{c}" for c in cols)))  # fmt: skip
        elif item.value is False:
            out.append(Claim("pii", "data.contains_pii", "contains_pii", CONSISTENT, False, [],
                             item.location, "card states no personal data; the PII scan flagged no column"))  # fmt: skip
        elif flagged:
            out.append(Claim("pii", "data.contains_pii", "contains_pii", CONSISTENT, True, found,
                             item.location, f"card declares personal data; the scan flags {names}"))  # fmt: skip
        else:
            out.append(Claim("pii", "data.contains_pii", "contains_pii", UNVERIFIABLE, True, [],
                             item.location, "card declares personal data; the PII scan flagged no column "
                             "(the scan may miss it: check the declaration)"))  # fmt: skip
    return out


def _described(found: Sequence[Mapping[str, Any]]) -> str:
    """``race_ethnicity (racial or ethnic origin)`` and ``sex (tested for bias by this audit)``."""
    parts = []
    for f in found:
        what = [str(e).lower().replace("_", " ") for e in f.get("entity_types") or []]
        if f.get("audit_sensitive"):
            what.append("tested for bias by this audit")
        parts.append(f"{f['column']} ({'; '.join(what)})" if what else str(f["column"]))
    return join(parts)


def _source_words(source: str) -> str:
    """``config metadata.model_version`` -> ``the audit config's metadata.model_version``."""
    if source.startswith("config "):
        return f"the audit config's {source[len('config ') :]}"
    if source.startswith(("model attribute", "file name")):
        return f"the model's {source}"
    return source


def declared_terms(values: Iterable[Any]) -> set[str]:
    """``["Sex", "race/ethnicity"]`` -> normalised terms with their synonyms."""
    terms: set[str] = set()
    for v in values:
        for part in re.split(r"[,;/]|\band\b|\bor\b", str(v)):
            t = norm(part)
            if not t:
                continue
            terms.add(t)
            terms.update(*(g for g in SYNONYMS if t in g or any(w in g for w in t.split("_"))))
    return terms


def _covered(column: str, entity_types: Sequence[str], terms: set[str]) -> bool:
    c = norm(column)
    if c in terms or any(w in terms for w in c.split("_")):
        return True
    return any(
        norm(e) in terms or any(w in terms for w in norm(e).split("_")) for e in entity_types
    )


def check_sensitive(
    declared: Sequence[Item],
    declared_none: Sequence[Item],
    scan: Sequence[Mapping[str, Any]],
    audit_sensitive: Sequence[str],
) -> list[Claim]:
    """Declared sensitive attributes vs special-category columns found by the PII scan and the sensitive
    features the audit was configured with; an explicit "no sensitive data" vs any of them."""
    found: list[dict[str, Any]] = [
        {"column": str(r.get("column")), "source": "PII scan: special_category",
         "entity_types": [str(e) for e in r.get("entity_types") or []]}
        for r in scan if r.get("kind") == "special_category"
    ]  # fmt: skip
    for f in found:
        f["audit_sensitive"] = f["column"] in audit_sensitive
    seen = {f["column"] for f in found}
    found += [
        {
            "column": c,
            "source": "audit sensitive feature",
            "entity_types": [],
            "audit_sensitive": True,
        }
        for c in audit_sensitive
        if c not in seen
    ]
    out: list[Claim] = []
    for item in declared_none:
        if item.value is False and found:
            cols = [f["column"] for f in found]
            headline = (
                f"The {document_name(item.location)} says the data holds no sensitive data, but the "
                f"audit found {plural(len(cols), 'sensitive column')}: {_described(found)}."
            )
            out.append(Claim("sensitive", "data.contains_special_category", "contains_special_category",
                             CONTRADICTED, False, cols, item.location,
                             f"card/datasheet states there is no sensitive data ({item.location}) but the audit "
                             f"found sensitive columns: {', '.join(cols)}", {"found": found},
                             headline, tuple(f"column:{c}" for c in cols)))  # fmt: skip
    if not declared:
        return out
    values = [i.value for i in declared]
    terms = declared_terms(values)
    where = declared[0].location
    undeclared = [f for f in found if not _covered(f["column"], f["entity_types"], terms)]
    if undeclared:
        cols = [f["column"] for f in undeclared]
        listed = ", ".join("{} ({})".format(f["column"], f["source"]) for f in undeclared)
        msg = (
            f"card declares sensitive attributes {values} ({where}) but the audit found undeclared "
            f"sensitive columns: {listed}"
        )
        names = [str(x) for v in values for x in (v if isinstance(v, (list, tuple)) else [v])]
        doc = document_name(where)
        attrs = f"{join(names)} as {'its sensitive attribute' if len(names) == 1 else 'sensitive attributes'}"
        headline = (
            f"The {doc} declares {attrs}, but the data also holds {_described(undeclared)}, "
            f"which the {doc} does not declare."
        )
        out.append(Claim("sensitive", "data.sensitive_attributes", "sensitive_attributes", CONTRADICTED,
                         values, cols, where, msg, {"declared": values, "undeclared": undeclared,
                                                     "found": found},
                         headline, tuple(f"column:{c}" for c in cols)))  # fmt: skip
    else:
        out.append(Claim("sensitive", "data.sensitive_attributes", "sensitive_attributes", CONSISTENT,
                         values, [f["column"] for f in found], where,
                         "every sensitive column found is declared"))  # fmt: skip
    return out


def check_dataset_hash(
    claims: Sequence[tuple[Item, str, Any]], measured_sha: str | None, dataset_path: str | None
) -> list[Claim]:
    """Declared dataset hashes/revisions (item, how declared, value) vs the audit data's sha256.

    A 64-hex value (or ``sha256:`` prefix, or a field named sha256/fingerprint with >= 12 hex digits as
    a prefix) is compared; anything else (a git revision, a tag) is unverifiable. When several datasets
    are declared, one match is enough: the others describe other datasets.
    """
    if not measured_sha:
        return [Claim("dataset", "data.evaluation", str(label), UNVERIFIABLE, value, None, item.location,
                      "the audit data has no recorded sha256") for item, label, value in claims]  # fmt: skip
    measured = measured_sha.lower()
    verdicts: list[tuple[Item, str, Any, bool | None]] = []
    for item, label, value in claims:
        h = _hex(value)
        labelled = label in ("sha256", "fingerprint") or str(value).lower().startswith("sha256:")
        if h is None or (len(h) < 64 and not labelled) or (len(h) == 40 and not labelled):
            verdicts.append((item, label, value, None))
        else:
            verdicts.append((item, label, value, measured.startswith(h)))
    any_match = any(v is True for *_, v in verdicts)
    out = []
    for item, label, value, match in verdicts:
        subject = f"{label} {str(value)[:20]}"
        if match is None:
            out.append(Claim("dataset", "data.evaluation", subject, UNVERIFIABLE, value, measured, item.location,
                             f"declared dataset {label} {value!r} is not a content hash; record the sha256 "
                             f"({measured[:12]}…) to make it checkable"))  # fmt: skip
        elif match:
            out.append(Claim("dataset", "data.evaluation", subject, CONSISTENT, value, measured, item.location,
                             "declared dataset hash matches the audit data"))  # fmt: skip
        elif any_match:
            out.append(Claim("dataset", "data.evaluation", subject, UNVERIFIABLE, value, measured, item.location,
                             "declared hash belongs to another dataset (another declaration matches)"))  # fmt: skip
        else:
            data = (
                f"the audited data ({Path(dataset_path).name})"
                if dataset_path
                else "the audited data"
            )
            headline = (
                f"The {document_name(item.location)} names an evaluation dataset with fingerprint "
                f"{short_hash(value)}, but {data} has fingerprint {short_hash(measured)}: the results "
                "it reports were not measured on the data that was audited."
            )
            out.append(Claim("dataset", "data.evaluation", subject, CONTRADICTED, value, measured, item.location,
                             f"card declares evaluation dataset {label} {value} ({item.location}) but the audited "
                             f"data {dataset_path or ''} has sha256 {measured}: the card does not describe this data",
                             {"claimed": str(value), "measured": measured, "dataset": dataset_path},
                             headline))  # fmt: skip
    return out


def _version_norm(v: Any) -> str:
    text = str(v).strip().lower().lstrip("v")
    while re.search(r"\.0$", text) and text.count(".") > 0:
        text = text[:-2]
    return text


def check_model_version(
    versions: Sequence[Item], digests: Sequence[Item], artifact: Mapping[str, Any]
) -> list[Claim]:
    """Card ``model.version`` / ``model.sha256`` vs what the model artifact records about itself."""
    out: list[Claim] = []
    actual_sha = artifact.get("sha256")
    for item in digests:
        h = _hex(item.value)
        if not actual_sha:
            out.append(Claim("model_version", "model.sha256", "model sha256", UNVERIFIABLE, item.value, None,
                             item.location, "no model artifact was audited (predictions mode)"))  # fmt: skip
        elif h is None:
            out.append(Claim("model_version", "model.sha256", "model sha256", UNVERIFIABLE, item.value,
                             actual_sha, item.location, "declared model sha256 is not a hex digest"))  # fmt: skip
        elif str(actual_sha).lower().startswith(h):
            out.append(Claim("model_version", "model.sha256", "model sha256", CONSISTENT, item.value, actual_sha,
                             item.location, "card model sha256 matches the artifact"))  # fmt: skip
        else:
            path = artifact.get("path")
            headline = (
                f"The model card gives the model file's fingerprint as {short_hash(item.value)}, but "
                f"the audited model file{f' ({Path(str(path)).name})' if path else ''} has "
                f"{short_hash(actual_sha)}: the card describes a different file."
            )
            out.append(Claim("model_version", "model.sha256", "model sha256", CONTRADICTED, item.value, actual_sha,
                             item.location, f"card declares model sha256 {item.value} ({item.location}) but the "
                             f"audited artifact {artifact.get('path')} has sha256 {actual_sha}",
                             {"claimed": str(item.value), "measured": actual_sha}, headline))  # fmt: skip
    actual = artifact.get("version")
    for item in versions:
        if actual is None:
            out.append(Claim("model_version", "model.version", "model version", UNVERIFIABLE, item.value, None,
                             item.location, "the model artifact records no version (ONNX metadata, a version "
                             "attribute, metadata.model_version or a versioned file name)"))  # fmt: skip
            continue
        a, c = _version_norm(actual), _version_norm(item.value)
        source = str(artifact.get("version_source", "artifact"))
        same = a == c or ("model_version" in source and "ONNX" in source and c.split(".")[0] == a)
        status = CONSISTENT if same else CONTRADICTED
        msg = (
            f"card model version {item.value} matches the artifact ({source}: {actual})"
            if same
            else f"card states model version {item.value} ({item.location}) but the audited artifact says "
            f"{actual} ({source})"
        )
        headline = (
            f"The model card describes model version {item.value}, but the audited model is version "
            f"{actual} (as recorded in {_source_words(source)})."
            if not same
            else ""
        )
        out.append(Claim("model_version", "model.version", "model version", status, str(item.value), str(actual),
                         item.location, msg, {"claimed": str(item.value), "measured": str(actual), "source": source},
                         headline))  # fmt: skip
    return out
