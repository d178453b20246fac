"""Malformed documents of any shape never crash a loader: they become load issues."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from trn_data import _in_repo_root, screening_frame  # noqa: F401

from auditor.checks.trn_card_fields import card_fields
from auditor.checks.trn_card_readable import card_readable
from auditor.testing import make_context, run_check
from auditor.transparency import load_card, load_datasheet
from auditor.transparency.requirements import evaluate, rules_for

KEYS = st.sampled_from(
    ["model", "model_details", "model-index", "results", "metrics", "data", "license", "owners",
     "version", "performance_metrics", "quantitative_analysis", "model_parameters", "considerations",
     "composition", "value", "type", "dataset", "name", "slice", "sensitive", "overall", "by_group",
     "fairness", "claims", "contains_pii", "not_applicable", "reason", "x"]
)  # fmt: skip
LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
    st.sampled_from(["TODO", "N/A", "[More Information Needed]", "0.9", "sha256:abc", "Apache 2"]),
)  # fmt: skip
TREES = st.recursive(
    LEAVES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=25,
)
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _all_rules():
    return rules_for(["transparency", "eu-ai-act", "hf-model-card", "datasheet"])


@SETTINGS
@given(tree=TREES)
def test_any_yaml_or_json_tree(tmp_path_factory, tree) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    text = yaml.safe_dump(tree)
    for name, content in (
        ("card.yaml", text),
        ("card.json", json.dumps(tree, default=str)),
        ("README.md", f"---\n{text}---\n# Title\n\n## Direct Use\n\nTODO\n"),
    ):
        p = root / name
        p.write_text(content)
        doc = load_card(p)
        evaluate(_all_rules(), [doc])  # never raises either
    sheet = root / "sheet.yaml"
    sheet.write_text(text)
    evaluate(_all_rules(), [load_datasheet(sheet)])


@SETTINGS
@given(body=st.text(max_size=400))
def test_any_markdown_text(tmp_path_factory, body: str) -> None:
    root = tmp_path_factory.mktemp("md")
    p = root / "README.md"
    p.write_text(body, encoding="utf-8")
    evaluate(_all_rules(), [load_card(p)])
    s = root / "sheet.md"
    s.write_text(body, encoding="utf-8")
    evaluate(_all_rules(), [load_datasheet(s)])


def test_html_and_unicode_headings(tmp_path: Path) -> None:
    p = tmp_path / "README.md"
    p.write_text(
        "---\nlicense: mit\n---\n# <script>alert(1)</script> Modèle ✓\n\n## Out-of-Scope Use 🚫\n\n"
        "Décisions finales sans revue humaine.\n\n## Direct Use\n\n" + "screening " * 20_000 + "\n"
    )
    doc = load_card(p)
    assert doc.first("model.name").value == "alert(1) Modèle ✓"  # HTML tags are read as text only
    assert doc.first("use.out_of_scope").value.strip() == "Décisions finales sans revue humaine."
    rows = {r.field: r for r in evaluate(rules_for(["transparency"]), [doc])}
    assert rows["use.intended"].status == "present"
    assert len(rows["use.intended"].value_excerpt) == 80  # huge cells are cut in the table


# -- YAML that used to crash every TRN check ---------------------------------------------------------


def _trn100(card: Path | None = None, datasheet: Path | None = None):
    ctx = make_context(screening_frame(), prediction="pred", card=card, datasheet=datasheet)
    return ctx, run_check(card_readable, ctx)


def test_impossible_dates_in_our_card(tmp_path: Path) -> None:
    p = tmp_path / "model_card.yaml"
    p.write_text(
        "model:\n  name: Screener\n  release_date: 2026-13-45\ncard:\n  date: 2026-02-30\n"
        "  authors: [J. Doe]\n"
    )
    ctx, res = _trn100(p)
    assert res.status.value == "failed"
    assert [(f.detail, f.location) for f in res.findings] == [
        (f"{p.as_posix()}: model.release_date: impossible date '2026-13-45' (month must be in "
         "1..12)", f"card:{p.as_posix()}:3"),
        (f"{p.as_posix()}: card.date: impossible date '2026-02-30' (day is out of range for month)",
         f"card:{p.as_posix()}:5"),
    ]  # fmt: skip
    assert res.findings[1].message == (
        f"Part of the model card {p.as_posix()} is not read as its author meant: card.date: "
        "impossible date '2026-02-30' (day is out of range for month)."
    )
    assert res.findings[1].recommendation == (
        f"Correct the key 'card.date' in {p.as_posix()} (line 5) so the field is read as meant; "
        "docs/transparency.md lists the schema."
    )
    rows = {r["field"]: r for r in run_check(card_fields, ctx, {"fields": [
        {"field": "model.release_date", "clause": "Annex IV 1(a)"},
        {"field": "card.date", "clause": "Annex IV 2(g)"}, {"field": "model.name", "clause": "x"},
    ], "standards": []}).tables["fields"]}  # fmt: skip
    assert rows["model.release_date"]["status"] == "placeholder"
    assert rows["card.date"]["status"] == "placeholder"
    assert rows["model.name"]["status"] == "present"  # the rest of the card is read


def test_impossible_dates_in_front_matter_and_datasheet(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        "---\nlicense: mit\ndate: 2026-02-30\n---\n# Screener\n\n## Direct Use\n\nRank applicants.\n"
    )
    doc = load_card(readme)
    assert [(i.message, i.line) for i in doc.issues] == [
        ("front matter: date: impossible date '2026-02-30' (day is out of range for month); read "
         "as text", 3),
    ]  # fmt: skip
    assert doc.first("license").value == "mit"
    assert doc.first("use.intended").value.strip() == "Rank applicants."
    sheet = tmp_path / "datasheet.yaml"
    sheet.write_text("motivation:\n  purpose: evaluation\n  created: 2026-13-45\n")
    ds = load_datasheet(sheet)
    assert ds.fatal is None
    assert [(i.message, i.line) for i in ds.issues] == [
        ("motivation.created: impossible date '2026-13-45' (month must be in 1..12); read as text",
         3),
    ]  # fmt: skip


def test_self_referencing_alias(tmp_path: Path) -> None:
    p = tmp_path / "model_card.yaml"
    p.write_text("model: &a {name: *a}\n")
    ctx, res = _trn100(p)
    [f] = res.findings
    assert f.detail == (
        f"{p.as_posix()}: self-referencing alias: an alias refers to a mapping or list that "
        "contains it"
    )
    assert f.message.startswith(
        f"The model card {p.as_posix()} cannot be read, so none of its statements were checked: "
        "self-referencing alias"
    )
    assert (f.location, f.severity.label, f.evidence["fatal"]) == (
        f"card:{p.as_posix()}:1",
        "high",
        True,
    )
    skipped = run_check(card_fields, ctx)
    assert skipped.status.value == "skipped"
    assert skipped.detail.endswith("could not be read (see TRN100): self-referencing alias: an "
                                   "alias refers to a mapping or list that contains it")  # fmt: skip
    readme = tmp_path / "README.md"
    readme.write_text("---\nlist: &l [1, *l]\n---\n# Screener\n")
    doc = load_card(readme)
    assert doc.fatal is None  # the body is still read
    assert doc.issues[0].message.startswith("front matter: self-referencing alias")
    assert doc.first("model.name").value == "Screener"


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(7):
        prev, cur = chr(97 + i), chr(98 + i)
        levels.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    text = "\n".join(levels) + "\n"
    assert len(text) < 400  # ~9^8 = 43 million strings once expanded
    p = tmp_path / "model_card.yaml"
    p.write_text(text)
    start = time.perf_counter()
    ctx, res = _trn100(p)
    fields = run_check(card_fields, ctx)
    assert time.perf_counter() - start < 2.0
    [f] = res.findings
    assert f.detail == (
        f"{p.as_posix()}: too many aliases: they expand the document to more than 100,000 nodes "
        "(a 'billion laughs' file?); write the values out instead"
    )
    assert f.evidence["fatal"] is True
    assert fields.status.value == "skipped"
    sheet = tmp_path / "datasheet.yaml"
    sheet.write_text(text)
    assert load_datasheet(sheet).fatal.message.startswith("too many aliases")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("card.json", "[" * 50_000 + "]" * 50_000),  # beyond Python's recursion limit
        ("card.json", '{"model_details": {"name": ' + "[" * 150 + "]" * 150 + "}}"),
        ("model_card.yaml", "model: " + "[" * 5_000 + "]" * 5_000 + "\n"),
    ],
)
def test_deep_nesting_is_a_load_issue(tmp_path: Path, name: str, text: str) -> None:
    p = tmp_path / name
    p.write_text(text)
    assert load_card(p).fatal.message == "nesting too deep (at most 100 levels)"
