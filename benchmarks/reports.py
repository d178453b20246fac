"""Report documents of the bundled hiring example: size, length, pages and render time per format.

Runs the example once (``auditor run -c examples/hiring/audit.yaml`` in process), then renders
every format from the canonical JSON, timing each (best of ``--repeat``), and prints:

- counts: findings, blocking problems, and the blocking count as JUnit failures and SARIF errors;
- ``audit.md`` characters (target <= 12,000) and its first ten lines;
- ``audit.html`` bytes (target < 1 MB);
- ``audit.pdf`` pages (target <= 30) and seconds (target < 30 s);
- the schema-1 figures of the same example for comparison (121 findings, 71 blocking, Markdown
  58,715 characters, PDF 154 pages, about 150 s).

Usage: python benchmarks/reports.py [--repeat N] [--no-pdf]
The machine is shared: numbers depend on the load.
"""

from __future__ import annotations

import argparse
import json
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from auditor.api import run_audit
from auditor.config import load_config
from auditor.render import render, render_bytes

ROOT = Path(__file__).resolve().parents[1]


def _best(fn, repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-pdf", action="store_true")
    args = ap.parse_args()

    start = time.perf_counter()
    report = run_audit(load_config(ROOT / "examples" / "hiring" / "audit.yaml"), progress=False)
    audit_s = time.perf_counter() - start
    data = json.loads(report.to_json())
    findings = [f for r in data["results"] for f in r["findings"]]
    blocking = len(data["gate"]["blocking"])
    print(f"audit of the hiring example: {audit_s:.2f} s (28 checks)")
    print(f"findings: {len(findings)} (schema 1: 121); blocking: {blocking} (schema 1: 71)")

    rows = []
    for fmt in ("json", "md", "html", "junit", "sarif"):
        secs, text = _best(lambda fmt=fmt: render(data, fmt), args.repeat)
        rows.append((fmt, secs, len(str(text).encode("utf-8")), str(text)))
    texts = {fmt: text for fmt, _, _, text in rows}
    junit = ET.fromstring(texts["junit"])
    sarif = json.loads(texts["sarif"])
    errors = sum(1 for r in sarif["runs"][0]["results"] if r.get("level") == "error")
    html_count = re.search(r'<b class="count">(\d+) blocking problem', texts["html"])
    md_count = re.search(r"Audit FAIL: (\d+) blocking problem", texts["md"].splitlines()[1])
    print(
        f"blocking count: gate {blocking}, HTML {html_count[1] if html_count else '?'}, "
        f"Markdown {md_count[1] if md_count else '?'}, JUnit failures {junit.get('failures')}, "
        f"SARIF errors {errors}"
    )
    print("\nformat  render s   bytes")
    for fmt, secs, size, _ in rows:
        print(f"{fmt:6s} {secs:8.3f} {size:9,d}")
    md = texts["md"]
    print(f"\naudit.md: {len(md):,} characters (target <= 12,000; schema 1: 58,715)")
    print("first 10 lines:")
    for line in md.splitlines()[:10]:
        print("  " + line[:160])
    print(f"audit.html: {len(texts['html'].encode()):,} bytes (target < 1,000,000)")
    if not args.no_pdf:
        import weasyprint

        from auditor.render.html import render_html
        from auditor.render.pdf import _fetcher

        secs, pdf = _best(lambda: render_bytes(data, "pdf"), 1)
        assert isinstance(pdf, bytes)
        html = render_html(data, medium="pdf")
        pages = len(weasyprint.HTML(string=html, url_fetcher=_fetcher()).render().pages)
        print(
            f"audit.pdf: {pages} pages in {secs:.1f} s (targets <= 30 pages, < 30 s; schema 1: "
            f"154 pages, about 150 s), {len(pdf):,} bytes"
        )


if __name__ == "__main__":
    main()
