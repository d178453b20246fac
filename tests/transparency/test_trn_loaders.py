"""Each loader on real-looking cards: fields, their lines, and malformed input as issues (no crash)."""

from __future__ import annotations

from pathlib import Path

import pytest
from trn_data import DATA, _in_repo_root, line_of  # noqa: F401

from auditor.transparency import load_card, load_datasheet
from auditor.transparency.placeholders import assess
from auditor.transparency.requirements import resolve


def status(doc, key):
    return resolve([key], [doc])[0]


# -- Hugging Face README ----------------------------------------------------------------------
def test_hf_default_template_placeholders_are_missing() -> None:
    path = DATA / "hf_template_README.md"
    doc = load_card(path)
    assert doc.format == "hf-readme"
    assert doc.issues == ()
    assert status(doc, "license") == "present"
    assert doc.first("license").line == 3
    assert doc.first("license").value == "apache-2.0"
    assert doc.first("model.name").value == "acme/cv-screener"
    for key in ("use.intended", "use.out_of_scope", "limitations", "provider.name", "model.type",
                "data.training", "data.evaluation", "metrics", "results.overall", "results.by_group",
                "explainability", "environmental_impact", "model.architecture", "citation",
                "card.authors", "provider.contact", "model.description", "risks"):  # fmt: skip
        assert status(doc, key) == "placeholder", key
    # the finding points at the placeholder itself, the first line of text under the heading
    fv = doc.first("use.out_of_scope")
    lines = path.read_text().splitlines()
    heading = line_of(path, "## Out-of-Scope Use")
    assert fv.line == next(
        n for n in range(heading + 1, len(lines) + 1) if "[More Information Needed]" in lines[n - 1]
    )
    assert "More Information Needed" in fv.value
    assert "<!--" not in fv.value
    # the template's default recommendation sentence is boilerplate, not an answer
    rec = next(v for v in doc.values("risks") if "Recommendations" in v.source)
    assert assess(rec.value, markdown=True).status == "placeholder"


def test_hf_filled_card_front_matter_and_sections() -> None:
    path = DATA / "hf_filled_README.md"
    doc = load_card(path)
    assert doc.issues == ()
    results = doc.first("results.overall")
    assert results.source == "front matter: model-index"
    assert [(r["metric"], r["value"]) for r in results.value] == [
        ("accuracy", 0.75), ("f1", 68.0), ("tpr", 0.61)
    ]  # fmt: skip
    assert results.item_lines == (
        line_of(path, "type: accuracy"), line_of(path, "type: f1"), line_of(path, "type: recall")
    )  # fmt: skip
    assert results.value[0]["revision"].startswith("sha256:00ff")
    claims = doc.first("fairness.claims").value
    assert claims == [{"metric": "demographic_parity_ratio", "value": 0.9, "feature": "sex",
                       "group": None, "dataset": "Acme applicants 2025 holdout"}]  # fmt: skip
    evaluation = doc.first("data.evaluation").value[0]
    assert evaluation["id"] == "acme/applicants-2025"
    assert evaluation["split"] == "test"
    assert doc.first("model.version").value == "2.1.0"
    assert doc.first("model.version").line == line_of(path, "**Model version:**")
    assert doc.first("provider.name").value == "Acme HR Analytics Ltd."
    assert status(doc, "use.out_of_scope") == "present"
    assert status(doc, "model.base_model") == "not_applicable"
    pii = doc.first("data.contains_pii")
    assert pii.value is False
    assert pii.line == line_of(path, "does not contain personal data")
    assert doc.first("model.name").value == "acme-cv-screener"


def test_hf_malformed_front_matter(tmp_path: Path) -> None:
    unclosed = tmp_path / "README.md"
    unclosed.write_text("---\nlicense: mit\n# Title\n\n## Direct Use\n\nScreening.\n")
    doc = load_card(unclosed)
    assert [i.message for i in doc.issues] == [
        "YAML front matter opened with '---' on line 1 is never closed"
    ]
    assert doc.fatal is None
    assert status(doc, "use.intended") == "present"

    bad = tmp_path / "bad.md"
    bad.write_text("---\nlicense: mit\ntags: [a, b\n---\n# Card\n")
    doc = load_card(bad)
    assert len(doc.issues) == 1
    assert doc.issues[0].message.startswith("front matter: invalid YAML")
    assert doc.issues[0].line == 3  # the file line of "tags: [a, b", not the front-matter line

    index = tmp_path / "index.md"
    index.write_text(
        "---\nmodel-index:\n  - name: m\n    results:\n      - task: {}\n        dataset: {type: d}\n"
        "        metrics:\n          - {type: accuracy, value: high}\n          - {value: 0.5}\n---\n"
    )
    messages = [i.message for i in load_card(index).issues]
    assert messages == [
        "model-index[0].results[0].task.type is required by the Hub",
        "model-index[0].results[0].dataset.name is required by the Hub",
        "model-index[0].results[0].metrics[0].value: not a number ('high')",
        "model-index[0].results[0].metrics[1]: needs type and value (required by the Hub)",
    ]


# -- Model Card Toolkit JSON ------------------------------------------------------------------
def test_mct_json() -> None:
    path = DATA / "mct_card.json"
    doc = load_card(path)
    assert doc.format == "mct-json"
    assert [(i.message, i.line) for i in doc.issues] == [
        (
            "unknown top-level key 'extra_section' (MCT schema v0.0.2)",
            line_of(path, "extra_section"),
        )
    ]
    assert doc.first("model.version").value == "2.1.0"
    assert doc.first("provider.contact").value == ["model-risk@acme.example"]
    assert doc.first("license").value == "Apache-2.0"
    assert doc.first("data.sensitive_attributes").value == ["sex", "race/ethnicity"]
    assert doc.first("data.evaluation").value == [
        {"name": "applicants 2025 (eval)", "description": "holdout of 2,000 applications"}
    ]
    assert doc.first("results.overall").value == [
        {"metric": "accuracy", "value": 0.75, "ci_low": 0.73, "ci_high": 0.77},
        {"metric": "precision", "value": 0.8},
    ]
    assert doc.first("results.by_group").value == [
        {"metric": "selection_rate", "value": 0.22, "feature": "sex", "group": "Female"}
    ]
    assert doc.first("fairness.claims").value == [
        {"metric": "impact_ratio", "value": 0.95, "feature": "sex", "group": None}
    ]
    assert doc.first("risks").value == [
        {"name": "Historical bias", "mitigation": "Quarterly fairness audit"}
    ]
    assert doc.first("use.intended_users").line == line_of(path, '"users"')


def test_mct_invalid_json(tmp_path: Path) -> None:
    p = tmp_path / "card.json"
    p.write_text('{"model_details": {"name": "x",}\n}')
    doc = load_card(p)
    assert doc.fatal is not None
    assert doc.fatal.line == 1
    assert doc.fatal.message.startswith("invalid JSON: Expecting property name")


# -- auditor model_card.yaml ------------------------------------------------------------------
def test_yaml_card_fields_and_lines() -> None:
    path = DATA / "model_card.yaml"
    doc = load_card(path)
    assert doc.format == "auditor-yaml"
    assert doc.issues == ()
    assert doc.first("model.version").value == "2.1"
    assert doc.first("model.version").line == 4
    assert doc.first("model.release_date").value == "2026-03-02"  # dates are kept as written
    assert doc.location(doc.first("data.contains_pii").line) == (
        f"card:tests/transparency/data/model_card.yaml:{line_of(path, 'contains_pii')}"
    )
    assert status(doc, "model.base_model") == "not_applicable"
    assert status(doc, "oversight.human") == "placeholder"  # "N/A" without a reason
    assert status(doc, "monitoring.plan") == "placeholder"  # TBD
    assert status(doc, "provider") == "present"
    assert status(doc, "governance.risk_category") == "missing"


def test_yaml_card_unknown_keys_wrong_types(tmp_path: Path) -> None:
    p = tmp_path / "model_card.yaml"
    p.write_text(
        "model:\n  name: x\n  vesion: 2\nlicence: MIT\n"
        "data:\n  contains_pii: 'no'\n  evaluation:\n    - {id: e, sha: abc}\n"
        "results:\n  overall: accuracy 0.9\ncard:\n  authors: [a]\n"
    )
    doc = load_card(p)
    got = [(i.message, i.line) for i in doc.issues]
    messages = [m for m, _ in got]
    assert any(m.startswith("unknown key 'model.vesion' (did you mean 'version'") for m in messages)
    assert any(m.startswith("unknown key 'licence' (did you mean 'license'") for m in messages)
    assert "data.contains_pii: expected true or false, got text ('no'); read as false" in messages
    assert doc.first("data.contains_pii").value is False  # the quoted answer is still a claim
    assert any(
        m.startswith("unknown key data.evaluation[0].sha (did you mean 'sha256'?)")
        for m in messages
    )
    assert "results.overall: expected a list, got text ('accuracy 0.9')" in messages
    assert doc.first("results.overall").problem == "expected a list, got text ('accuracy 0.9')"
    assert doc.fatal is None


def test_yaml_card_duplicate_key_is_fatal(tmp_path: Path) -> None:
    """A repeated key makes the card ambiguous (YAML forbids it): the card is not read, and the
    issue names both lines; it used to be a warning with the later value used."""
    p = tmp_path / "model_card.yaml"
    p.write_text("model:\n  name: x\ncard:\n  authors: [a]\ncard:\n  authors: [b]\n")
    doc = load_card(p)
    assert [(i.message, i.line, i.fatal) for i in doc.issues] == [
        ("duplicate key 'card' (first given on line 3): a key may appear once in a mapping; "
         "remove one of them", 5, True),
    ]  # fmt: skip
    assert doc.first("model.name") is None


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        ("model:\n  name: [unclosed\n", "invalid YAML", 3),
        ("- a\n- b\n", "expected a mapping of card sections at the top level, got list", 1),
        ("# only a comment\n", "the model card is empty", 1),
    ],
)
def test_yaml_card_fatal(tmp_path: Path, content: str, message: str, line: int) -> None:
    p = tmp_path / "model_card.yaml"
    p.write_text(content)
    doc = load_card(p)
    assert doc.fatal is not None
    assert doc.fatal.message.startswith(message)
    assert doc.fatal.line == line


def test_unreadable_documents(tmp_path: Path) -> None:
    binary = tmp_path / "card.yaml"
    binary.write_bytes(b"\x00\x01\x02model")
    assert load_card(binary).fatal.message == "model card looks binary (NUL bytes), expected text"
    latin = tmp_path / "card2.yaml"
    latin.write_bytes("model:\n  name: Caf\xe9\n".encode("latin-1"))
    assert load_card(latin).fatal.message.startswith("model card is not valid UTF-8")
    assert load_card(tmp_path / "missing.yaml").fatal.message == "model card file not found"
    assert load_card(tmp_path).fatal.message == "model card path is a directory, expected a file"
    # an unreadable card is still the card: its location is card:<path>:1, never "model card:..."
    for path in (binary, latin, tmp_path / "missing.yaml", tmp_path):
        doc = load_card(path)
        assert (doc.role, doc.format) == ("card", "unreadable")
        assert doc.location(doc.fatal.line) == f"card:{path.as_posix()}:1"
    sheet = load_datasheet(binary)
    assert (sheet.role, sheet.location()) == ("datasheet", f"datasheet:{binary.as_posix()}:1")
    assert sheet.fatal.message == "datasheet looks binary (NUL bytes), expected text"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("model_card.yaml", "auditor-yaml"), ("README.md", "hf-readme"), ("card.json", "mct-json")],
)
def test_empty_cards_keep_their_format_name(tmp_path: Path, name: str, fmt: str) -> None:
    p = tmp_path / name
    p.write_text("  \n\n")
    doc = load_card(p)
    assert (doc.format, doc.fatal.message) == (fmt, "the model card is empty")
    for sheet_name, sheet_fmt in (("sheet.md", "datasheet-md"), ("sheet.yaml", "datasheet-yaml")):
        sheet = tmp_path / sheet_name
        sheet.write_text("\n")
        assert load_datasheet(sheet).format == sheet_fmt


# -- datasheets -------------------------------------------------------------------------------
def test_datasheet_yaml() -> None:
    doc = load_datasheet(DATA / "datasheet.yaml")
    assert doc.format == "datasheet-yaml"
    assert doc.issues == ()
    assert doc.first("data.contains_pii").value is False
    assert doc.first("data.contains_pii").line == 6
    assert doc.first("data.contains_special_category").value is True
    assert doc.first("data.consent").value.startswith("Applicants agreed")
    for section in ("motivation", "composition", "collection", "preprocessing", "uses",
                    "distribution", "maintenance"):  # fmt: skip
        assert status(doc, f"datasheet.{section}") == "present", section


def test_datasheet_markdown_questions(tmp_path: Path) -> None:
    path = Path("examples/hiring/datasheet.md")
    doc = load_datasheet(path)
    assert doc.format == "datasheet-md"
    assert doc.issues == ()
    pii = doc.first("data.contains_pii")
    assert pii.value is False
    assert pii.line == line_of(path, "identifies individuals?")
    assert doc.first("data.contains_special_category").value is True
    assert status(doc, "data.consent") == "placeholder"  # answered "TBD"
    assert status(doc, "datasheet.distribution") == "present"

    empty = tmp_path / "sheet.md"
    empty.write_text("# Notes\n\nNothing here.\n")
    assert load_datasheet(empty).fatal.message.startswith("no datasheet sections found")
    unknown = tmp_path / "sheet.yaml"
    unknown.write_text("motivation: x\nprovenance: y\n")
    assert [i.message for i in load_datasheet(unknown).issues] == [
        "unknown datasheet section 'provenance' (expected: motivation, composition, collection, "
        "preprocessing, uses, distribution, maintenance)"
    ]
