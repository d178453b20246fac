"""Loader for Hugging Face model cards (``README.md``): YAML front matter including ``model-index`` and the
card's section headings and bodies (the hub's default template and the Trainer's auto-generated card)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .document import Builder, Document
from .markdown import (
    blank_comments,
    bullet_fields,
    normalise_heading,
    pii_statements,
    split_sections,
)
from .metrics import FAIRNESS_METRICS, canonical_metric
from .yamlnodes import YamlProblem, parse_with_lines

__all__ = ["load_hf_readme"]

# (heading pattern on the normalised title, fields, which body: own text or with subsections)
HEADINGS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (r"^(model )?description$|^overview$|^model summary$", ("model.description",), "own"),
    (r"^model details$", ("model.description",), "full"),
    (r"^direct use$|^primary intended uses?$", ("use.intended",), "own"),
    (r"^downstream use", ("use.intended",), "own"),
    (r"^intended uses? (&|and) limitations$", ("use.intended", "limitations"), "own"),
    (r"^(intended )?uses?$|^intended use cases$|^use cases$", ("use.intended",), "full"),
    (r"^out[- ]of[- ]scope( uses?)?$|^(foreseeable )?misuse|^prohibited uses?$", ("use.out_of_scope",), "own"),
    (r"^(primary )?intended users$|^users$", ("use.intended_users",), "own"),
    (r"^bias,? risks,? (and|&) limitations$|^limitations (and|&) bias$",
     ("limitations", "fairness.assessment", "risks"), "own"),
    (r"^(known )?limitations$|^caveats( (and|&) recommendations)?$", ("limitations",), "own"),
    (r"^recommendations$|^risks?( (and|&) mitigations?)?$|^ethical considerations$", ("risks",), "own"),
    (r"^fairness( (assessment|evaluation|analysis))?$|^bias (evaluation|analysis)$",
     ("fairness.assessment",), "full"),
    (r"^training data(set)?$", ("data.training",), "own"),
    (r"^training (and|&) evaluation data$", ("data.training", "data.evaluation"), "own"),
    (r"^preprocessing", ("data.preprocessing",), "own"),
    (r"^label(l)?ing", ("data.labelling",), "own"),
    (r"^(testing|evaluation|test) data(set)?$", ("data.evaluation",), "own"),
    (r"^factors$|^results (by|per) (group|subgroup)|^disaggregated", ("results.by_group",), "own"),
    (r"^metrics$", ("metrics",), "own"),
    (r"^(evaluation )?results$", ("results.overall",), "own"),
    (r"^model examination|^explainability|^interpretability", ("explainability",), "own"),
    (r"^environmental impact$", ("environmental_impact",), "own"),
    (r"^model architecture( (and|&) objective)?$|^architecture$", ("model.architecture",), "own"),
    (r"^compute infrastructure$|^hardware$", ("compute.hardware",), "full"),
    (r"^software$", ("software.dependencies",), "own"),
    (r"^citation", ("citation",), "own"),
    (r"^model card authors?$", ("card.authors",), "own"),
    (r"^model card contact$|^contact$", ("provider.contact",), "own"),
    (r"^human oversight", ("oversight.human",), "own"),
    (r"^(post[- ]market )?monitoring", ("monitoring.plan",), "own"),
    (r"^logging", ("logging.mechanism",), "own"),
    (r"^robustness", ("robustness",), "own"),
    (r"^security", ("security",), "own"),
    (r"^(changelog|version history|changes)$", ("changelog",), "own"),
    (r"^(personal data|privacy|data protection)", ("data.pii_description",), "own"),
)  # fmt: skip

BULLETS: dict[str, tuple[str, ...]] = {
    "developed by": ("provider.name",),
    "shared by": ("provider.name",),
    "model type": ("model.type",),
    "language(s) (nlp)": ("model.language",),
    "language(s)": ("model.language",),
    "license": ("license",),
    "finetuned from model": ("model.base_model",),
    "fine-tuned from": ("model.base_model",),
    "base model": ("model.base_model",),
    "repository": ("references",),
    "paper": ("references",),
    "version": ("model.version",),
    "model version": ("model.version",),
    "release date": ("model.release_date",),
    "contact": ("provider.contact",),
    "hardware type": ("environmental_impact.hardware", "compute.hardware"),
    "hours used": ("environmental_impact.hours",),
    "cloud provider": ("environmental_impact.cloud_provider",),
    "compute region": ("environmental_impact.region",),
    "carbon emitted": ("environmental_impact.co2_kg",),
    "model sha256": ("model.sha256",),
    "sha256": ("model.sha256",),
    "dataset sha256": ("data.fingerprint",),
    "evaluation dataset sha256": ("data.fingerprint",),
    "sensitive attributes": ("data.sensitive_attributes",),
    "contains personal data": ("data.contains_pii",),
    "human oversight": ("oversight.human",),
    "intended users": ("use.intended_users",),
}

_YES = re.compile(r"^\s*(yes|true|y)\b", re.I)
_NO = re.compile(r"^\s*(no|false|n|none)\b", re.I)


def _front_matter(lines: list[str], b: Builder) -> tuple[Any, int, Any]:
    """(data, index of the first body line, parsed) ; issues recorded on ``b``."""
    if not lines or lines[0].strip() != "---":
        return None, 0, None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        b.issue("YAML front matter opened with '---' on line 1 is never closed", 1)
        return None, 0, None
    text = "\n".join(lines[1:end])
    try:
        parsed = parse_with_lines(text, line_offset=1)
    except YamlProblem as exc:
        b.issue(f"front matter: {exc}", exc.line)
        return None, end + 1, None
    for dotted, line, value, why in parsed.bad_dates:
        b.issue(
            f"front matter: {dotted}: impossible date {value!r} ({why}); read as text", line, dotted
        )
    if parsed.data is not None and not isinstance(parsed.data, Mapping):
        b.issue(f"front matter: expected a mapping, got {type(parsed.data).__name__}", 2)
        return None, end + 1, None
    return parsed.data or {}, end + 1, parsed


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().rstrip("%"))
        except ValueError:
            return None
    return None


def _model_index(data: Any, parsed: Any, b: Builder) -> None:
    if not isinstance(data, list):
        b.issue("model-index: expected a list", parsed.line(("model-index",)), "model-index")
        return
    results: list[dict[str, Any]] = []
    lines: list[int | None] = []
    evaluation: list[dict[str, Any]] = []
    eval_lines: list[int | None] = []
    claims: list[dict[str, Any]] = []
    claim_lines: list[int | None] = []
    for m, entry in enumerate(data):
        base = ("model-index", m)
        if not isinstance(entry, Mapping):
            b.issue(f"model-index[{m}]: expected a mapping", parsed.line(base), "model-index")
            continue
        if entry.get("name"):
            b.add(
                "model.name", entry["name"], parsed.line((*base, "name")), f"model-index[{m}].name"
            )
        if not isinstance(entry.get("results", []), list):
            b.issue(
                f"model-index[{m}].results: expected a list",
                parsed.line((*base, "results")),
                "model-index",
            )
        for r, res in enumerate(_list(entry.get("results"))):
            rpath = (*base, "results", r)
            where = f"model-index[{m}].results[{r}]"
            if not isinstance(res, Mapping):
                b.issue(f"{where}: expected a mapping", parsed.line(rpath), "model-index")
                continue
            task = _mapping(res.get("task"))
            dataset = _mapping(res.get("dataset"))
            if not task.get("type"):
                b.issue(
                    f"{where}.task.type is required by the Hub", parsed.line(rpath), "model-index"
                )
            for key in ("type", "name"):
                if not dataset.get(key):
                    b.issue(
                        f"{where}.dataset.{key} is required by the Hub",
                        parsed.line(rpath),
                        "model-index",
                    )
            ds_name = str(dataset.get("name") or dataset.get("type") or "")
            if dataset:
                evaluation.append(
                    {
                        k: dataset[k]
                        for k in ("name", "split", "revision")
                        if dataset.get(k) is not None
                    }
                    | ({"id": dataset["type"]} if dataset.get("type") else {})
                )
                eval_lines.append(parsed.line((*rpath, "dataset")))
            if not isinstance(res.get("metrics", []), list):
                b.issue(
                    f"{where}.metrics: expected a list",
                    parsed.line((*rpath, "metrics")),
                    "model-index",
                )
            for k, met in enumerate(_list(res.get("metrics"))):
                mpath = (*rpath, "metrics", k)
                if not isinstance(met, Mapping) or not met.get("type") or "value" not in met:
                    b.issue(
                        f"{where}.metrics[{k}]: needs type and value (required by the Hub)",
                        parsed.line(mpath),
                        "model-index",
                    )
                    continue
                value = _number(met.get("value"))
                if value is None:
                    b.issue(
                        f"{where}.metrics[{k}].value: not a number ({met.get('value')!r})",
                        parsed.line((*mpath, "value")),
                        "model-index",
                    )
                    continue
                metric = canonical_metric(str(met["type"])) or canonical_metric(
                    str(met.get("name", ""))
                )
                row = {
                    "metric": metric or str(met["type"]),
                    "value": value,
                    "dataset": ds_name or None,
                    "split": dataset.get("split"),
                    "revision": dataset.get("revision"),
                    "name": met.get("name"),
                }
                args = _mapping(met.get("args"))
                feature = args.get("feature") or args.get("sensitive_feature") or met.get("config")
                if metric in FAIRNESS_METRICS:
                    claims.append(
                        {
                            "metric": metric,
                            "value": value,
                            "feature": feature,
                            "group": args.get("group"),
                            "dataset": ds_name or None,
                        }
                    )
                    claim_lines.append(parsed.line((*mpath, "value")))
                else:
                    results.append(row)
                    lines.append(parsed.line((*mpath, "value")))
    if results:
        b.add("results.overall", results, lines[0], "front matter: model-index", lines)
    if evaluation:
        b.add("data.evaluation", evaluation, eval_lines[0], "front matter: model-index", eval_lines)
    if claims:
        b.add("fairness.claims", claims, claim_lines[0], "front matter: model-index", claim_lines)


def _front_matter_fields(data: Mapping[str, Any], parsed: Any, b: Builder) -> None:
    def line(key: str) -> int | None:
        return parsed.line((key,)) if parsed is not None else None

    lic = data.get("license")
    if lic is not None:
        if str(lic).lower() == "other":
            value: Any = {
                "id": "other",
                "name": data.get("license_name"),
                "link": data.get("license_link"),
            }
        else:
            value = lic
        b.add("license", value, line("license"), "front matter: license")
    simple = {
        "datasets": "data.training",
        "base_model": "model.base_model",
        "library_name": "software.dependencies",
        "pipeline_tag": "model.task",
        "metrics": "metrics",
        "language": "model.language",
        "co2_eq_emissions": "environmental_impact",
        "model_name": "model.name",
        "version": "model.version",
    }
    for key, field in simple.items():
        if data.get(key) is not None:
            value = data[key]
            item_lines = (
                [parsed.line((key, i)) for i in range(len(value))]
                if isinstance(value, list)
                else []
            )
            b.add(field, value, line(key), f"front matter: {key}", item_lines)
    if "model-index" in data:
        _model_index(data["model-index"], parsed, b)


def _is_bullet(line: str) -> bool:
    return bool(bullet_fields([line], 1))


def load_hf_readme(text: str, path: str) -> Document:
    b = Builder(path, "hf-readme", "card")
    lines = text.lstrip("\ufeff").splitlines()
    if not any(ln.strip() for ln in lines):
        b.issue("the model card is empty", 1, fatal=True)
        return b.build()
    data, body_start, parsed = _front_matter(lines, b)
    if isinstance(data, Mapping):
        _front_matter_fields(data, parsed, b)
    body = blank_comments("\n".join(lines[body_start:])).split("\n")
    first = body_start + 1
    parents: list[tuple[str, str, int, str]] = []
    for section in split_sections(body, first):
        title = normalise_heading(section.title)
        for pattern, fields, scope in HEADINGS:
            if re.search(pattern, title):
                source = f"section '{'#' * section.level} {section.title}'"
                for f in fields:
                    if scope != "own":  # a parent counts only when no subsection answers the field
                        parents.append((f, section.full, section.line, source))
                    elif (
                        f == "model.description"
                    ):  # its bullets are other fields (Developed by, ...)
                        own = "\n".join(ln for ln in section.own.split("\n") if not _is_bullet(ln))
                        b.add(f, own, section.line, source)
                    else:
                        b.add(f, section.own, section.line, source)
                break
    for f, text_, line, source in parents:
        if not b.has(f):
            b.add(f, text_, line, source)
    for label, value, ln in bullet_fields(body, first):
        for f in BULLETS.get(label, ()):
            if f == "data.contains_pii":
                if _YES.match(value):
                    b.add(f, True, ln, f"'{label}: {value[:60]}'")
                elif _NO.match(value):
                    b.add(f, False, ln, f"'{label}: {value[:60]}'")
            elif f == "data.sensitive_attributes":
                items = [s.strip() for s in re.split(r"[,;]| and ", value) if s.strip()]
                b.add(f, items, ln, f"'{label}:' bullet")
            else:
                b.add(f, value, ln, f"'{label}:' bullet")
    for contains, sentence, ln in pii_statements(body, first):
        b.add("data.contains_pii", contains, ln, f"statement {sentence!r}")
    if not b.has("model.name"):
        top = next((s for s in split_sections(body, first) if s.level == 1), None)
        if top is not None:
            name = re.sub(r"^model card (for|of)\s+", "", top.title.strip(), flags=re.I)
            b.add("model.name", name, top.line, "title heading")
    return b.build()
