"""The HTML audit document: sections, escaping, charts from the table contracts, size, print CSS."""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET

import jinja2
import pytest
from reports_fixture import CARD_PAYLOAD, COLUMN_PAYLOAD, GROUP_PAYLOAD, RAW_EMAIL, canonical_report

from auditor.render import document, render
from auditor.render._jinja import css_string, environment
from auditor.render.charts import (
    chart_rows,
    impact_ratio_chart,
    interval_columns,
    selection_rate_chart,
)
from auditor.render.html import render_html_fragment
from auditor.report import Report


@pytest.fixture(scope="module")
def html() -> str:
    return render(canonical_report(), "html")


def test_sections_in_audit_order(html: str) -> None:
    ids = re.findall(r'<(?:section|details class="sec[^"]*")[^>]* id="([a-z]+)"', html)
    assert ids == ["cover", "summary", "problems", "risks", "scope", "method", "results",
                   "completeness", "limitations", "signoff", "appendix"]  # fmt: skip


def test_self_contained_no_script_no_external_resource(html: str) -> None:
    assert "<script" not in html.lower()
    assert not re.search(r"\s(src|href)=\"(https?:)?//", html)
    # the only references are the charts' own clip paths and markers
    refs = re.findall(r'\s(?:src|href|xlink:href)="([^"]*)"', html)
    refs += re.findall(r"url\(([^)]*)\)", html)
    assert refs and all(r.startswith("#") for r in refs)
    assert "@import" not in html
    assert "<link" not in html
    assert "default-src 'none'" in html  # the CSP forbids any fetch even if escaping failed
    assert len(html.encode()) < 1_000_000


def test_untrusted_strings_are_escaped(html: str) -> None:
    for payload in (COLUMN_PAYLOAD, GROUP_PAYLOAD, CARD_PAYLOAD):
        assert payload not in html
    assert "&lt;script&gt;window.__pwned=&#39;column&#39;&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;window.__pwned=&#39;group&#39;&#34;&gt;" in html
    assert RAW_EMAIL not in html
    assert "j***@e***.com" in html


def test_executive_summary_counts_and_top_findings(html: str) -> None:
    summary = html.split('<section id="summary">')[1].split("</section>")[0]
    assert (
        '<b class="count">2 blocking problems</b> against the gate <b>fail on high and above</b>'
        in summary
    )
    # open: FAIR101 race and PII101 email (high, blocking), the payload column and TRN301 x2
    # (medium), FAIR102 sex (low, inconclusive); FAIR101 sex is waived
    assert "6 open findings: 2 blocking, 4 not blocking; 1 accepted under a waiver." in summary
    top = re.findall(r'<li><a href="#f-([0-9a-f]{16})">(.*?)</a>', summary)
    data = canonical_report()
    blocking = [b["finding"] for b in data["gate"]["blocking"]]
    assert sorted(fid for fid, _ in top) == sorted(blocking)
    assert top[0][1].startswith("The Black group is selected at 62% of the White group")
    assert "No-go" in summary


def test_findings_in_audit_form_and_threshold_sources(html: str) -> None:
    race = next(
        f for r in canonical_report()["results"] for f in r["findings"]
        if f["location"] == "feature:race"
    )  # fmt: skip
    finding = html.split(f'id="f-{race["id"]}"')[1].split("</details>")[0]
    assert '<span class="badge blocking">blocking</span> The Black group is selected' in finding
    for label in ("What to do", "Criterion", "Finding id"):
        assert f"<th>{label}</th>" in finding
    assert "29 CFR 1607.4(D)" in finding
    # the per-group evidence as a table: n, rate, reference, ratio, interval, adjusted p
    assert (
        '<tr><td>Black</td><td class="num">300</td><td class="num">31.0%</td><td>White '
        '(50.0%, n 500)</td><td class="num">0.62</td><td class="num">0.51–0.74</td>'
        '<td class="num">&lt; 0.001</td>'
    ) in finding
    assert '<span class="ev ev-significant">significant</span>' in finding
    # the consequence of the family is said once, not on every finding
    assert html.count("Why it matters:") == 3
    scope = html.split('id="scope"')[1].split('id="method"')[0]
    assert (
        '<td class="mono">threshold = 0.8<br>exclude_below_share = 0.02</td>'
        "<td>policy hiring (checks.FAIR101)</td>"
    ) in scope
    assert '<td class="mono">n_boot = 1000</td><td>run override' in scope
    assert "min_group_size = 30<br>confidence = 0.95</td><td>check default</td>" in scope
    assert "engine = " not in scope  # not a decision parameter: listed in Appendix C only
    assert "engine = patterns+context" in html.split('id="appendix"')[1]


def test_accepted_risks_completeness_signoff_appendix(html: str) -> None:
    risks = html.split('id="risks"')[1].split('id="completeness"')[0]
    assert "Dana Ruiz (Head of Model Risk)" in risks
    assert "2027-03-31" in risks
    assert "(131 days)" in risks  # expiry counted from the run date 2026-11-20
    assert "RISK-142" in risks
    assert "<td>in use</td>" in risks
    matrix = html.split('id="completeness"')[1].split('id="limitations"')[0]
    assert 'class="st-contradicted">contradicted' in matrix
    assert 'class="st-missing">missing' in matrix
    sign = html.split('id="signoff"')[1].split('id="appendix"')[0]
    assert "A. Auditor" in sign
    assert "B. Reviewer" in sign
    from auditor.render.view import report_digest

    assert report_digest(canonical_report()) in sign
    appendix = html.split('id="appendix"')[1]
    assert "presidio-analyzer" in appendix
    assert "ababab" in appendix
    assert "&#34;exclude_below_share&#34;: 0.02" in appendix  # resolved policy (escaped JSON)


def test_charts_follow_the_table_contracts(html: str) -> None:
    assert html.count('<svg class="chart" role="img"') == 3  # race and sex ratios, PII hit rates
    rows = canonical_report()["results"][1]["tables"]["groups"]
    assert interval_columns(rows) == ("selection_rate", None)  # Wilson bounds of the rate
    svg = selection_rate_chart(rows, "race")
    assert svg is not None
    root = ET.fromstring(svg)  # well-formed SVG, no prolog, no DOCTYPE
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert svg.startswith('<svg class="chart" role="img" ')
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert {"White", "Black", "Asian"} <= set(texts)  # the excluded payload group is not drawn
    assert "EEOC four-fifths reference: 0.80 × reference rate = 0.400" in texts
    assert "Selection rate by group: race" in texts
    assert "0.310" in texts  # the value printed next to Black's bar
    assert "fill: #b42318" in svg  # Black (0.31) is below 0.80 × 0.50
    ir = impact_ratio_chart(rows, "race")
    assert ir is not None
    assert "EEOC four-fifths reference: 0.80" in ir
    assert "group selection rate / reference group selection rate" in ir
    ir_texts = ["".join(t.itertext()) for t in ET.fromstring(ir).iter(
        "{http://www.w3.org/2000/svg}text")]  # fmt: skip
    assert "0.620  n=300" in ir_texts  # every bar says how many people it stands for
    assert "below the threshold (significant)" in ir_texts
    assert "reference group" in ir_texts
    assert selection_rate_chart(rows, "no-such-feature") is None


def test_charts_are_deterministic_svg_from_matplotlib() -> None:
    rows = canonical_report()["results"][1]["tables"]["groups"]
    a, b = selection_rate_chart(rows, "sex"), selection_rate_chart(rows, "sex")
    assert a == b  # byte for byte: fixed hash salt, no date
    assert "<?xml" not in a and "DOCTYPE" not in a and "<metadata" not in a
    assert "<text" in a and "<path" in a  # svg.fonttype none: text stays text
    assert "Date" not in a
    ids_a = set(re.findall(r'\sid="([^"]+)"', a))
    other = impact_ratio_chart(rows, "sex")
    assert other is not None
    assert ids_a and ids_a.isdisjoint(re.findall(r'\sid="([^"]+)"', other))


def test_chart_labels_from_data_stay_text() -> None:
    rows = [
        {"feature": "f", "group": "<script>alert(1)</script>", "n": 50, "selection_rate": 0.2,
         "reference_group": "$x^2$ & co", "impact_ratio": 0.4, "excluded": False},
        {"feature": "f", "group": "$x^2$ & co", "n": 50, "selection_rate": 0.5,
         "reference_group": "$x^2$ & co", "impact_ratio": 1.0, "excluded": False},
    ]  # fmt: skip
    for svg in (selection_rate_chart(rows, "f"), impact_ratio_chart(rows, "f")):
        assert svg is not None
        assert "<script" not in svg
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
        texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter(
            "{http://www.w3.org/2000/svg}text")]  # fmt: skip
        assert "<script>alert(1)</script>" in texts  # parsed back: plain text
        assert "$x^2$ & co" in texts  # no mathtext: printed as written


def test_base_rate_ratios_are_not_labelled_as_impact_ratios() -> None:
    data = canonical_report()
    groups = data["results"][1]["tables"]["groups"]
    for row in groups:
        row["selection_rate"] = None  # a FAIR007-style table: base rates only
    svg = impact_ratio_chart(groups, "race", "base_rate", 0.8)
    assert svg is not None
    assert "Base-rate ratio by group: race" in svg
    assert "group base rate / reference group base rate" in svg
    assert "EEOC" not in svg
    assert selection_rate_chart(groups, "race") is None
    html = render(data, "html")
    assert html.count("Base-rate ratio by group") == 2
    assert "Impact ratio by group" not in html


def test_impact_ratio_chart_ratios_the_rate_the_rows_carry() -> None:
    groups = canonical_report()["results"][1]["tables"]["groups"]
    assert impact_ratio_chart(groups, "race") == impact_ratio_chart(
        groups, "race", "selection_rate"
    )
    for row in groups:
        row["selection_rate"] = None  # base rates only (FAIR007)
    svg = impact_ratio_chart(groups, "race")
    assert svg == impact_ratio_chart(groups, "race", "base_rate")
    assert svg is not None
    assert "Base-rate ratio by group: race" in svg


def test_group_charts_are_drawn_once_per_distinct_input(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two checks whose groups tables differ only in columns no chart reads (FAIR001 and FAIR002:
    a status, error rates) share their charts, and each is drawn once."""
    data = canonical_report()
    rows = data["results"][1]["tables"]["groups"]
    for feature in ("race", "sex"):
        assert selection_rate_chart(chart_rows(rows), feature) == selection_rate_chart(
            rows, feature
        )
        assert impact_ratio_chart(chart_rows(rows), feature) == impact_ratio_chart(rows, feature)
    twin = copy.deepcopy(data["results"][1])
    twin["check"] = "FAIR902"
    twin["options"].pop("threshold")  # the default, 0.80: the same reference line
    for row in twin["tables"]["groups"]:
        row.update(tpr=0.5, fpr=0.25)
    data["results"].insert(2, twin)
    reported = copy.deepcopy(twin)  # an error-rate table: ratios reported, never judged
    reported["check"] = "FAIR903"
    for row in reported["tables"]["groups"]:
        if row["status"] not in ("reference", "excluded"):
            row["status"] = "reported"
    data["results"].insert(3, reported)
    calls: list[str] = []
    chart = document.impact_ratio_chart
    monkeypatch.setattr(
        document, "impact_ratio_chart", lambda *a, _c=chart: calls.append("ratio") or _c(*a)
    )
    charts = [c for c in document.build_document(data, [])["charts"] if c["family"] == "fairness"]
    assert len(calls) == 2  # race and sex: FAIR101's, not drawn again for FAIR902
    assert [c["checks"] for c in charts] == [["FAIR101", "FAIR902"]] * 2


def test_no_chart_without_tables() -> None:
    data = canonical_report()
    for r in data["results"]:
        r["tables"] = {}
    html = render(data, "html")
    assert "<svg" not in html
    assert "No documentation was assessed" in html


def test_large_tables_stay_under_one_megabyte() -> None:
    data = canonical_report()
    rows = data["results"][1]["tables"]["groups"]
    big = [dict(rows[4], group=f"g{i:05d}", note="x" * 60) for i in range(20_000)]
    data["results"][1]["tables"]["groups"] = big
    html = render(data, "html")
    assert len(html.encode()) < 1_000_000
    assert "(20000 rows, first 1000 shown; all rows in audit.json)" in html  # Appendix D
    assert "(first 40 of 20000 rows" in html  # the compact table of the measured results


def test_print_stylesheet_running_header_and_page_numbers(html: str) -> None:
    assert "size: A4" in html
    assert 'counter(page) " of " counter(pages)' in html
    assert '@top-left { content: "Hiring screen bias and privacy audit golden000001"' in html
    assert "break-before: page" in html


def test_css_string_cannot_break_out_of_style() -> None:
    data = canonical_report()
    data["subject"]["metadata"]["title"] = 'x"; } </style><script>alert(1)</script>'
    html = render(data, "html")
    style = html.split("<style>")[1].split("</style>")[0]
    assert "<script" not in style
    assert "</style" not in style
    assert str(css_string('a"b')) == "a\\000022b"


def test_strict_undefined_and_autoescape_are_on() -> None:
    env = environment()
    assert env.undefined is jinja2.StrictUndefined
    assert env.autoescape("report.html.j2")
    assert not env.autoescape("report.md.j2")
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing.key }}").render()


def test_override_templates_folder(tmp_path) -> None:
    (tmp_path / "report.html.j2").write_text("<p>{{ data.run.id }} {{ verdict_label }}</p>")
    assert render(canonical_report(), "html", tmp_path) == "<p>golden000001 FAIL</p>"


def test_notebook_fragment() -> None:
    report = Report.from_dict(canonical_report())
    frag = report._repr_html_()
    assert frag.startswith('<div class="auditor-report"')
    assert "<html" not in frag
    assert "FAIL" in frag
    assert COLUMN_PAYLOAD not in frag
    assert frag == render_html_fragment(report.to_dict())


def test_verdict_labels() -> None:
    data = canonical_report()
    for r in data["results"]:
        for f in r["findings"]:
            if f["status"] == "failed":
                f["severity"] = "low"
    data = Report.from_dict(copy.deepcopy(data)).to_dict()
    assert data["verdict"] == "pass"
    html = render(data, "html")
    assert "PASS WITH ACCEPTED RISKS" in html
    assert "Go with accepted risks" in html
