"""Output set of a run: LL144 public summary, manifest.json provenance, PDF, `auditor render`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from reports_fixture import GROUP_PAYLOAD, canonical_report

from auditor.cli import _write_outputs, main
from auditor.config import AuditConfig
from auditor.errors import UsageError
from auditor.manifest import verify_manifest
from auditor.render import render
from auditor.render.ll144 import ll144_available, ll144_view
from auditor.render.pdf import pdf_available

# -- NYC LL144 summary ----------------------------------------------------------------------


def test_ll144_summary_has_every_published_field() -> None:
    view = ll144_view(canonical_report())
    assert view["meta"]["audit_date"] == "2026-11-20"
    assert view["meta"]["distribution_date"] == "2027-01-15"
    assert view["meta"]["data_type"] == "historical"
    assert view["meta"]["data_source"] == "Applicant tracking system export of NYC roles."
    assert view["unknown"] == 20  # sex=(missing)
    assert view["applicants"] == 1000
    sex, race = view["dimensions"]
    assert sex["title"] == "Sex"
    assert race["title"] == "Race/Ethnicity"
    black = next(c for c in race["categories"] if c["category"] == "Black")
    assert (black["applicants"], black["selected"], black["rate"], black["impact_ratio"]) == (
        300,
        93,
        0.31,
        0.62,
    )
    assert black["flag"] is True
    assert [c["category"] for c in race["excluded"]] == [GROUP_PAYLOAD]
    assert "LL144 §5-301 allows exclusion" in race["excluded"][0]["note"]


def test_ll144_html_and_md() -> None:
    data = canonical_report()
    html = render(data, "ll144-html")
    assert "Individuals in an unknown category</th><td>20</td>" in html
    assert (
        '<td>Black</td><td class="num">300</td><td class="num">93</td><td class="num">31.0%</td><td class="num">0.620</td>'
        in html
    )
    assert GROUP_PAYLOAD not in html
    md = render(data, "ll144-md")
    assert "| Black | 300 | 93 | 31.0% | 0.620 | **yes** |" in md
    assert "| Distribution date of the tool | 2027-01-15 |" in md


def test_ll144_scoring_mode_and_intersectional_tables() -> None:
    data = canonical_report()
    rows = [
        {"feature": "sex", "group": "F", "n": 100, "above_median": 40, "scoring_rate": 0.4,
         "selection_rate": None, "reference_group": "M", "impact_ratio": 0.8, "excluded": False},
        {"feature": "sex", "group": "M", "n": 100, "above_median": 50, "scoring_rate": 0.5,
         "selection_rate": None, "reference_group": "M", "impact_ratio": 1.0, "excluded": False},
        {"feature": "sex×race", "group": "F×Black", "n": 30, "above_median": 9, "scoring_rate": 0.3,
         "selection_rate": None, "reference_group": "M×White", "impact_ratio": 0.5, "excluded": False},
    ]  # fmt: skip
    data["results"][1]["tables"]["groups"] = rows
    view = ll144_view(data)
    assert view["scoring"] is True
    assert [d["title"] for d in view["dimensions"]] == [
        "Sex",
        "Intersectional: Sex × Race/Ethnicity",
    ]
    md = render(data, "ll144-md")
    assert (
        "| Category | Applicants | Scored above median | Scoring rate | Impact ratio | Below 0.80 |"
        in md
    )


def test_no_ll144_results_is_a_usage_error() -> None:
    data = canonical_report()
    data["policy"]["packs"] = data["policy"]["packs"][1:]
    assert not ll144_available(data)
    with pytest.raises(UsageError, match="nyc-ll144"):
        render(data, "ll144-md")


# -- manifest.json and the output set -------------------------------------------------------


def test_outputs_and_manifest_hash_every_input_and_output(tmp_path: Path) -> None:
    data = canonical_report()
    dataset = tmp_path / "applicants.csv"
    dataset.write_text("sex,race\nF,Black\n")
    data["inputs"]["dataset"]["path"] = str(dataset)
    data["inputs"]["dataset"]["sha256"] = hashlib.sha256(dataset.read_bytes()).hexdigest()
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "extra.css").write_text("/* unused */")
    out = tmp_path / "out"
    config = AuditConfig(out=out, formats=("json", "md", "html", "junit", "sarif"))
    written = _write_outputs(
        json.dumps(data, indent=2, ensure_ascii=False) + "\n", config, templates
    )
    names = sorted(p.name for p in out.iterdir())
    assert names == ["audit.html", "audit.json", "audit.junit.xml", "audit.md", "audit.sarif",
                     "ll144-summary.html", "ll144-summary.md", "manifest.json"]  # fmt: skip
    manifest = json.loads(written["manifest"].read_text())
    outputs = {o["path"]: o["sha256"] for o in manifest["outputs"]}
    for name, digest in outputs.items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert len(outputs) == 7
    roles = {i["role"]: i for i in manifest["inputs"]}
    assert roles["dataset"]["sha256"] == data["inputs"]["dataset"]["sha256"]
    assert "changed_since_run" not in roles["dataset"]
    assert roles["template"]["sha256"] == hashlib.sha256(b"/* unused */").hexdigest()
    assert roles["policy:nyc-ll144"]["sha256"] == "12" * 32
    assert manifest["policy_sha256"] == "ef" * 32
    # the HTML's sign-off digest is the sha256 of audit.json as written
    assert outputs["audit.json"] in (out / "audit.html").read_text()
    assert verify_manifest(out) == []
    (out / "audit.md").write_text("tampered")
    assert verify_manifest(out) == ["audit.md: sha256 differs from the manifest"]
    dataset.write_text("changed\n")
    again = _write_outputs(
        json.dumps(data), AuditConfig(out=tmp_path / "o2", formats=("json",)), None
    )
    entry = next(
        i for i in json.loads(again["manifest"].read_text())["inputs"] if i["role"] == "dataset"
    )
    assert entry["changed_since_run"] is True


def test_cli_render_every_format_including_pdf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "audit.json"
    report.write_text(json.dumps(canonical_report()))
    for fmt in ("md", "html", "junit", "sarif", "ll144-html", "ll144-md"):
        target = tmp_path / f"r.{fmt}"
        assert main(["render", str(report), "--format", fmt, "--out", str(target)]) == 0
        assert target.read_text(encoding="utf-8") == render(canonical_report(), fmt)
    assert (
        main(["render", str(report), "--format", "html", "--templates", str(tmp_path / "no")]) == 2
    )
    assert "templates folder not found" in capsys.readouterr().err


@pytest.mark.skipif(
    not pdf_available(), reason="WeasyPrint is not installed (pip install 'auditor[pdf]')"
)
def test_pdf_from_the_same_html(tmp_path: Path) -> None:
    import weasyprint

    from auditor.render.pdf import _fetcher

    doc = weasyprint.HTML(
        string=render(canonical_report(), "html"), url_fetcher=_fetcher()
    ).render()
    assert len(doc.pages) >= 8  # cover + one page per section at least
    target = tmp_path / "audit.pdf"
    assert main(["render", str(_json(tmp_path)), "--format", "pdf", "--out", str(target)]) == 0
    assert target.read_bytes().startswith(b"%PDF-")


def _json(tmp_path: Path) -> Path:
    p = tmp_path / "audit.json"
    p.write_text(json.dumps(canonical_report()))
    return p


def test_pdf_is_binary_only() -> None:
    with pytest.raises(UsageError, match="binary"):
        render(canonical_report(), "pdf")


def test_ll144_summary_from_the_real_fair003_check(tmp_path: Path) -> None:
    """End to end: the nyc-ll144 pack's FAIR003 on a CSV, then the public summary from its JSON."""
    from auditor.api import run_audit
    from auditor.checks.fair_ll144 import ll144_bias_audit

    rows = ["sex,race,selected"]
    for sex, race, n, k in (("F", "Black", 40, 10), ("F", "White", 60, 30), ("M", "Black", 50, 20),
                            ("M", "White", 50, 25), ("", "White", 7, 3)):  # fmt: skip
        rows += [f"{sex},{race},{int(i < k)}" for i in range(n)]
    csv = tmp_path / "applicants.csv"
    csv.write_text("\n".join(rows) + "\n")
    config = AuditConfig(
        data=csv, prediction="selected", sensitive=("sex", "race"), policy="nyc-ll144",
        metadata={"ll144": {"audit_date": "2026-11-01", "distribution_date": "2027-01-15",
                            "data_source": "ATS export, NYC roles 2025",
                            "data_explanation": "Every applicant to a NYC role in 2025"}},
        overrides={"FAIR003.n_boot": 0},
    )  # fmt: skip
    report = run_audit(config, checks={"FAIR003": ll144_bias_audit}, progress=False)
    data = json.loads(report.to_json())
    view = ll144_view(data)
    assert view["checks"] == ["FAIR003"]
    assert view["meta"]["audit_date"] == "2026-11-01"
    assert view["meta"]["data_type"] == "historical"
    assert view["unknown"] == 7
    assert view["applicants"] == 207
    titles = [d["title"] for d in view["dimensions"]]
    assert titles[:2] == ["Sex", "Race/Ethnicity"]
    assert titles[2].startswith("Intersectional")
    sex = view["dimensions"][0]
    f = next(c for c in sex["categories"] if c["category"] == "F")
    assert (f["applicants"], f["selected"], f["rate"]) == (100, 40, 0.4)
    assert f["impact_ratio"] == pytest.approx(0.4 / 0.45)
    md = render(data, "ll144-md")
    assert "| Individuals in an unknown category | 7 |" in md
    assert "| Date of the bias audit | 2026-11-01 |" in md


def test_ll144_formats_without_fair003_are_refused_before_anything_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Asking for the LL144 summary under a policy without FAIR003: exit 2 at plan time."""
    import auditor.api

    csv = tmp_path / "applicants.csv"
    csv.write_text("sex,race,selected\n" + "F,Black,1\nM,White,0\n" * 30)
    out = tmp_path / "out"
    ran: list[str] = []
    real_context = auditor.api.build_context

    def spy_context(config: AuditConfig, *args: object, **kwargs: object) -> object:
        ran.append("inputs loaded")
        return real_context(config, *args, **kwargs)

    monkeypatch.setattr(auditor.api, "build_context", spy_context)
    common = ["--data", str(csv), "--prediction", "selected", "--sensitive", "sex,race",
              "--out", str(out), "--no-progress"]  # fmt: skip
    assert main(["run", *common, "--format", "json,md,ll144-md"]) == 2
    err = capsys.readouterr().err
    assert (
        "--format ll144-md: the NYC LL144 summary needs the FAIR003 ll144-bias-audit check" in err
    )
    assert "policy 'default' does not run; use --policy nyc-ll144" in err
    assert ran == []  # refused before the data was even read: nothing ran
    assert not out.exists()
    # with the pack that runs FAIR003 but no summary fields: refused too, naming them
    ll144 = ["--format", "json,ll144-md", "--policy", "nyc-ll144", "--set", "FAIR003.n_boot=0"]
    assert main(["run", *common, *ll144]) == 2
    assert "needs audit_date, data_source, data_explanation, distribution_date" in (
        capsys.readouterr().err
    )
    assert ran == [] and not out.exists()
    # as a draft the same request writes the summary
    assert main(["run", *common, *ll144, "--draft"]) in (0, 1)
    assert ran == ["inputs loaded"]
    text = (out / "ll144-summary.md").read_text()
    assert text.startswith("**DRAFT — not for publication**")
    assert "# Summary of bias audit results" in text
