"""Markdown carries text only (issue 11, item 2): whatever a dataset, a config, a waiver or a
loaded ``audit.json`` holds, every Markdown output (``audit.md``, ``ll144-summary.md``,
``auditor render --format md|ll144-md``, ``auditor diff --format md``) parsed by a real CommonMark
renderer (markdown-it-py: the ``commonmark`` preset, and the GFM-like one with linkify) has no
link, image or HTML element the template did not write itself, and no NUL or bidi control
character reaches ``audit.md`` or ``audit.html``.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from auditor.render import render
from auditor.render.sample import sample_report
from auditor.text import md_code, md_escape, visible_text

pytest.importorskip("linkify_it")

PARSERS = {
    "commonmark": MarkdownIt("commonmark"),
    "gfm+linkify": MarkdownIt("gfm-like", {"linkify": True}),
}
#: the only raw HTML the Markdown templates write: the sticky-comment marker and collapsed
#: sections whose summary is plain text
TEMPLATE_HTML = re.compile(
    r"<!-- auditor-report -->|</details>|<details><summary><b>[^<>]*</b>[^<>]*</summary>"
)
#: NUL, other C0/C1 controls but tab and newline, and the bidi formatting characters
HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)

EVIL = "evil.example"
BADGE = "![PASSED-badge](https://evil.example/x.png)"
COLUMN = "[race](https://evil.example/login)"
IMG = "<img src=x onerror=alert(1)>"
BIDI = "Fe\u202e\u2066male"
LINKS = (
    "[click](https://evil.example/a) ![i](https://evil.example/i.png) <https://evil.example/b> "
    "https://evil.example/bare www.evil.com mail@evil.example //evil.example/p "
    "[ref]: https://evil.example/r <script>alert(1)</script> `code` *em* ~~s~~ $x$ &lt;"
)
NUL_GROUP = "Ma\x00le\u202e\u2067"


def markup(text: str) -> list[tuple[str, str, str]]:
    """(parser, token type, target or content) of every link, image and HTML element in
    ``text`` that is not the template's own, under each parser."""
    found: list[tuple[str, str, str]] = []

    def walk(name: str, tokens: list[Token]) -> None:
        for t in tokens:
            if t.type == "link_open":
                found.append((name, t.type, str(t.attrGet("href"))))
            elif t.type == "image":
                found.append((name, t.type, str(t.attrGet("src"))))
            elif t.type in ("html_inline", "html_block"):
                for line in t.content.splitlines():
                    if line.strip() and not TEMPLATE_HTML.fullmatch(line.strip()):
                        found.append((name, t.type, line))
            if t.children:
                walk(name, t.children)

    for name, parser in PARSERS.items():
        walk(name, parser.parse(text))
    return found


def plain(text: str) -> str:
    """What a reader sees: the rendered HTML of ``text`` with the tags removed."""
    html = PARSERS["gfm+linkify"].render(text)
    return (
        re.sub(r"<[^>]+>", "", html)
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
        .replace("&quot;", '"')
    )


def assert_text_only(text: str) -> None:
    assert markup(text) == []
    assert not HIDDEN.search(text), HIDDEN.findall(text)


# -- a real run on hostile inputs --------------------------------------------------------------------


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def _write_inputs(root: Path) -> None:
    rng = random.Random(3)
    rates = {"Male": 0.6, "Female": 0.2, BADGE: 0.5, BIDI: 0.3}
    sexes = ["Male"] * 120 + ["Female"] * 100 + [BADGE] * 50 + [BIDI] * 40
    with (root / "data.csv").open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["sex", COLUMN, "y", "p"])
        for i, sex in enumerate(sexes):
            out.writerow([sex, "A" if i % 2 else IMG, int(rng.random() < 0.5),
                          int(rng.random() < rates[sex])])  # fmt: skip
    expires = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    (root / "policy.yaml").write_text(
        "name: hostile\nextends: default\nwaivers:\n"
        "  - check: FAIR001\n    location: 'feature:sex'\n"
        f"    reason: {json.dumps('See [the approval](https://evil.example/ok) ' + IMG + ' https://evil.example/r')}\n"
        f"    approved_by: {json.dumps('![boss](https://evil.example/b.png) <b>CEO</b> boss@evil.example')}\n"
        f"    expires: {expires}\n",
        encoding="utf-8",
    )
    (root / "audit.yaml").write_text(
        "data: data.csv\ntarget: y\nprediction: p\npositive_label: 1\n"
        f"sensitive: [sex, {json.dumps(COLUMN)}]\npolicy: policy.yaml\nmetadata:\n"
        f"  system: {json.dumps(IMG)}\n  provider: www.evil-provider.com\n"
        f"  contact: boss@evil.example\n  purpose: {json.dumps(LINKS)}\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile inputs, audited twice: the default policy (json, md, html) into ``out/`` and
    the nyc-ll144 pack (json, ll144-md, draft) into ``ll144/``."""
    root = tmp_path_factory.mktemp("hostile-md")
    _write_inputs(root)
    a = _cli("run", "--config", "audit.yaml", "--out", "out", "--format", "json,md,html", cwd=root)
    assert a.returncode == 1 and "auditor: FAIL" in a.stdout, a.stderr  # the gate fails
    b = _cli(
        "run", "--config", "audit.yaml", "--policy", "nyc-ll144", "--out", "ll144",
        "--format", "json,ll144-md", "--draft", cwd=root,
    )  # fmt: skip
    assert b.returncode in (0, 1), b.stderr
    return root


def _hostile_report(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` as an attacker would edit it: Markdown, HTML and bare links in free-text fields,
    NUL and bidi controls in a group name (schema-valid, so ``render`` accepts it)."""
    data = copy.deepcopy(data)
    data["tool"]["version"] = f"{IMG} [v](https://evil.example/v)"
    data["run"]["id"] = f"run {LINKS}"
    data["summary"]["by_status"][IMG] = 1  # a key printed inside <summary>…</summary>
    text = json.dumps(data, ensure_ascii=False).replace("Male", json.dumps(NUL_GROUP)[1:-1])
    data = json.loads(text)
    for result in data["results"]:
        for finding in result["findings"]:
            finding["message"] = f"{finding['message']} {LINKS} {NUL_GROUP}"
            finding["location"] = f"{finding['location']} {BADGE}"
        if result["status"] == "skipped":
            result["detail"] = f"{LINKS} {NUL_GROUP}"
    return data


def test_audit_md_of_a_hostile_run_carries_text_only(runs: Path) -> None:
    md = (runs / "out" / "audit.md").read_text(encoding="utf-8")
    assert_text_only(md)
    seen = plain(md)
    # the values are still there, as text a reviewer can read
    assert BADGE in seen and COLUMN in seen and IMG in seen
    assert "See [the approval](https://evil.example/ok)" in seen  # the waiver's reason
    assert "![boss](https://evil.example/b.png) <b>CEO</b> boss@evil.example" in seen
    assert "www.evil-provider.com" in seen and "boss@evil.example" in seen
    assert "Fe\\u202e\\u2066male" in seen  # the bidi controls, made visible


def test_audit_html_of_a_hostile_run_has_no_hidden_characters(runs: Path) -> None:
    html = (runs / "out" / "audit.html").read_text(encoding="utf-8")
    assert not HIDDEN.search(html), HIDDEN.findall(html)
    assert "Fe\\u202e\\u2066male" in html
    assert IMG not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_ll144_summary_of_a_hostile_run_carries_text_only(runs: Path) -> None:
    md = (runs / "ll144" / "ll144-summary.md").read_text(encoding="utf-8")
    assert_text_only(md)
    seen = plain(md)
    assert f"## {COLUMN}" not in md and COLUMN in seen  # the dimension's title is text
    assert BADGE in seen


def test_render_md_of_a_hostile_audit_json(runs: Path, tmp_path: Path) -> None:
    report = tmp_path / "audit.json"
    data = json.loads((runs / "out" / "audit.json").read_text(encoding="utf-8"))
    report.write_text(json.dumps(_hostile_report(data), ensure_ascii=False), encoding="utf-8")
    md = _cli("render", str(report), "--format", "md", cwd=tmp_path)
    assert md.returncode == 0, md.stderr
    assert_text_only(md.stdout)
    assert f"{IMG} [v](https://evil.example/v)" in plain(md.stdout)  # tool.version, as text
    assert "Ma\\x00le\\u202e\\u2067" in plain(md.stdout)  # NUL and bidi, made visible
    html = _cli("render", str(report), "--format", "html", cwd=tmp_path)
    assert html.returncode == 0, html.stderr
    assert not HIDDEN.search(html.stdout) and IMG not in html.stdout
    assert "Ma\\x00le\\u202e\\u2067" in html.stdout


def test_render_ll144_md_of_a_hostile_audit_json(runs: Path, tmp_path: Path) -> None:
    report = tmp_path / "audit.json"
    data = json.loads((runs / "ll144" / "audit.json").read_text(encoding="utf-8"))
    hostile = _hostile_report(data)
    hostile["subject"]["metadata"] = {"ll144": {"employer": LINKS, "auditor": IMG}}
    report.write_text(json.dumps(hostile, ensure_ascii=False), encoding="utf-8")
    md = _cli("render", str(report), "--format", "ll144-md", "--draft", cwd=tmp_path)
    assert md.returncode == 0, md.stderr
    assert_text_only(md.stdout)
    assert IMG in plain(md.stdout)


def test_diff_md_of_hostile_reports(runs: Path, tmp_path: Path) -> None:
    old = runs / "out" / "audit.json"
    new = tmp_path / "new.json"
    new.write_text(
        json.dumps(
            _hostile_report(json.loads(old.read_text(encoding="utf-8"))), ensure_ascii=False
        ),
        encoding="utf-8",
    )
    md = _cli("diff", str(old), str(new), "--format", "md", cwd=tmp_path)
    assert md.returncode == 0, md.stderr
    assert_text_only(md.stdout)
    assert "evil.example" in plain(md.stdout)  # the changes are listed, as text
    text = _cli("diff", str(old), str(new), cwd=tmp_path)
    assert text.returncode == 0 and not HIDDEN.search(text.stdout)  # no control reaches a terminal


def test_tool_name_of_a_loaded_report_is_escaped() -> None:
    """``tool.name`` (a constant in the schema, but a renderer gets whatever dict it is given)
    used to be printed raw by report.md.j2 and ll144.md.j2."""
    data = sample_report()
    data["tool"] = {"name": IMG, "version": "[1](https://evil.example)"}
    for fmt in ("md", "ll144-md"):
        out = render(data, fmt)
        assert_text_only(out)
        assert f"{IMG} [1](https://evil.example)" in plain(out)


# -- the escaping functions, property-tested ------------------------------------------------------

_TRICKY = st.sampled_from([
    *"[]()!<>&*_`~|#:/.@\\-+=$^\"' \t\n\r\x00\x1b\u202e\u2066\u200f\u2028aZ19ä",
    "https://", "www.", "evil.example", "a@b.co", "mailto:", "&lt;", "&#x5B;", "<b>", "1. ", "- ",
    "> ", "```", "---", "[^1]", "<!--", "javascript:",
])  # fmt: skip
_TEXT = st.lists(_TRICKY, max_size=30).map("".join) | st.text(max_size=40)


def _expected(value: str) -> str:
    return re.sub(r"\s+", " ", visible_text(value)).strip()


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_md_escape_is_text_in_prose_and_in_a_table_cell(value: str) -> None:
    escaped = md_escape(value)
    for doc in (f"{escaped}\n", f"x {escaped} y\n", f"| a | b |\n|---|---|\n| {escaped} | z |\n"):
        assert markup(doc) == []
        for parser in PARSERS.values():
            inline = [t for t in parser.parse(doc) if t.type == "inline"]
            kinds = {c.type for t in inline for c in t.children or []}
            assert kinds <= {"text", "text_special", "softbreak"}, (doc, kinds)
    cell = PARSERS["gfm+linkify"].parse(f"| a | b |\n|---|---|\n| {escaped} | z |\n")
    cells = [t.content for t in cell if t.type == "inline"]
    assert len(cells) == 4  # the value stayed in its cell
    seen = [re.sub(r"<[^>]+>", "", PARSERS[p].renderInline(escaped)) for p in PARSERS]
    import html as _html

    assert {_html.unescape(s).strip() for s in seen} == {_expected(value)}
    assert not HIDDEN.search(escaped)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
def test_md_code_is_one_code_span(value: str) -> None:
    shown = " ".join(visible_text(value).split())
    out = md_code(value)
    tokens = [
        c for t in PARSERS["commonmark"].parse(f"x {out} y\n") if t.children for c in t.children
    ]
    if shown and "|" not in shown:
        codes = [t for t in tokens if t.type == "code_inline"]
        assert [t.content for t in codes] == [shown]
    else:
        assert markup(f"x {out} y\n") == []


def test_md_escape_examples() -> None:
    assert md_escape(BADGE) == r"!\[PASSED-badge\](https:\//evil\.example/x\.png)"
    assert md_escape(IMG) == "&lt;img src=x onerror=alert(1)&gt;"
    assert (
        md_escape("0.62 at 09:00, e.g. feature:sex | b") == r"0.62 at 09:00, e\.g. feature:sex \| b"
    )
    assert md_escape("- item") == r"\- item" and md_escape("1. item") == r"1\. item"
    assert md_escape("-0.05") == "-0.05"
    assert md_escape("a\x00b\u202ec\nd") == r"a\\x00b\\u202ec d"
    assert md_escape(None) == "—"
    assert md_code("FAIR001") == "`FAIR001`" and md_code("a`b") == "``a`b``"
    assert md_code("`x") == "`` `x ``" and md_code("a|b") == r"a\|b"
