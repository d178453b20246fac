"""Malformed documents of any shape never crash a loader: they become load issues."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    assert doc.first("model.name").value == "<script>alert(1)</script> Modèle ✓"
    assert doc.first("use.out_of_scope").value.strip() == "Décisions finales sans revue humaine."
    rows = {r.field: r for r in evaluate(rules_for(["transparency"]), [doc])}
    assert rows["use.intended"].status == "present"
    assert len(rows["use.intended"].value_excerpt) == 80  # huge cells are cut in the table
