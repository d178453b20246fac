"""The HTML reports in a real headless Chromium, driven over the Chrome DevTools protocol.

Asserts: no network request other than the file itself, no console error or exception, no script
element or event-handler attribute (the XSS payloads in a column name, a group value and a card
field stay text), and the print layout renders to PDF. Two reports: the synthetic fixture, and
the pinned real run of the bundled hiring example (``hiring_fixture``) with the payloads put in
place of a real column name, group value and model-card field. Screenshots of the first page go
to ``tests/artifacts/`` (gitignored; the CI job keeps them) for a human to look at.

Skips with the reason when Chromium (Debian package ``chromium``) or ``websocket-client`` is absent.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hiring_fixture import hiring_report, with_payloads
from reports_fixture import PAYLOADS, canonical_report

from auditor.render import render
from auditor.render.ll144 import render_ll144_html

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
    "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
]  # fmt: skip


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class DevTools:
    """A minimal CDP client over one page target (commands by id, events collected)."""

    def __init__(self, ws_url: str) -> None:
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.events: list[dict[str, Any]] = []
        self._id = 0

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise AssertionError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def wait_for(self, method: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for e in self.events:
                if e["method"] == method:
                    return e
            msg = json.loads(self.ws.recv())
            if "method" in msg:
                self.events.append(msg)
        raise AssertionError(f"timed out waiting for {method}")

    def evaluate(self, expression: str) -> Any:
        res = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return res["result"].get("value")

    def close(self) -> None:
        self.ws.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A headless Chromium with a fresh profile; yields its DevTools HTTP endpoint."""
    exe = _chromium()
    if exe is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install -y chromium)")
    pytest.importorskip(
        "websocket", reason="websocket-client is not installed (pip install websocket-client)"
    )
    profile = tmp_path_factory.mktemp("chromium-profile")
    proc = subprocess.Popen(
        [exe, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        endpoint = None
        deadline = time.monotonic() + 60
        assert proc.stderr is not None
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                break
            if "DevTools listening on ws://" in line:
                endpoint = line.split("ws://", 1)[1].split("/", 1)[0]
                break
        if endpoint is None:
            pytest.fail(f"Chromium did not start (exit {proc.poll()})")
        yield f"http://{endpoint}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


def _open_page(endpoint: str) -> DevTools:
    req = urllib.request.Request(f"{endpoint}/json/new?about:blank", method="PUT")
    with urllib.request.urlopen(req, timeout=30) as resp:  # loopback only
        target = json.load(resp)
    dt = DevTools(target["webSocketDebuggerUrl"])
    for domain in ("Page", "Network", "Runtime", "Log"):
        dt.send(f"{domain}.enable")
    return dt


def _load(dt: DevTools, path: Path) -> None:
    dt.events.clear()
    dt.send("Page.navigate", url=path.as_uri())
    dt.wait_for("Page.loadEventFired")
    dt.evaluate("new Promise(r => setTimeout(r, 200))")


def _problems(dt: DevTools, url: str) -> tuple[list[str], list[str]]:
    requests = [
        e["params"]["request"]["url"]
        for e in dt.events
        if e["method"] == "Network.requestWillBeSent"
    ]
    foreign = [u for u in requests if u != url and not u.startswith("data:")]
    errors = []
    for e in dt.events:
        p = e["params"]
        if e["method"] == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            errors.append(json.dumps(p.get("args"))[:300])
        elif e["method"] == "Runtime.exceptionThrown":
            errors.append(json.dumps(p.get("exceptionDetails"))[:300])
        elif e["method"] == "Log.entryAdded" and p["entry"].get("level") == "error":
            errors.append(p["entry"].get("text", "")[:300])
    return foreign, errors


@pytest.fixture(scope="module")
def report_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("html")
    data = canonical_report()
    files = {"audit": root / "audit.html", "ll144": root / "ll144-summary.html",
             "hiring": root / "hiring.html", "hiring-ll144": root / "hiring-ll144.html"}  # fmt: skip
    files["audit"].write_text(render(data, "html"), encoding="utf-8")
    files["ll144"].write_text(render(data, "ll144-html"), encoding="utf-8")
    hiring = with_payloads(hiring_report("hiring"))
    files["hiring"].write_text(render(hiring, "html"), encoding="utf-8")
    ll144 = with_payloads(hiring_report("hiring-ll144"), card=False)  # FAIR003 only
    # the example sets no audit_date: its summary is a draft (DRAFT banner, MISSING field)
    files["hiring-ll144"].write_text(render_ll144_html(ll144, draft=True), encoding="utf-8")
    return files


#: payloads each page must show as text (the LL144 summaries show groups only)
EXPECTED = {"audit": PAYLOADS, "ll144": PAYLOADS[1:2], "hiring": PAYLOADS,
            "hiring-ll144": PAYLOADS[1:2]}  # fmt: skip
SECTIONS = [
    "cover", "summary", "problems", "risks", "scope", "method", "results", "completeness",
    "limitations", "signoff", "appendix",
]  # fmt: skip
OPEN_ALL = "document.querySelectorAll('details').forEach(d => { d.open = true; })"
CLOSE_ALL = "document.querySelectorAll('details').forEach(d => { d.open = false; })"


@pytest.mark.parametrize("which", ["audit", "ll144", "hiring", "hiring-ll144"])
def test_html_loads_offline_without_errors_and_payloads_stay_text(
    browser: str, report_files: dict[str, Path], which: str
) -> None:
    path = report_files[which]
    dt = _open_page(browser)
    try:
        _load(dt, path)
        foreign, errors = _problems(dt, path.as_uri())
        assert foreign == [], f"network requests besides the file itself: {foreign}"
        assert errors == [], f"console errors: {errors}"
        assert dt.evaluate("document.scripts.length") == 0
        assert dt.evaluate("typeof window.__pwned") == "undefined"
        handlers = dt.evaluate(
            "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes]"
            ".filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))"
        )
        assert handlers == []
        assert (
            dt.evaluate("document.querySelectorAll('img, iframe, object, embed, link').length") == 0
        )
        dt.evaluate(OPEN_ALL)  # text in a closed <details> is not rendered
        text = dt.evaluate("document.body.innerText")
        for payload in EXPECTED[which]:
            assert payload in text, f"payload not shown as text: {payload}"
        if which in ("audit", "hiring"):
            charts = dt.evaluate("document.querySelectorAll('svg.chart').length")
            assert charts == (3 if which == "audit" else 10)
            sections = dt.evaluate(
                "[...document.querySelectorAll('section[id], details.sec[id]')].map(s => s.id)"
            )
            assert sections == SECTIONS
            # the group payload drawn in a chart is an SVG text node, not markup
            svg_texts = dt.evaluate(
                "[...document.querySelectorAll('svg.chart text')].map(t => t.textContent)"
            )
            if which == "hiring":  # a chart bar is labelled with it (cut to 32 characters)
                assert any(t.startswith(PAYLOADS[1][:31]) for t in svg_texts), svg_texts[:40]
            inside = "svg.chart img, svg.chart foreignObject, svg.chart script"
            assert dt.evaluate(f"document.querySelectorAll('{inside}').length") == 0
    finally:
        dt.close()


@pytest.mark.parametrize(("which", "shot_name"), [
    ("audit", "report-first-page.png"), ("hiring", "hiring-first-page.png")])  # fmt: skip
def test_print_layout_and_first_page_screenshot(
    browser: str, report_files: dict[str, Path], which: str, shot_name: str
) -> None:
    dt = _open_page(browser)
    try:
        _load(dt, report_files[which])
        dt.send("Emulation.setEmulatedMedia", media="print")
        dt.send("Emulation.setDeviceMetricsOverride", width=794, height=1123,
                deviceScaleFactor=1, mobile=False)  # fmt: skip
        # the cover is the whole first printed page; the sections start on new pages
        assert (
            dt.evaluate("getComputedStyle(document.querySelector('.cover')).breakAfter") == "page"
        )
        assert (
            dt.evaluate("getComputedStyle(document.querySelector('#scope')).breakBefore") == "page"
        )
        # on paper the screen masthead gives way to the cover
        assert (
            dt.evaluate("getComputedStyle(document.querySelector('.masthead')).display") == "none"
        )
        shot = dt.send("Page.captureScreenshot", format="png")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        png = base64.b64decode(shot["data"])
        assert png.startswith(b"\x89PNG")
        (ARTIFACTS / shot_name).write_bytes(png)
        pdf = base64.b64decode(
            dt.send("Page.printToPDF", preferCSSPageSize=True, printBackground=True)["data"]
        )
        assert pdf.startswith(b"%PDF-")
        (ARTIFACTS / shot_name.replace("first-page.png", "chromium.pdf")).write_bytes(pdf)
        foreign, errors = _problems(dt, report_files[which].as_uri())
        assert foreign == []
        assert errors == []
    finally:
        dt.close()


def test_hiring_first_screen_and_collapsed_height(
    browser: str, report_files: dict[str, Path]
) -> None:
    """At 1280x800 the first screen shows the verdict, the gate and at least three top blocking
    problems (no print cover); with every section collapsed the page is at most 20 screens.
    The screenshot is kept in tests/artifacts/ for a person to look at."""
    dt = _open_page(browser)
    try:
        dt.send("Emulation.setDeviceMetricsOverride", width=1280, height=800,
                deviceScaleFactor=1, mobile=False)  # fmt: skip
        _load(dt, report_files["hiring"])
        box = "e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom, r.height]; }"
        verdict = dt.evaluate(f"({box})(document.querySelector('#summary .verdict'))")
        assert verdict[2] > 0 and verdict[1] <= 800
        assert dt.evaluate("document.querySelector('#summary .gate').innerText").startswith(
            "FAIL 22 blocking problems against the gate fail on high and above"
        )
        tops = dt.evaluate(f"[...document.querySelectorAll('ol.top > li')].map({box})")
        assert len(tops) == 5
        assert sum(1 for top, bottom, _ in tops if bottom <= 800) >= 3
        cover = dt.evaluate("getComputedStyle(document.querySelector('.cover')).display")
        assert cover == "none"
        shot = dt.send("Page.captureScreenshot", format="png")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "hiring-first-screen.png").write_bytes(base64.b64decode(shot["data"]))
        default = dt.evaluate("document.documentElement.scrollHeight")
        dt.evaluate(CLOSE_ALL)
        collapsed = dt.evaluate("document.documentElement.scrollHeight")
        dt.evaluate(OPEN_ALL)
        expanded = dt.evaluate("document.documentElement.scrollHeight")
        assert collapsed <= 20 * 800, collapsed
        assert collapsed < default < expanded  # the problems list is open by default
        counts = dt.evaluate(
            "[...document.querySelectorAll('details.sec > summary .count')].map(e => e.innerText)"
        )
        assert counts[0] == "37 open: 22 blocking, 15 not blocking"
        assert len(counts) == 9  # every section says what it holds while collapsed
    finally:
        dt.close()


def test_harness_detects_requests_console_errors_and_scripts(browser: str, tmp_path: Path) -> None:
    """Negative control: the same checks flag a page that does what our reports must not."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html><body><p>x</p><img src='http://127.0.0.1:9/pixel.png'>"
        "<script>console.error('boom'); window.__pwned = 1;</script></body></html>",
        encoding="utf-8",
    )
    dt = _open_page(browser)
    try:
        _load(dt, bad)
        foreign, errors = _problems(dt, bad.as_uri())
        assert foreign == ["http://127.0.0.1:9/pixel.png"]
        assert any("boom" in e for e in errors)
        assert dt.evaluate("document.scripts.length") == 1
        assert dt.evaluate("typeof window.__pwned") == "number"
    finally:
        dt.close()
