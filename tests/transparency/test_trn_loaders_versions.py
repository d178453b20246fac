"""Loaders by schema version (MCT 0.0.1, 0.0.2 and proto-JSON), structured licenses, fixes written in the
card's own format, and missing fields located at their nearest parent (issue 15).

The MCT documents are the toolkit's own (tests/transparency/data/mct, see SOURCES.md); the proto-JSON
export is produced by the real protobuf ``json_format`` from the toolkit's ``model_card.proto``.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from trn_data import DATA, _in_repo_root, line_of, screening_frame  # noqa: F401

import auditor.transparency.hints as hints_module
from auditor.checks.trn_card_fields import card_fields
from auditor.checks.trn_claim_license import card_license_valid
from auditor.checks.trn_datasheet_fields import datasheet_fields
from auditor.testing import make_context, run_check
from auditor.transparency import load_card, load_datasheet
from auditor.transparency.document import Document
from auditor.transparency.hints import (
    DATASHEET,
    HF,
    MARKDOWN,
    MCT,
    MCT_LABELLED,
    card_flavour,
    fill_advice,
    license_fix,
    where_to_write,
)
from auditor.transparency.license import validate_license
from auditor.transparency.load_mct import KEYS, load_mct_json
from auditor.transparency.requirements import (
    FIELD_KEYS,
    FieldRule,
    evaluate,
    load_standard,
    resolve,
    standard_names,
)

MCT_DIR = DATA / "mct"
V001, V002, FULL = (
    MCT_DIR / n for n in ("cats_vs_dogs_v0_0_1.json", "cats_vs_dogs_v0_0_2.json", "full.json")
)


def status(doc: Document, key: str) -> str:
    return resolve([key], [doc])[0]


def write(tmp_path: Path, name: str, data: Any) -> Path:
    p = tmp_path / name
    p.write_text(data if isinstance(data, str) else json.dumps(data, indent=2), encoding="utf-8")
    return p


# -- MCT 0.0.1 and 0.0.2, real documents ---------------------------------------------------------------
def test_mct_001_real_card_keeps_license_citation_and_data() -> None:
    """The toolkit's 0.0.1 card used to lose its license, citation and data as "unknown keys" of 0.0.2
    and have them reported missing."""
    doc = load_card(V001)
    assert doc.issues == ()
    lic = doc.first("license")
    assert (lic.value, lic.line, lic.source) == (
        "Apache-2.0",
        line_of(V001, '"license"'),
        "model_details.license",
    )
    assert doc.first("citation").value == [
        "https://github.com/tensorflow/model-card-toolkit/blob/master/model_card_toolkit/documentation/"
        "examples/Standalone_Model_Card_Toolkit_Demo.ipynb"
    ]
    assert doc.first("citation").line == line_of(V001, '"citation"')
    assert doc.first("references").value == [
        "https://www.kaggle.com/c/dogs-vs-cats", "https://arxiv.org/abs/1801.04381"
    ]  # fmt: skip
    assert doc.first("provider.name").value == ["Model Cards Team"]
    assert doc.first("provider.contact").value == ["model-cards@google.com"]
    assert (doc.first("model.version").value, doc.first("model.release_date").value) == (
        "v1.0",
        "08/28/2020",
    )
    # data: {train: {...}, eval: {...}}: the key names the split
    train, evaluation = doc.first("data.training"), doc.first("data.evaluation")
    assert (train.value, train.line) == ([{"split": "train"}], line_of(V001, '"train"'))
    assert (evaluation.value, evaluation.line) == ([{"split": "eval"}], line_of(V001, '"eval"'))
    assert doc.first("results.overall").value == [
        {"metric": "accuracy", "value": 0.9781249761581421, "threshold": 0.5}
    ]
    cat = doc.first("results.by_group").value[0]
    assert (cat["group"], cat["ci_low"], cat["ci_high"], cat["threshold"]) == (
        "cat",
        0.9832885766,
        1.0032885766,
        0.5,
    )
    assert doc.first("use.intended_users").value == ["Fans of dogs and cats."]
    assert (
        doc.first("risks").value[0]["mitigation"]
        == "Avoid application on non-dog and non-cat images."
    )
    for key in ("license", "citation", "references", "provider.name", "provider.contact", "model.version",
                "data.training", "data.evaluation", "results.overall", "results.by_group", "limitations",
                "tradeoffs", "risks", "use.intended"):  # fmt: skip
        assert status(doc, key) == "present", key


def test_mct_002_real_card_loads_with_no_issue() -> None:
    doc = load_card(V002)
    assert doc.issues == ()  # `threshold` (a 0.0.1 key the toolkit's own 0.0.2 card keeps) is read
    assert doc.first("license").value == {"custom_text": "Apache-2.0"}
    assert doc.first("license").source == "model_details.licenses[0].custom_text"
    assert doc.first("data.training").value == [{"name": "Training Set"}]
    assert doc.first("data.evaluation").value == [{"name": "Validation Set"}]
    assert doc.first("results.overall").value[0]["threshold"] == 0.5


def test_both_versions_of_the_same_card_read_alike() -> None:
    """The 0.0.2 file is the toolkit's migration of the 0.0.1 one: the same fields, the same values
    (the license moves into custom_text, the datasets get names)."""
    old, new = load_card(V001), load_card(V002)
    assert set(old.fields) == set(new.fields)
    for key in old.fields:
        if key in ("license", "data.training", "data.evaluation"):
            continue
        assert old.first(key).value == new.first(key).value, key
    assert (
        validate_license(old.first("license").value)[0]
        and validate_license(new.first("license").value)[0]
    )


def _paths(spec: Any, prefix: str = "") -> set[str]:
    out: set[str] = set()
    if isinstance(spec, dict):
        for k, v in spec.items():
            out.add(prefix + k)
            if v != "skip":
                out |= _paths(v, prefix + k + ".")
    elif isinstance(spec, list):
        out |= _paths(spec[0], prefix.rstrip(".") + "[].")
    return out


def _schema_paths(schema: dict[str, Any]) -> set[str]:
    """Every property path of the toolkit's JSON schema (refs resolved, graphics not descended)."""

    def walk(node: dict[str, Any], prefix: str) -> set[str]:
        if "$ref" in node:
            node = schema["definitions"][node["$ref"].rsplit("/", 1)[1]]
        out: set[str] = set()
        if node.get("type") == "array":
            return walk(node["items"], prefix.rstrip(".") + "[].")
        for k, v in node.get("properties", {}).items():
            out.add(prefix + k)
            if k != "graphics":
                out |= walk(v, prefix + k + ".")
        return out

    return walk(schema, "")


@pytest.mark.parametrize("version", ["0.0.1", "0.0.2"])
def test_key_tables_are_the_toolkits_schemas(version: str) -> None:
    schema = json.loads(
        (MCT_DIR / f"model_card.schema.v{version}.json").read_text(encoding="utf-8")
    )
    assert _paths(KEYS[version]) == _schema_paths(schema)


def test_version_inferred_from_keys_when_absent(tmp_path: Path) -> None:
    data = json.loads(V001.read_text(encoding="utf-8"))
    del data["schema_version"]
    doc = load_card(write(tmp_path, "card.json", data))
    assert doc.issues == ()  # unambiguous: said nowhere
    assert doc.first("license").value == "Apache-2.0"

    data["model_details"]["licenses"] = [{"identifier": "MIT"}]  # a 0.0.2 key in a 0.0.1 card
    data["model_details"]["licence"] = "x"
    p = write(tmp_path, "mixed.json", data)
    doc = load_card(p)
    assert [(i.message, i.line) for i in doc.issues] == [
        ("no schema_version, and the keys mix MCT schema 0.0.1 (model_details.license, model_details.citation, "
         "model_details.references as strings and 5 more) and 0.0.2 (model_details.licenses): each key is read "
         "by its own shape; add \"schema_version\": \"0.0.1\" and write the other keys in that version's form", 1),
        ("unknown key model_details.licence (did you mean 'license' or 'licenses'?) (MCT schema v0.0.1)",
         line_of(p, '"licence"')),
    ]  # fmt: skip
    assert [v.value for v in doc.values("license")] == ["MIT", "Apache-2.0"]  # nothing dropped

    data["schema_version"] = "1.0"
    p = write(tmp_path, "future.json", data)
    messages = [i.message for i in load_card(p).issues]
    assert messages[0] == (
        "schema_version '1.0' is not an MCT schema version auditor knows (0.0.1, 0.0.2); read as 0.0.1, "
        "the version its keys match"
    )


def test_shapes_outside_the_schema_are_read_and_reported(tmp_path: Path) -> None:
    p = write(tmp_path, "card.json", {
        "schema_version": "0.0.2",
        "model_details": {"name": "m", "licenses": {"identifier": "MIT"}, "owners": {"name": "Acme"}},
        "considerations": {"limitations": "Only tabular data.", "users": [{"descripton": "HR"}]},
        "quantitative_analysis": {"performance_metrics": [{"type": "auc", "value": "high"}]},
    })  # fmt: skip
    doc = load_card(p)
    assert [(i.message, i.line) for i in doc.issues] == [
        ("model_details.licenses: expected an array, got an object (read as a one-entry array)",
         line_of(p, '"licenses"')),
        ("model_details.owners: expected an array, got an object (read as a one-entry array)",
         line_of(p, '"owners"')),
        ("considerations.limitations: expected an array, got a string (read as a one-entry array)",
         line_of(p, '"limitations"')),
        ("unknown key considerations.users[0].descripton (did you mean 'description'?) (MCT schema v0.0.2)",
         line_of(p, '"descripton"')),
        ("quantitative_analysis.performance_metrics[0].value: not a number ('high')",
         line_of(p, '"value": "high"')),
    ]  # fmt: skip
    assert doc.first("license").value == "MIT"
    assert doc.first("provider.name").value == ["Acme"]
    assert doc.first("limitations").value == ["Only tabular data."]


# -- proto-JSON: the message exported by protobuf's json_format (camelCase) -----------------------------
def _model_card_class() -> Any:
    """The ModelCard message class built from the toolkit's own model_card.proto (no protoc needed)."""
    descriptor_pb2 = pytest.importorskip("google.protobuf.descriptor_pb2")
    from google.protobuf import descriptor_pool, message_factory

    text = (MCT_DIR / "model_card.proto").read_text(encoding="utf-8")
    fdp = descriptor_pb2.FileDescriptorProto(
        name="model_card.proto", package="mct", syntax="proto2"
    )
    field_type = descriptor_pb2.FieldDescriptorProto
    for m in re.finditer(r"^message (\w+) \{(.*?)^\}", text, re.S | re.M):
        msg = fdp.message_type.add(name=m[1])
        oneof = re.search(r"oneof (\w+) \{(.*?)\}", m[2], re.S)
        if oneof:
            msg.oneof_decl.add(name=oneof[1])
        for f in re.finditer(r"^\s*(optional |repeated )?(\w+) (\w+) = (\d+);", m[2], re.M):
            field = msg.field.add(name=f[3], number=int(f[4]))
            field.label = (
                field_type.LABEL_REPEATED if f[1] == "repeated " else field_type.LABEL_OPTIONAL
            )
            if f[2] == "string":
                field.type = field_type.TYPE_STRING
            else:
                field.type, field.type_name = field_type.TYPE_MESSAGE, f".mct.{f[2]}"
            if oneof and oneof.start() < f.start() < oneof.end():
                field.oneof_index = 0
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("mct.ModelCard"))


def test_proto_json_export_reads_like_the_json_card(tmp_path: Path) -> None:
    from google.protobuf import json_format

    data = json.loads(FULL.read_text(encoding="utf-8"))
    del data["schema_version"]  # a proto message has none
    exported = json_format.MessageToJson(json_format.ParseDict(data, _model_card_class()()))
    assert '"modelDetails"' in exported and '"mitigationStrategy"' in exported
    p = write(tmp_path, "card.json", exported)
    doc, plain = load_card(p), load_card(FULL)
    assert doc.issues == ()
    assert {k: [v.value for v in vs] for k, vs in doc.fields.items()} == {
        k: [v.value for v in vs] for k, vs in plain.fields.items()
    }
    assert doc.first("license").source == "modelDetails.licenses[0].identifier"
    assert doc.first("license").line == line_of(p, '"identifier"')
    assert doc.first("risks").source == "considerations.ethicalConsiderations"


# -- licenses: MCT license objects are SPDX or custom text everywhere -----------------------------------
def _trn207(card: Path) -> Any:
    return run_check(
        card_license_valid, make_context(screening_frame(), prediction="pred", card=card)
    )


@pytest.mark.parametrize(
    ("licenses", "why"),
    [
        ([{"identifier": "Apache-2.0"}], "SPDX id Apache-2.0"),
        # what the toolkit's own 0.0.1 -> 0.0.2 migration writes
        ([{"custom_text": "Apache-2.0"}], "SPDX id Apache-2.0 (written as custom_text"),
        ([{"identifier": "proprietary"}], "MCT identifier 'proprietary'"),
        (
            [{"custom_text": "Acme model licence v2, https://acme.example/terms"}],
            "custom license text with a link",
        ),
    ],
)
def test_trn207_accepts_mct_license_objects(tmp_path: Path, licenses: list[Any], why: str) -> None:
    card = write(
        tmp_path, "card.json", {"schema_version": "0.0.2", "model_details": {"licenses": licenses}}
    )
    res = _trn207(card)
    assert res.status.value == "passed"
    [row] = res.tables["claims"]
    key = next(iter(licenses[0]))  # at the line of the identifier or custom_text
    assert (row["status"], row["location"]) == (
        "consistent",
        f"card:{card.as_posix()}:{line_of(card, key)}",
    )
    assert row["detail"].startswith(why)


def test_trn207_fix_for_an_mct_card_names_the_mct_path(tmp_path: Path) -> None:
    card = write(tmp_path, "card.json", {"schema_version": "0.0.2", "model_details": {"licenses": [
        {"identifier": "Apache 2"}, {"custom_text": "See our terms."}]}})  # fmt: skip
    res = _trn207(card)
    assert res.status.value == "failed"
    typo, vague = res.findings
    assert typo.recommendation == (
        "Write `model_details.licenses[].identifier` as the SPDX id 'Apache-2.0' (if that is the license "
        'meant): "licenses": [{"identifier": "Apache-2.0"}] (schema 0.0.1: `model_details.license`); '
        "see https://spdx.org/licenses/."
    )
    assert "license_name" not in typo.recommendation  # no Hugging Face advice for an MCT card
    assert vague.message.startswith(
        "The model card's license 'See our terms.' is not a recognised license"
    )
    assert (
        "custom_text 'See our terms.' is neither an SPDX id nor the license's terms"
        in vague.message
    )
    assert "`model_details.licenses[].custom_text`" in vague.recommendation
    assert validate_license({"custom_text": "Apach-2.0"}) == (False, (
        "custom_text 'Apach-2.0' is neither an SPDX id (did you mean 'Apache-2.0'?) nor the license's "
        "terms: give the full text or a link to it, or an SPDX id as the identifier"))  # fmt: skip


def test_yaml_card_accepts_mct_license_shapes(tmp_path: Path) -> None:
    card = write(tmp_path, "model_card.yaml", textwrap.dedent("""\
        model: {name: m}
        license:
          - {identifier: Apache-2.0}
          - {custom_text: Apache-2.0}
          - MIT
        """))  # fmt: skip
    doc = load_card(card)
    assert doc.issues == ()
    assert [(v.value, v.line) for v in doc.values("license")] == [
        ({"identifier": "Apache-2.0"}, 3), ({"custom_text": "Apache-2.0"}, 4), ("MIT", 5),
    ]  # fmt: skip
    res = _trn207(card)
    assert res.status.value == "passed"
    assert [r["location"] for r in res.tables["claims"]] == [
        f"card:{card.as_posix()}:{n}" for n in (3, 4, 5)
    ]

    bad = write(tmp_path, "bad.yaml", "model: {name: m}\nlicense: {identifer: MIT}\n")
    assert [i.message for i in load_card(bad).issues] == [
        "unknown key license.identifer (did you mean 'identifier'?) (a license is an SPDX id or a mapping "
        "with id, identifier, spdx, name, text, custom_text, link, url)",
        "license: expected a license id or a mapping with id, name, text or link, got a mapping with keys "
        "identifer",
    ]


# -- missing fields at their nearest parent -------------------------------------------------------------
def _rows(doc: Document, *fields: str) -> dict[str, Any]:
    rules = [FieldRule(f, "x") for f in fields]
    return {r.field: r for r in evaluate(rules, [doc])}


def test_mct_missing_field_points_at_its_parent(tmp_path: Path) -> None:
    data = json.loads(V002.read_text(encoding="utf-8"))
    del data["model_details"]["version"]
    del data["model_details"]["citations"]
    del data["model_parameters"]
    # sentences in prose would answer two of the fields ("trained on the Cats vs Dogs dataset",
    # "Avoid application on non-dog and non-cat images"): keep only what the test is about
    data["model_details"]["overview"] = "This model distinguishes cat and dog images."
    del data["considerations"]["ethical_considerations"]
    p = write(tmp_path, "card.json", data)
    doc = load_card(p)
    rows = _rows(doc, "model.version", "model.release_date", "citation", "data.training",
                 "model.architecture", "use.out_of_scope", "oversight.human", "governance.risk_category")  # fmt: skip
    where = {k: r.location for k, r in rows.items()}
    md, uc = line_of(p, '"model_details"'), line_of(p, '"use_cases"')
    assert all(r.status == "missing" for r in rows.values())
    assert (
        where
        == {
            "model.version": f"card:{p.as_posix()}:{md}",  # not line 1
            "model.release_date": f"card:{p.as_posix()}:{md}",
            "citation": f"card:{p.as_posix()}:{md}",
            "data.training": f"card:{p.as_posix()}:1",  # no model_parameters: the root, not model_details
            "model.architecture": f"card:{p.as_posix()}:1",
            "use.out_of_scope": f"card:{p.as_posix()}:{uc}",  # where the hint says
            "oversight.human": f"card:{p.as_posix()}:{md}",  # model_details.documentation's parent
            "governance.risk_category": f"card:{p.as_posix()}:1",  # MCT has no place for it
        }
    )


def test_trn101_finding_for_mct_card_is_at_the_parent_with_an_mct_fix(tmp_path: Path) -> None:
    data = json.loads(V001.read_text(encoding="utf-8"))
    del data["model_details"]["version"]["name"]
    del data["considerations"]["ethical_considerations"]  # its mitigation names an out-of-scope use
    p = write(tmp_path, "card.json", data)
    ctx = make_context(screening_frame(), prediction="pred", card=p)
    res = run_check(card_fields, ctx, {"standards": [], "fields": [
        {"field": "model.version", "clause": "Annex IV 1(a)"},
        {"field": "use.out_of_scope", "clause": "Art. 13(3)(b)(iii)"}]})  # fmt: skip
    by = {f.evidence["field"]: f for f in res.findings}
    version, uc = line_of(p, '"version"'), line_of(p, '"use_cases"')
    assert by["model.version"].location == f"card:{p.as_posix()}:{version}"
    assert by["model.version"].recommendation == (
        "Fill in `model.version` in the MCT JSON: `model_details.version.name`, or state why it does not "
        'apply: write "N/A: <reason>" as its text.'
    )
    assert by["use.out_of_scope"].location == f"card:{p.as_posix()}:{uc}"
    assert by["use.out_of_scope"].recommendation.startswith(
        'Fill in `use.out_of_scope` in the MCT JSON: a line "Out-of-scope use: ..." in '
        "`considerations.use_cases[].description` (schema 0.0.1: an entry of `considerations.use_cases[]`) "
        "(MCT has no field for it; auditor reads the label as `use.out_of_scope`)"
    )


def test_yaml_card_missing_field_under_a_misspelt_parent(tmp_path: Path) -> None:
    p = write(tmp_path, "model_card.yaml", "schema_version: 1\nlicense: MIT\nmodle:\n  name: m\n")
    rows = _rows(load_card(p), "model.name", "provider.name")
    assert rows["model.name"].location == f"card:{p.as_posix()}:3"  # at `modle:`, not line 1
    assert rows["provider.name"].location == f"card:{p.as_posix()}:1"  # no parent at all


def test_yaml_datasheet_missing_answer_is_in_its_section(tmp_path: Path) -> None:
    p = write(tmp_path, "datasheet.yaml", textwrap.dedent("""\
        motivation:
          purpose: Evaluate the screener.
        composition:
          instances: One application each.
        collection_process:
          how_acquired: Exported from the ATS.
        distribution: Internal only.
        """))  # fmt: skip
    doc = load_datasheet(p)
    rows = _rows(doc, "data.consent", "data.contains_pii", "datasheet.license", "datasheet.contact")
    assert {k: r.location for k, r in rows.items()} == {
        "data.consent": f"datasheet:{p.as_posix()}:5",
        "data.contains_pii": f"datasheet:{p.as_posix()}:3",
        "datasheet.license": f"datasheet:{p.as_posix()}:7",
        "datasheet.contact": f"datasheet:{p.as_posix()}:1",  # no maintenance section
    }
    ctx = make_context(screening_frame(), prediction="pred", datasheet=p)
    res = run_check(datasheet_fields, ctx)
    consent = next(f for f in res.findings if f.evidence["field"] == "data.consent")
    assert consent.location == f"datasheet:{p.as_posix()}:5"
    assert consent.recommendation == (
        "Fill in `data.consent` in the datasheet: answer under `collection_process:` as `consent:`: "
        '"Did the individuals in question consent to the collection and use of their data?", or state '
        'why it does not apply: answer "N/A: <reason>".'
    )


# -- labelled entries: fields MCT has no place for --------------------------------------------------------
def test_labelled_entries_fill_fields_mct_lacks(tmp_path: Path) -> None:
    p = write(tmp_path, "card.json", {
        "schema_version": "0.0.2",
        "model_details": {"name": "m", "documentation": "Scores applications.\nHuman oversight: a recruiter "
                          "reviews every rejection.\nTraining compute: 3 CPU hours."},
        "model_parameters": {"data": [{"name": "applicants 2024 (train)",
                                       "description": "Provenance: exported from the ATS.\nConsent: privacy notice v4."}]},
        "considerations": {"use_cases": [{"description": "Ranking applicants."},
                                         {"description": "Out-of-scope use: promotion decisions."}],
                           "limitations": [{"description": "Bias: trained on past decisions."}]},
    })  # fmt: skip
    doc = load_card(p)
    assert doc.issues == ()
    got = {k: (doc.first(k).value, doc.first(k).source) for k in (
        "use.out_of_scope", "oversight.human", "compute.training", "data.provenance", "data.consent")}  # fmt: skip
    assert got == {
        "use.out_of_scope": ("promotion decisions.", "considerations.use_cases[1] (label)"),
        "oversight.human": (
            "a recruiter reviews every rejection.",
            "model_details.documentation (label)",
        ),
        "compute.training": ("3 CPU hours.", "model_details.documentation (label)"),
        "data.provenance": (
            "exported from the ATS.",
            "model_parameters.data[0].description (label)",
        ),
        "data.consent": ("privacy notice v4.", "model_parameters.data[0].description (label)"),
    }
    assert doc.first("use.intended").value == ["Ranking applicants."]  # the labelled entry left it
    assert doc.first("model.description").value == "Scores applications."
    assert doc.first("data.training").value == [{"name": "applicants 2024 (train)"}]
    # a label naming a field MCT has ("Bias" -> risks) keeps the entry where it is
    assert doc.first("limitations").value == ["Bias: trained on past decisions."]
    assert doc.first("risks") is None
    # schema 0.0.1 has no documentation: its overview takes the labelled lines
    old = load_card(write(tmp_path, "old.json", {"schema_version": "0.0.1", "model_details": {
        "overview": "Classifies pets.\nHuman oversight: none, a demo model."}}))  # fmt: skip
    assert old.issues == ()
    assert (old.first("oversight.human").value, old.first("model.description").value) == (
        "none, a demo model.",
        "Classifies pets.",
    )


def _standard_fields() -> set[str]:
    return {
        f
        for name in standard_names()
        for r in load_standard(name).rules
        for f in (r.field, *r.alternatives)
    }


def test_every_field_the_standards_use_has_a_fix_in_every_format() -> None:
    fields = _standard_fields()
    assert "compute.training" in fields
    for f in fields:
        if f.startswith("datasheet."):
            assert f in DATASHEET, f
            continue
        assert f in HF and f in MARKDOWN, f
        if f.startswith("data.") and f not in (
            "data.training",
            "data.evaluation",
            "data.sensitive_attributes",
        ):
            assert f in DATASHEET or f == "data.contains_special_category", f
    # every schema field has an HF and a Markdown entry, and an MCT one or an explicit "no place"
    for f in FIELD_KEYS - {"schema_version", "extra"}:
        if f.startswith("datasheet."):
            continue
        assert f in HF and f in MARKDOWN, f
        text = where_to_write(f, "mct-json")
        assert (
            f in MCT
            or f in MCT_LABELLED
            or "MCT has no field for it and auditor reads no label" in text
        ), f


@pytest.mark.parametrize("field", sorted(MCT_LABELLED))
def test_mct_label_advice_is_read_back_as_the_field(tmp_path: Path, field: str) -> None:
    """Following the fix for an MCT card fills the field: the label goes where the hint says."""
    label, where = MCT_LABELLED[field]
    entry = f"{label}: as documented by the provider."
    card: dict[str, Any] = {"schema_version": "0.0.2"}
    if where == "model_details.documentation":
        card["model_details"] = {"name": "m", "documentation": entry}
    elif where == "model_parameters.data[].description":
        card["model_parameters"] = {"data": [{"name": "train", "description": entry}]}
    else:
        section = where.split(".")[1].removesuffix("[]")
        card["considerations"] = {section: [{"description": entry}]}
    doc = load_mct_json(json.dumps(card, indent=2), "card.json")
    answered = {field, *(a for r in _alternatives(field) for a in r)}
    assert any(status(doc, k) == "present" for k in answered), (field, sorted(doc.fields))


def _alternatives(field: str) -> Iterator[tuple[str, ...]]:
    for name in standard_names():
        for r in load_standard(name).rules:
            if r.field == field:
                yield r.alternatives


# the standards' alternatives: a fix that fills the right-hand field answers the left-hand one
_ANSWERED_BY = hints_module._ANSWERED_BY


@pytest.mark.parametrize("fmt", ["markdown", "hf-readme"])
def test_markdown_advice_is_read_back_as_the_field(fmt: str) -> None:
    """Following the fix for a Markdown card (the heading or label it names, under the parent it names)
    fills the field in the real loader; a field no heading fills is told to go to model_card.yaml."""
    from auditor.transparency.load_hf import load_hf_readme

    unread = []
    for field in sorted(MARKDOWN):
        advice = where_to_write(field, fmt)
        if "auditor reads no Markdown heading or label for it yet" in advice:
            unread.append(field)
            continue
        quoted = re.findall(r"'([^']+)'", advice)
        if not quoted or not quoted[0].startswith(("#", "- **")):
            continue  # front matter or the title
        parent = re.search(r"under '([^']+)'", advice)
        words = field.rsplit(".", 1)[-1].replace("_", " ")
        text = f"The {words}: accuracy 0.91 on the test set; its limitations and risks are listed."
        if field.startswith(
            "environmental_impact"
        ):  # the section must speak of energy or emissions
            text = f"The {words}: 12 kg CO2eq over 40 GPU hours."
        body = "---\nlicense: mit\n---\n" if fmt == "hf-readme" else ""
        body += "# Acme screener\n\n" + (f"{parent[1]}\n\n" if parent else "")
        body += f"{quoted[0]}\n\n{text}\n" if quoted[0].startswith("#") else f"{quoted[0]} {text}\n"
        doc = load_hf_readme(body, "card.md")
        assert "present" in {status(doc, k) for k in (field, _ANSWERED_BY.get(field, field))}, (
            field,
            body,
        )
    assert "governance.risk_category" in unread and "use.out_of_scope" not in unread


# -- fixes in the card's own format -------------------------------------------------------------------
def test_fix_follows_the_card_format(tmp_path: Path) -> None:
    hf = write(
        tmp_path,
        "README.md",
        "---\nlicense: mit\n---\n# Model Card for acme/m\n\n## Uses\n\nRanking.\n",
    )
    md = write(tmp_path, "CARD.md", "# Acme screener\n\n## Uses\n\nRanking.\n")
    yaml_card = write(tmp_path, "model_card.yaml", "model: {name: m}\n")
    mct = load_card(FULL)
    assert fill_advice("use.out_of_scope", load_card(hf)) == (
        "Fill in `use.out_of_scope` in README.md: '### Out-of-Scope Use' under '## Uses', or state why it "
        "does not apply: write 'N/A: <reason>' in its place."
    )
    tags_only = write(tmp_path, "TAGS.md", "---\ntags: [cv]\n---\n# Model Card for acme/m\n")
    assert (
        card_flavour(load_card(tags_only)) == "hf-readme"
    )  # front matter auditor reads nothing from
    assert (card_flavour(load_card(md)), card_flavour(mct), card_flavour(None)) == (
        "markdown",
        "mct-json",
        "",
    )
    assert fill_advice("use.out_of_scope", load_card(md)) == (
        "Fill in `use.out_of_scope` in the card: add '### Out-of-Scope Use' under '## Uses', or state why "
        "it does not apply: write 'N/A: <reason>' in its place."
    )
    assert fill_advice("license", load_card(md)).startswith(
        "Fill in `license` in the card: add a '- **License:** <SPDX id>' line under '## Model Details'"
    )
    assert fill_advice("license", load_card(hf)).startswith(
        "Fill in `license` in README.md: front matter `license:`"
    )
    assert fill_advice("results.overall", load_card(yaml_card)) == (
        "Fill in `results.overall` in model_card.yaml (a list of {metric, value, ci_low, ci_high, threshold, "
        "dataset, split, note}), or state why it does not apply: write `not_applicable: {reason: ...}` as "
        "its value."
    )
    assert fill_advice("compute.training", mct) == (
        'Fill in `compute.training` in the MCT JSON: a line "Training compute: ..." in '
        "`model_details.documentation` (schema 0.0.1: `model_details.overview`) (MCT has no field for it; "
        "auditor reads the label as "
        '`compute.training`), or state why it does not apply: write "N/A: <reason>" as its text.'
    )
    assert where_to_write("license", "mct-json") == (
        "`license` in the MCT JSON: `model_details.licenses[].identifier` (schema 0.0.1: `model_details.license`)"
    )
    assert where_to_write("license", "mct-proto-json") == (
        "`license` in the MCT JSON: `modelDetails.licenses[].identifier`"
    )
    assert where_to_write("data.consent", "datasheet-md") == (
        "`data.consent` in the datasheet: answer under '## Collection Process': \"Did the individuals in "
        'question consent to the collection and use of their data?"'
    )
    assert license_fix("hf-readme") == (
        "Use an SPDX id (https://spdx.org/licenses/) or a Hub id; for a custom license give its name and a "
        "link (license: other + license_name + license_link on the Hub)."
    )
