"""Loader for Hugging Face model cards (``README.md``): YAML front matter including ``model-index`` and the
card's section headings and bodies (the hub's default template and the Trainer's auto-generated card)."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Mapping
from typing import Any

from .document import Builder, Document
from .lexicon import SUBJECT, fields_for
from .markdown import (
    Section,
    blank_comments,
    code_lines,
    labels,
    normalise_heading,
    pii_statements,
    split_sections,
    strip_html,
    tables,
)
from .metrics import FAIRNESS_METRICS, canonical_metric
from .placeholders import PLACEHOLDER, assess, strip_markdown
from .prose import scan_prose
from .yamlnodes import YamlProblem, parse_with_lines

__all__ = ["load_hf_readme"]

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
            if task.get("type") or task.get("name"):
                kind = task.get("name") or task.get("type")
                at = parsed.line((*rpath, "task"))
                b.add("model.task", kind, at, f"{where}.task")
                b.add("model.type", kind, at, f"{where}.task")
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
        "model_creator": "provider.name",
        "model_type": "model.type",
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
    if data.get("language"):  # the languages it accepts: part of the input specification
        b.add("io.input_spec", data["language"], line("language"), "front matter: language")
    if data.get("pipeline_tag"):  # "text-classification": what kind of model it is, too
        b.add(
            "model.type", data["pipeline_tag"], line("pipeline_tag"), "front matter: pipeline_tag"
        )
    if "model-index" in data:
        _model_index(data["model-index"], parsed, b)
    for key in data:
        b.anchor("front matter", line(str(key)))
    if "license" not in data:
        b.anchor("license", 1)


_URL = re.compile(r"\(?\bhttps?://\S+|\bwww\.\S+")
_VERSION_IN_NAME = re.compile(
    r"(?:^|[\s_\-/])(v\d+(?:\.\d+)*|\d+\.\d+(?:\.\d+)?)(?=$|[\s_\-/)])", re.I
)
_NOT_DATASET = re.compile(
    r"\b(average|avg|mean|size|params?|parameters|flops|tokens|license|date|release|type|#|"
    r"accuracy|score|wer|f1|bleu|latency|throughput|speed|memory)\b",
    re.I,
)
MAX_SECTIONS = 2_000  # headings read as sections (real cards have a few dozen)
_GENERIC_COLUMN = re.compile(
    r"^\W*(description|details?|value|information|info|answer|notes?|)\W*$", re.I
)
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<img\b", re.I)
_FIGURE_CONTEXT = re.compile(
    r"\b(results?|evaluation|performance|benchmarks?|accuracy|metrics?|roc|auc|curve|error rates?|scores?)\b",
    re.I,
)
_GROUP_CONTEXT = re.compile(
    r"\b(bias|fairness|subgroups?|identit(y|ies)|intersectional|demographic|by (group|gender|race|age|language))\b",
    re.I,
)
_HTML_NUMBER_CELL = re.compile(r"<t[dh]\b[^>]*>\s*[<>~]?\s*-?\d+(?:[.,]\d+)?\s*%?\s*</t[dh]>", re.I)
_IMPORT = re.compile(
    r"^\s*(?:from\s+(?P<a>[A-Za-z_][\w]*)[\w.]*\s+import\b|import\s+(?P<b>[A-Za-z_][\w]*))"
)
_STDLIB = frozenset(
    ("os", "sys", "re", "json", "math", "time", "io", "typing", "pathlib", "random", "collections")
)
# organisations whose name opening a card's title makes them its provider ("# NVIDIA Conformer-CTC")
_KNOWN_ORGS = re.compile(
    r"^(NVIDIA|Google|Meta|Facebook|Microsoft|OpenAI|IBM|Intel|Apple|Amazon|AWS|Hugging ?Face|Stability AI|"
    r"Mistral AI|EleutherAI|AllenAI|AI2|Salesforce|Alibaba|DeepMind|Anthropic|Cohere|BigScience|Baidu|Tencent|"
    r"Huawei|Samsung|Nous Research|Databricks|Snowflake|TII|Technology Innovation Institute)\b"
)
_GROUP_HEAD = re.compile(
    r"^\W*(languages?|genders?|sex|races?|ethnicit(y|ies)|age( group| band)?s?|groups?|subgroups?|accents?|"
    r"dialects?|regions?|countr(y|ies)|demographics?|skin (type|tone)s?|populations?)\W*$",
    re.I,
)
_ARCH_HEAD = re.compile(
    r"\b(param(eter)?s|layers|heads|d_model|hidden size|dimensions?|context length)\b", re.I
)
_SUBJECT = {f: re.compile(p, re.I) for f, p in SUBJECT.items()}
_NUMBER = re.compile(r"^[<>~≈±]?\s*-?\d+(?:[.,]\d+)?\s*(?:%|±\s*\d+(?:\.\d+)?)?\**$")
_METRIC_WORD = re.compile(
    r"\b(acc(uracy)?|f1|f-?score|precision|recall|auc|roc|wer|cer|bleu|rouge\w*|meteor|perplexity|ppl|"
    r"exact match|em|map|mrr|ndcg|loss|mae|mse|rmse|r2|pass@\d+|score|top-?\d|spearman|pearson|"
    r"matthews|mcc|error rate|fpr|fnr|tpr|specificity|sensitivity|iou|psnr|ssim|fid)\b",
    re.I,
)
_DATASET_HEAD = re.compile(
    r"\b(data ?sets?|benchmarks?|tasks?|test sets?|corpus|corpora|evaluation)\b", re.I
)
_RESULTS_CONTEXT = re.compile(
    r"\b(results?|benchmarks?|evaluation|performance|scores?|accuracy|leaderboard|metrics?)\b", re.I
)
# a level-1 title that names the card, not the model
_TITLE_NOISE = re.compile(
    r"^(?:model\s*card|modelcard|readme)\s*(?:[:\-–—|]|for|of)?\s*|\s*[:\-–—|]?\s*model\s*card$",
    re.I,
)
# parents people write without content of their own, and the fields whose place they are
_PARENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"^model details?$|^model (information|description|overview)$|^details$",
     ("model", "provider", "license", "references")),
    (r"^uses?$|^intended uses?", ("use",)),
    (r"^training( details| procedure)?$|^training (and|&) evaluation", ("data", "compute")),
    (r"^evaluation|^testing data,? factors", ("data.evaluation", "metrics", "results")),
    (r"^technical specifications?|^hardware (and|&) software",
     ("model.architecture", "compute", "software")),
    (r"^bias,? risks|^ethical", ("risks", "limitations", "fairness")),
)  # fmt: skip


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


@functools.lru_cache(maxsize=4096)
def _title_fields(raw_title: str) -> tuple[tuple[str, ...], bool, str]:
    """(fields, any row is a parent (full scope), text after a ``Title: value`` colon). A title that
    matches nothing is tried again without its parenthetical ("Fairness (Bias and inclusion)")."""
    head, _, tail = raw_title.partition(":") if ":" in raw_title else (raw_title, "", "")
    fields: list[str] = []
    full = False
    bare = re.sub(r"\s*\([^)]*\)", "", head)
    candidates = (normalise_heading(raw_title), normalise_heading(head), normalise_heading(bare))
    for title in dict.fromkeys(candidates):
        for f, scope in fields_for(title):
            fields.extend(f)
            full = full or scope == "full"
        if fields:
            break
    return _unique(fields), full, tail.strip()


def _has_content(text: str) -> bool:
    return assess(text, markdown=True).status != PLACEHOLDER


def _sections(sections: list[Section], body: list[str], first: int, b: Builder) -> None:
    """Headings at any level through the lexicon; a heading with no text of its own takes the
    sub-sections no other field claims."""
    if len(sections) > MAX_SECTIONS:
        b.issue(
            f"the card has {len(sections):,} headings; only the first {MAX_SECTIONS:,} were read as "
            "sections",
            sections[MAX_SECTIONS].line,
        )
        sections = sections[:MAX_SECTIONS]
    matched = [_title_fields(s.title) for s in sections]
    for n, (section, (fields, full, tail)) in enumerate(zip(sections, matched, strict=True)):
        title = normalise_heading(section.title)
        for pattern, prefixes in _PARENTS:
            if re.search(pattern, title):
                for prefix in prefixes:
                    b.anchor(prefix, section.line)
        if not fields:
            continue
        for f in fields:
            b.anchor(f, section.line)
            b.anchor(f.split(".")[0], section.line)
        own = "\n".join(x for x in (tail, section.own) if x)
        kids: list[str] = []
        for m in range(n + 1, len(sections)):
            child = sections[m]
            if child.level <= section.level:
                break
            claimed = matched[m][0]
            if claimed and not set(claimed) & set(fields):
                continue  # a sub-section about another field ("### Out-of-Scope Use" under "## Uses")
            kids.append(child.own)
        source = f"section '{'#' * section.level} {section.title.strip()}'"
        value = own
        if full or not _has_content(own):
            value = "\n".join([own, *kids])
        multi = len(fields) > 1
        for f in fields:
            subject = _SUBJECT.get(f)
            always = f.startswith("results.") or f == "environmental_impact"
            if (
                subject is not None
                and (multi or always)
                and _has_content(value)
                and not subject.search(_URL.sub(" ", strip_markdown(value)))
            ):
                continue  # the heading names the subject, the text never speaks of it
            if f == "model.description":  # its labels are other fields (Developed by, ...)
                value_f = "\n".join(ln for ln in value.split("\n") if not _is_label(ln))
                b.add(f, value_f, _first_text_line(section, body, first, value_f), source)
            else:
                b.add(f, value, _first_text_line(section, body, first, value), source)


def _first_text_line(section: Section, body: list[str], first: int, value: str) -> int:
    """The line where a reader finds the section's answer: its first line of text (the placeholder's
    line when it is one), or the heading's when the text is only in a ``Title: value`` heading."""
    wanted = next((ln.strip() for ln in value.split("\n") if ln.strip()), "")
    if not wanted:
        return section.line
    start = section.line - first + 1
    for i in range(start, min(len(body), start + 400)):
        if body[i].strip() == wanted:
            return first + i
    return section.line


def _is_label(line: str) -> bool:
    found = labels([line], 1)
    return bool(found) and any(fields_for(found[0].label, heading=False))


def _labels(body: list[str], first: int, code: set[int], b: Builder) -> None:
    for lab in labels(body, first, code):
        fields = _unique(
            [
                *BULLETS.get(lab.label, ()),
                *(f for fs, _ in fields_for(lab.label, heading=False) for f in fs),
            ]
        )
        value = lab.value
        source = f"label '{lab.raw[:60]}'"
        for f in fields:
            if f == "data.contains_pii":
                if _YES.match(value):
                    b.add(f, True, lab.line, f"'{lab.label}: {value[:60]}'")
                elif _NO.match(value):
                    b.add(f, False, lab.line, f"'{lab.label}: {value[:60]}'")
            elif f == "data.sensitive_attributes":
                items = [s.strip() for s in re.split(r"[,;]| and ", value) if s.strip()]
                b.add(f, items, lab.line, source)
            else:
                b.add(f, value, lab.line, source)
            b.anchor(f.split(".")[0], lab.line)


def _section_at(sections: list[Section], starts: list[int], line: int) -> Section | None:
    """The section a line is in; ``starts`` are the sections' lines (file order): a binary search, so a
    card with thousands of headings stays linear."""
    i = bisect.bisect_right(starts, line)
    return sections[i - 1] if i else None


def _tables(sections: list[Section], body: list[str], first: int, b: Builder) -> None:
    """A table of numbers about results is ``results.overall``; its metric columns are ``metrics`` and its
    first column names the evaluation data when it is headed dataset/benchmark/task (or the section is)."""
    starts = [sec.line for sec in sections]
    for table in tables(body, first):
        head_fields = _title_fields(table.header[0])[0] if len(table.header) == 2 else ()
        if head_fields and _GENERIC_COLUMN.match(table.header[1]) and table.rows:
            # "| Ethical Considerations | Description |": a Mitchell section written as a table
            text = "\n".join(" | ".join(r) for r in table.rows)
            for f in head_fields:
                subject = _SUBJECT.get(f)
                if subject is not None and f.startswith("results.") and not subject.search(text):
                    continue  # "| Factors | Description |" naming the factors, not results by them
                b.add(f, text, table.line + 2, f"table '{table.header[0][:60]}'")
        for col, head in enumerate(table.header):  # "| Release | WER | GPUs |": a release table
            cells = [r[col] for r in table.rows if col < len(r) and r[col].strip(" -")]
            if cells and re.match(r"^\W*(release( date)?|date)\W*$", head, re.I):
                b.add("model.release_date", cells[-1], table.line, "table column 'release'")
            if cells and re.match(r"^\W*(gpus?|hardware|accelerators?|tpus?)\W*$", head, re.I):
                b.add("compute.hardware", cells[-1], table.line, f"table column '{head.strip()}'")
        if re.match(r"^\W*(model )?version\W*$", table.header[0], re.I) and table.rows:
            b.add(
                "model.version",
                table.rows[-1][0],
                table.line + 1 + len(table.rows),
                "table of versions",
            )
            if len(table.rows) > 1:
                b.add("changelog", table.text, table.line, "table of versions")
        if any(_ARCH_HEAD.search(h) for h in table.header):
            b.add("model.architecture", table.text, table.line, "table of model sizes")
        section = _section_at(sections, starts, table.line)
        title = section.title if section else ""
        if "data.training" in _title_fields(title)[0]:  # counts per language in a data section
            if _GROUP_HEAD.search(table.header[0]):
                where = f"table under '{title.strip()[:60]}': per group"
                b.add("data.representativeness", table.text, table.line, where)
            continue
        cells = [c.strip("* ") for row in table.rows for c in row[1:]]
        numeric = sum(bool(_NUMBER.match(c)) for c in cells)
        if not numeric:
            continue
        head = " ".join(table.header)
        first_col = [row[0].strip("* ") for row in table.rows if row and row[0].strip("* ")]
        metric_cols = [h for h in table.header[1:] if _METRIC_WORD.search(h)]
        metric_rows = [c for c in first_col if _METRIC_WORD.search(c)]
        if not (
            _RESULTS_CONTEXT.search(title)
            or metric_cols
            or metric_rows
            or _DATASET_HEAD.search(head)
        ):
            continue
        where = f"table under '{title.strip()[:60]}'" if title else "table"
        b.add("results.overall", table.text, table.line, where)
        if _GROUP_HEAD.search(table.header[0]):
            b.add("results.by_group", table.text, table.line, f"{where}: one row per group")
        if metric_cols or metric_rows:
            b.add(
                "metrics", _unique(metric_cols or metric_rows), table.line, f"{where}: metric names"
            )
        if re.match(r"^\W*(model|system|method|checkpoint|name|models)\W*$", table.header[0], re.I):
            # a comparison table: models in rows, benchmarks in columns
            named = [
                h.strip("* ")
                for h in table.header[1:]
                if h.strip("* ") and not _NOT_DATASET.search(h)
            ]
            if named:
                b.add("data.evaluation", _unique(named), table.line, f"{where}: benchmark columns")
        for h in table.header:
            if re.search(
                r"\bflops\b|\bgpu[- ]?hours\b|\btraining (time|tokens)\b|\btokens\b", h, re.I
            ):
                b.add(
                    "compute.training",
                    table.text,
                    table.line,
                    f"{where}: column '{h.strip()[:30]}'",
                )
                break
        if (
            first_col
            and (_DATASET_HEAD.search(table.header[0]) or re.search(r"benchmark|data", title, re.I))
            and not metric_rows
        ):
            b.add("data.evaluation", _unique(first_col), table.line, f"{where}: first column")


def _figures_and_html(
    sections: list[Section], raw: list[str], body: list[str], first: int, code: set[int], b: Builder
) -> None:
    """What Markdown tables cannot show: result figures (an image in a results or bias section, or with
    a caption naming a measure), HTML tables of numbers in such sections, and the libraries a code
    example imports."""
    starts = [sec.line for sec in sections]
    in_table = 0
    numbers = 0
    for i, ln in enumerate(raw):
        if i in code:
            m = _IMPORT.match(body[i])
            if m:
                name = m.group("a") or m.group("b")
                if name and name not in _STDLIB:
                    b.add("software.dependencies", name, first + i, "a code example imports it",
                          confidence="low")  # fmt: skip
            continue
        section = _section_at(sections, starts, first + i)
        title = section.title if section else ""
        if "<table" in ln.lower():
            in_table, numbers = first + i, 0
        numbers += len(_HTML_NUMBER_CELL.findall(ln))
        if "</table" in ln.lower() and in_table:
            if numbers >= 2 and _FIGURE_CONTEXT.search(title):
                b.add("results.overall", f"HTML table with {numbers} numbers", in_table,
                      f"table under '{title[:60]}'")  # fmt: skip
            in_table = 0
        if _IMAGE.search(ln):
            # the caption (alt text, the line before or after) must name a measure: a figure under
            # "Results" that only shows "relative improvements" gives no result a reader can use
            around = " ".join(raw[max(0, i - 1) : i + 2])
            context = f"{title} {around}"
            if (
                _FIGURE_CONTEXT.search(around)
                and "model.architecture" not in _title_fields(title)[0]
            ):
                b.add("results.overall", "a figure of results", first + i, f"figure under '{title[:60]}'",
                      confidence="low")  # fmt: skip
                if _GROUP_CONTEXT.search(context):
                    b.add("results.by_group", "a figure of results by group", first + i,
                          f"figure under '{title[:60]}'", confidence="low")  # fmt: skip


def _title(sections: list[Section], b: Builder) -> None:
    """The first level-1 heading names the model unless it is a section name ("# Model Details");
    "Model Card: X", "Model Card for X" and "X Model Card" give X."""
    tops = [s for s in sections if s.level == 1]
    for top in tops[:1]:
        title = re.sub(r"[*_`]", "", top.title).strip()
        name = _TITLE_NOISE.sub("", title).strip(" :-–—|")
        if not name or any(fields_for(normalise_heading(name))):
            continue
        b.anchor("model", top.line)
        b.anchor("provider", top.line)
        org = _KNOWN_ORGS.match(name)
        if org is not None:
            b.add(
                "provider.name",
                org.group(1),
                top.line,
                "organisation in the title",
                confidence="low",
            )
        if not b.has("model.name"):
            b.add("model.name", name, top.line, "title heading")


def load_hf_readme(text: str, path: str) -> Document:
    lines = text.lstrip("\ufeff").splitlines()
    fmt = "hf-readme" if lines and lines[0].strip() == "---" else "markdown"
    b = Builder(path, fmt, "card")
    if not any(ln.strip() for ln in lines):
        b.issue("the model card is empty", 1, fatal=True)
        return b.build()
    data, body_start, parsed = _front_matter(lines, b)
    if isinstance(data, Mapping):
        _front_matter_fields(data, parsed, b)
    raw = blank_comments("\n".join(lines[body_start:])).split("\n")
    body = strip_html("\n".join(raw)).split("\n")
    first = body_start + 1
    code = code_lines(body)
    sections = split_sections(body, first)  # parsed once; every reader below shares it
    _figures_and_html(sections, raw, body, first, code, b)
    _sections(sections, body, first, b)
    _labels(body, first, code, b)
    _tables(sections, body, first, b)
    answered = {
        fv.line for fv in b.values("data.contains_pii")
    }  # "Contains personal data: no" labels
    for contains, sentence, ln in pii_statements(body, first):
        if ln not in answered:
            b.add("data.contains_pii", contains, ln, f"statement {sentence!r}")
    _title(sections, b)
    for fv in b.values("model.name"):  # "Stable Diffusion v2", "dfm-encoder-large-v1"
        m = _VERSION_IN_NAME.search(str(fv.value))
        if m is not None:
            b.add(
                "model.version",
                m.group(1),
                fv.line,
                "version in the model's name",
                confidence="low",
            )
        by = re.search(r"\bby ([A-Z][\w&.\-]+(?: [A-Z][\w&.\-]+){0,2})\s*$", str(fv.value))
        if by is not None:  # "Transformer+TransformerLM by SpeechBrain"
            b.add(
                "provider.name", by.group(1), fv.line, "'by' in the model's name", confidence="low"
            )
    scan_prose(body, first, code, b)
    return b.build()
