"""The shipped CI integration examples stay consistent with the CLI they call, and work."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from auditor.cli import _parser
from auditor.render import OUTPUT_NAMES

ROOT = Path(__file__).resolve().parents[2]
CI = ROOT / "examples" / "ci"


WORKFLOW = CI / "model-audit.yml"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def _steps(job: str = "audit") -> dict[str, dict]:
    return {s.get("name", s.get("uses")): s for s in _workflow()["jobs"][job]["steps"]}


def test_github_workflow_runs_uploads_summarises_and_fails_on_the_exit_code() -> None:
    steps = _steps()
    audit = steps["Audit"]["run"]
    assert "set +e" in audit
    assert 'echo "exit_code=$?" >> "$GITHUB_OUTPUT"' in audit
    # the flags the workflow passes exist and parse
    args = _parser().parse_args(
        ["run", "--config", "audit.yaml", "--format", "json,md,html,junit,sarif", "--out",
         "audit-report", "--baseline", "baseline/audit.json", "--fail-on", "new"]
    )  # fmt: skip
    assert args.baseline == Path("baseline/audit.json")
    assert args.fail_on == "new"
    assert '--format "json,md,html,junit,sarif" --out audit-report' in audit
    assert "--baseline baseline/audit.json --fail-on" in audit
    summary = steps["Write the report to the step summary"]
    assert summary["if"] == "always()"
    assert 'cat audit-report/audit.md >> "$GITHUB_STEP_SUMMARY"' in summary["run"]
    assert "comes from a fork" in summary["run"]  # the summary says why there is no comment
    upload = steps["Upload the report"]
    assert upload["if"] == "always()"
    assert upload["uses"].startswith("actions/upload-artifact@")
    # the gate is the LAST step of the audit job and runs after every reporting step
    names = list(steps)
    assert names[-1] == "Fail when the gate failed"
    fail = steps["Fail when the gate failed"]
    assert fail["if"] == "steps.audit.outputs.exit_code != '0'"
    assert "exit 1" in fail["run"]
    assert all(
        s.get("if", "").startswith("always()")
        for n, s in steps.items() if names.index(n) > names.index("Audit") and n != names[-1]
    )  # fmt: skip


def test_github_workflow_installs_auditor_pinned_never_from_the_package_index() -> None:
    wf = _workflow()
    spec = wf["env"]["AUDITOR_INSTALL"]
    assert spec == ".[pdf]" or re.fullmatch(r"auditor\[pdf\] @ git\+https://\S+@[0-9a-f]{40}", spec)
    install = _steps()["Install auditor"]["run"]
    assert install == 'python -m pip install "$AUDITOR_INSTALL"'
    text = WORKFLOW.read_text()
    assert 'pip install "auditor' not in text and "pip install auditor" not in text


def test_github_workflow_permissions_are_per_job_and_minimal() -> None:
    wf = _workflow()
    assert wf["permissions"] == {}
    jobs = wf["jobs"]
    assert jobs["audit"]["permissions"] == {"contents": "read", "actions": "read"}
    assert jobs["code-scanning"]["permissions"] == {
        "contents": "read", "actions": "read", "security-events": "write"}  # fmt: skip
    assert jobs["comment"]["permissions"] == {"contents": "read", "pull-requests": "write"}
    same_repo = "github.event.pull_request.head.repo.full_name == github.repository"
    for job in ("code-scanning", "comment"):
        assert jobs[job]["needs"] == "audit"
        assert jobs[job]["if"].startswith("always() && ")  # after a failed gate too
        assert same_repo in jobs[job]["if"]  # never on a fork PR (read-only token)
    sarif = _steps("code-scanning")["Upload SARIF to code scanning"]
    assert sarif["uses"] == "github/codeql-action/upload-sarif@v4"
    assert sarif["continue-on-error"] is True  # code scanning may be off
    assert sarif["with"]["sarif_file"] == "audit-report/audit.sarif"
    post = _steps("comment")["Create or update the PR comment"]
    assert '"$COMMENT_SCRIPT"' in post["run"] and "--body-file audit-report/audit.md" in post["run"]
    assert (ROOT / wf["env"]["COMMENT_SCRIPT"]).is_file()
    for job in jobs.values():  # no job keeps the token in .git/config for later steps
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
    # attacker-controlled text never lands inside a shell script: only env: carries it
    for job in jobs.values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", "")


def test_github_workflow_passes_actionlint(tmp_path: Path) -> None:
    """actionlint (a binary from the ``test`` extra; with shellcheck on PATH it lints the scripts
    too) accepts the workflow, and rejects a copy with a script injection (so it really ran)."""
    exe = shutil.which("actionlint")
    assert exe, "actionlint is missing: pip install -e '.[test]'"
    proc = subprocess.run([exe, "-no-color", str(WORKFLOW)], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    bad = tmp_path / "bad.yml"
    bad.write_text(WORKFLOW.read_text().replace(
        'python -m pip install "$AUDITOR_INSTALL"',
        'echo "${{ github.event.pull_request.title }}"'))  # fmt: skip
    proc = subprocess.run([exe, "-no-color", str(bad)], capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 1
    assert '"github.event.pull_request.title" is potentially untrusted' in proc.stdout


def _fetch_step() -> tuple[str, str]:
    name = next(n for n in _steps() if n.startswith("Fetch the baseline"))
    script = _steps()[name]["run"]
    m = re.search(r"run_ids=\$\(gh api [^\n]*\n\s*--jq '([^']+)'", script)
    assert m, "the baseline lookup must select the runs with a --jq filter"
    return script, m[1]


def test_baseline_is_the_newest_push_run_of_this_repository_even_when_its_gate_failed() -> None:
    """A main run exiting 1 never has conclusion success: no filter on the conclusion; the runs
    are this workflow's push runs on the default branch, downloaded newest first."""
    script, jq_filter = _fetch_step()
    assert "--status" not in script and "conclusion" not in jq_filter
    assert "actions/workflows/$workflow_id/runs?branch=$DEFAULT_BRANCH&event=push" in script
    assert "artifacts?name=" not in script  # the artifacts API has no event: never trust it
    assert re.search(r'gh run download "\$run_id" .*--name audit-baseline --dir baseline', script)
    keep = _steps()["Keep this report as the next baseline"]
    assert keep["if"].startswith(
        "always() && github.event_name == 'push' && "
        "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)"
    )
    assert "exit_code != '2'" in keep["if"]  # a usage error wrote no report to keep
    assert keep["with"] == {"name": "audit-baseline", "path": "audit-report/audit.json",
                            "retention-days": 90}  # fmt: skip


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed (apt-get install jq)")
def test_baseline_lookup_filter_never_picks_a_fork_or_a_pull_request_run() -> None:
    """Run the workflow's own jq filter on a response shaped like GitHub's workflow-runs API.
    A fork PR from a branch named main (head_branch "main", event pull_request, head_repository
    the fork) must never be picked, nor a push to a fork's main."""
    _, jq_filter = _fetch_step()
    repo = "acme/models"

    def run(
        rid: int,
        created: str,
        *,
        branch: str = "main",
        event: str = "push",
        head: str = repo,
        conclusion: str = "success",
    ) -> dict:
        return {"id": rid, "event": event, "head_branch": branch, "created_at": created,
                "status": "completed", "conclusion": conclusion,
                "repository": {"full_name": repo}, "head_repository": {"full_name": head}}  # fmt: skip

    def pick(runs: list[dict]) -> list[str]:
        doc = json.dumps({"total_count": len(runs), "workflow_runs": runs})
        env = {**os.environ, "DEFAULT_BRANCH": "main", "GITHUB_REPOSITORY": repo}
        out = subprocess.run(["jq", "-r", jq_filter], input=doc, capture_output=True, text=True,
                             check=True, env=env)  # fmt: skip
        return out.stdout.split()

    response = [
        run(101, "2026-11-01T10:00:00Z"),  # an old run whose gate passed
        run(107, "2026-11-20T10:00:00Z", conclusion="failure"),  # newest main run; gate failed
        run(109, "2026-11-21T10:00:00Z", branch="feature/x"),  # a branch push: never a baseline
        # a fork's pull request from ITS branch named main: the attack the check exists for
        run(113, "2026-11-23T10:00:00Z", event="pull_request", head="mallory/models"),
        run(115, "2026-11-24T10:00:00Z", event="pull_request"),  # same-repo PR: not a baseline
        run(117, "2026-11-25T10:00:00Z", head="mallory/models"),  # not this repository's push
    ]
    assert pick(response) == [
        "107",
        "101",
    ]  # newest first; the step downloads the first that kept one
    assert pick(response[2:]) == []  # nothing usable: the audit gates on severity only
    assert pick([]) == []


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed (apt-get install jq)")
@pytest.mark.parametrize(("version", "gated"), [(2, True), (1, False)])
def test_audit_step_skips_a_baseline_of_another_report_schema(
    tmp_path: Path, version: int, gated: bool
) -> None:
    """After an upgrade the newest main baseline is a schema 1 report, which ``--baseline``
    refuses (exit 2): the workflow's Audit step leaves it out for that run (gating on severity)
    instead of failing every run and never keeping a new baseline."""
    script = _steps()["Audit"]["run"]
    (tmp_path / "baseline").mkdir()
    (tmp_path / "baseline" / "audit.json").write_text(json.dumps({"schema_version": version}))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "auditor"  # records the arguments the workflow passes, exits "gate failed"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$ARGS_FILE"\nexit 1\n')
    fake.chmod(0o755)
    env = {
        "PATH": os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), os.environ["PATH"]]),
        "AUDIT_CONFIG": "audit.yaml", "FAIL_ON": "new", "GITHUB_OUTPUT": str(tmp_path / "out"),
        "ARGS_FILE": str(tmp_path / "args"),
    }  # fmt: skip
    proc = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    args = (tmp_path / "args").read_text().split()
    assert (tmp_path / "out").read_text() == "exit_code=1\n"  # the exit code, never hidden
    assert args[:4] == ["run", "--config", "audit.yaml", "--format"]
    if gated:
        assert args[-4:] == ["--baseline", "baseline/audit.json", "--fail-on", "new"]
        assert "::warning::" not in proc.stdout
    else:
        assert "--baseline" not in args
        assert proc.stdout.strip() == (
            "::warning::the baseline is a schema_version 1 report and this auditor writes 2: "
            "gating on severity only in this run"
        )


def test_pytest_example_documents_both_assertions_with_the_right_path() -> None:
    source = (CI / "test_model_audit.py").read_text()
    tree = ast.parse(source)
    funcs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert [f.name for f in funcs] == ["test_biased_hiring_model_fails_the_fairness_gate"]
    assert [a.arg for a in funcs[0].args.args] == ["auditor_audit"]
    doc = ast.get_docstring(tree) or ""
    assert "python -m pytest examples/ci/test_model_audit.py" in doc
    assert "tests/test_model_audit.py" not in source
    assert "assert_audit_passes(report)" in doc  # how a team writes the passing assertion


def test_pytest_example_passes_against_the_bundled_biased_data(tmp_path: Path) -> None:
    """The example runs as a user runs it (its own pytest, the installed plugin) and passes."""
    out = tmp_path / "reports"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(CI),
         str(CI / "test_model_audit.py"), "--auditor-report-dir", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "1 passed" in proc.stdout
    written = out / "test_model_audit" / "test_biased_hiring_model_fails_the_fairness_gate"
    assert sorted(p.name for p in written.iterdir()) == ["audit.html", "audit.json", "audit.md"]
    data = json.loads((written / "audit.json").read_text())
    assert data["verdict"] == "fail"
    assert data["policy"]["name"] == "eeoc-four-fifths"
    assert len(data["gate"]["blocking"]) == 3  # FAIR001 for sex, race/ethnicity, the intersection
    md = (written / "audit.md").read_text().splitlines()
    assert md[1] == "### ❌ Audit FAIL: 3 blocking problems"
    assert [re.sub(r"^.* `FAIR001` ", "", ln) for ln in md if re.match(r"^\d\. ", ln)] == [
        "race\\_ethnicity", "sex", "sex × race\\_ethnicity"]  # fmt: skip


class _FakeGitHub(ThreadingHTTPServer):
    """The three comment endpoints of GitHub's REST API, on loopback, with small pages."""

    page_size = 3

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _FakeGitHubHandler)
        self.comments: list[dict] = []
        self.requests: list[tuple[str, str, str]] = []  # method, path, Authorization
        self.next_id = 1000
        self.evil_link = ""
        self.redirect_to = ""

    def add(self, body: str, login: str = "github-actions[bot]") -> dict:
        self.next_id += 1
        c = {"id": self.next_id, "body": body, "user": {"login": login}, "edits": 0}
        self.comments.append(c)
        return c


class _FakeGitHubHandler(BaseHTTPRequestHandler):
    server: _FakeGitHub

    def log_message(self, *args: object) -> None:
        pass

    def _reply(self, code: int, payload: object, link: str = "") -> None:
        data = json.dumps(payload).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        if link:
            self.send_header("Link", link)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _record(self) -> urllib.parse.SplitResult:
        self.server.requests.append(
            (self.command, self.path, self.headers.get("Authorization", "")))  # fmt: skip
        return urllib.parse.urlsplit(self.path)

    def _body(self) -> dict:
        return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

    def do_GET(self) -> None:
        url = self._record()
        if self.server.redirect_to:
            self.send_response(302)
            self.send_header("Location", self.server.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if not re.fullmatch(r"/repos/acme/models/issues/7/comments", url.path):
            return self._reply(404, {"message": "Not Found"})
        page = int(urllib.parse.parse_qs(url.query).get("page", ["1"])[0])
        size, all_ = self.server.page_size, self.server.comments
        chunk = all_[(page - 1) * size : page * size]
        link = self.server.evil_link
        if page * size < len(all_):
            host, port = self.server.server_address[:2]
            link = (f'<http://{host}:{port}{url.path}?per_page=100&page={page + 1}>; rel="next", '
                    f'<http://{host}:{port}{url.path}?page=1>; rel="first"')  # fmt: skip
        self._reply(200, [{k: v for k, v in c.items() if k != "edits"} for c in chunk], link)

    def do_POST(self) -> None:
        url = self._record()
        if url.path != "/repos/acme/models/issues/7/comments":
            return self._reply(404, {"message": "Not Found"})
        c = self.server.add(self._body()["body"])
        self._reply(201, {"id": c["id"], "body": c["body"]})

    def do_PATCH(self) -> None:
        url = self._record()
        m = re.fullmatch(r"/repos/acme/models/issues/comments/(\d+)", url.path)
        found = [c for c in self.server.comments if m and c["id"] == int(m[1])]
        if not found:
            return self._reply(404, {"message": "Not Found"})
        found[0]["body"] = self._body()["body"]
        found[0]["edits"] += 1
        self._reply(200, {"id": found[0]["id"], "body": found[0]["body"]})


@pytest.fixture
def fake_github() -> Iterator[_FakeGitHub]:
    server = _FakeGitHub()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def _post_comment(server: _FakeGitHub, body_file: Path, *extra: str) -> subprocess.CompletedProcess:
    host, port = server.server_address[:2]
    env = {**os.environ, "GITHUB_TOKEN": "t0ken", "GITHUB_API_URL": f"http://{host}:{port}"}
    return subprocess.run(
        [sys.executable, str(CI / "pr_comment.py"), "--repo", "acme/models", "--pr", "7",
         "--body-file", str(body_file), *extra],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_pr_comment_is_created_once_then_updated_in_place(
    fake_github: _FakeGitHub, tmp_path: Path
) -> None:
    """Run the workflow's comment script twice against a fake API: one marked comment, created
    the first time (after reading every page) and edited the second; no other comment touched."""
    marker = "<!-- auditor-report -->"
    human = fake_github.add("LGTM, but see the audit", login="alice")
    quoting = fake_github.add(f"{marker}\nforged by a reviewer", login="mallory")  # not the bot's
    bot_other = fake_github.add("Thanks for the PR! (some other bot message)")  # no marker
    for i in range(4):  # push the comment past the first pages
        fake_github.add(f"review comment {i}", login="bob")
    before = {c["id"]: c["body"] for c in fake_github.comments}

    report = tmp_path / "audit.md"
    report.write_text("### ❌ Audit FAIL: 3 blocking problems\n")
    first = _post_comment(fake_github, report)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("pr_comment: created comment ")
    ours = [c for c in fake_github.comments if c["body"].startswith(marker + "\n")
            and c["user"]["login"] == "github-actions[bot]"]  # fmt: skip
    assert len(ours) == 1
    assert ours[0]["body"] == f"{marker}\n### ❌ Audit FAIL: 3 blocking problems\n"
    # every page was read before creating (7 comments, 3 a page) and the token was sent
    gets = [r for r in fake_github.requests if r[0] == "GET"]
    assert len(gets) == 3
    assert {r[2] for r in fake_github.requests} == {"Bearer t0ken"}

    report.write_text("### ✅ Audit PASS\n")
    fake_github.requests.clear()
    second = _post_comment(fake_github, report)
    assert second.returncode == 0, second.stderr
    assert second.stdout == f"pr_comment: updated comment {ours[0]['id']}\n"
    assert [r[:2] for r in fake_github.requests if r[0] != "GET"] == [
        ("PATCH", f"/repos/acme/models/issues/comments/{ours[0]['id']}")]  # fmt: skip
    assert len(fake_github.comments) == 8  # still exactly one comment of ours
    assert ours[0]["body"] == f"{marker}\n### ✅ Audit PASS\n" and ours[0]["edits"] == 1
    for c in fake_github.comments:  # nothing else was edited
        if c is not ours[0]:
            assert c["edits"] == 0 and c["body"] == before[c["id"]]
    assert (
        human["body"] == "LGTM, but see the audit" and quoting["edits"] == bot_other["edits"] == 0
    )

    third = _post_comment(fake_github, report)  # a re-run with the same report: no write at all
    assert third.stdout == f"pr_comment: comment {ours[0]['id']} is up to date\n"
    assert ours[0]["edits"] == 1


def test_pr_comment_cuts_a_huge_report_and_links_the_run(
    fake_github: _FakeGitHub, tmp_path: Path
) -> None:
    report = tmp_path / "audit.md"
    report.write_text("".join(f"| row {i} | {'x' * 80} |\n" for i in range(2000)))  # ~180 kB
    proc = _post_comment(
        fake_github, report, "--run-url", "https://github.com/acme/models/actions/runs/9"
    )
    assert proc.returncode == 0, proc.stderr
    (c,) = fake_github.comments
    assert len(c["body"]) < 65_536  # GitHub's limit for a comment body
    assert c["body"].endswith(
        "_The summary was cut to fit a comment: the full report is in the "
        "[run's artifacts](https://github.com/acme/models/actions/runs/9)._\n"
    )
    assert "\n| row 0 |" in c["body"] and "| row 1999 |" not in c["body"]


def test_pr_comment_refuses_cleartext_api_and_reports_api_errors(
    fake_github: _FakeGitHub, tmp_path: Path
) -> None:
    report = tmp_path / "audit.md"
    report.write_text("ok\n")
    env = {**os.environ, "GITHUB_TOKEN": "t0ken", "GITHUB_API_URL": "http://api.example.com"}
    proc = subprocess.run(
        [sys.executable, str(CI / "pr_comment.py"), "--repo", "acme/models", "--pr", "7",
         "--body-file", str(report)],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 2  # the token is never sent in clear text off this machine
    assert "GITHUB_API_URL 'http://api.example.com': expected an https URL" in proc.stderr
    host, port = fake_github.server_address[:2]
    env["GITHUB_API_URL"] = f"http://{host}:{port}"
    proc = subprocess.run(
        [sys.executable, str(CI / "pr_comment.py"), "--repo", "acme/other", "--pr", "7",
         "--body-file", str(report)],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr.startswith("pr_comment: GET http://127.0.0.1:")
    assert "HTTP 404" in proc.stderr and fake_github.comments == []


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed (apt-get install jq)")
def test_fetch_step_downloads_the_newest_push_run_that_kept_a_baseline(tmp_path: Path) -> None:
    """The whole Fetch step with a fake ``gh``: the fork PR run from "main" (newest, and it
    uploaded an audit-baseline) is never asked for; the newest own push run without the artifact
    is tried, then the next one is downloaded."""
    script = next(s["run"] for n, s in _steps().items() if n.startswith("Fetch the baseline"))
    runs = {"workflow_runs": [
        {"id": 7, "event": "push", "head_branch": "main", "created_at": "2026-11-01T00:00:00Z",
         "repository": {"full_name": "acme/models"}, "head_repository": {"full_name": "acme/models"}},
        {"id": 8, "event": "push", "head_branch": "main", "created_at": "2026-11-02T00:00:00Z",
         "repository": {"full_name": "acme/models"}, "head_repository": {"full_name": "acme/models"}},
        {"id": 9, "event": "pull_request", "head_branch": "main", "created_at": "2026-11-03T00:00:00Z",
         "repository": {"full_name": "acme/models"}, "head_repository": {"full_name": "eve/models"}},
    ]}  # fmt: skip
    (tmp_path / "runs.json").write_text(json.dumps(runs))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"  # logs each call; `api` answers from runs.json through the real jq filter
    gh.write_text(
        '#!/bin/bash\necho "$*" >> "$GH_LOG"\n'
        'if [ "$1" = api ]; then\n'
        '  case "$2" in */runs/555) echo 42 ;;\n'
        '    */workflows/42/runs\\?*) jq -r "$4" "$RUNS" ;;\n'
        '    *) exit 1 ;; esac\n  exit 0\nfi\n'
        'if [ "$1 $2 $3" = "run download 7" ]; then mkdir -p baseline && echo "{}" > baseline/audit.json; exit 0; fi\n'
        'exit 1\n'
    )  # fmt: skip
    gh.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_REPOSITORY": "acme/models", "GITHUB_RUN_ID": "555", "DEFAULT_BRANCH": "main",
           "GH_TOKEN": "x", "GH_LOG": str(tmp_path / "log"), "RUNS": str(tmp_path / "runs.json")}  # fmt: skip
    proc = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "baseline: the audit-baseline artifact of run 7" in proc.stdout
    calls = (tmp_path / "log").read_text().splitlines()
    assert calls[0] == "api repos/acme/models/actions/runs/555 --jq .workflow_id"
    assert calls[1].startswith(
        "api repos/acme/models/actions/workflows/42/runs?branch=main&event=push&status=completed"
    )
    assert calls[2:] == [  # newest first, never run 9
        "run download 8 --repo acme/models --name audit-baseline --dir baseline",
        "run download 7 --repo acme/models --name audit-baseline --dir baseline",
    ]
    assert (tmp_path / "baseline" / "audit.json").read_text() == "{}\n"


def test_pr_comment_never_follows_a_next_page_off_the_api_origin(
    fake_github: _FakeGitHub, tmp_path: Path
) -> None:
    """A Link header pointing elsewhere would carry the token there: the script stops instead."""
    fake_github.evil_link = '<https://attacker.example/steal?page=2>; rel="next"'
    report = tmp_path / "audit.md"
    report.write_text("ok\n")
    proc = _post_comment(fake_github, report)
    assert proc.returncode == 1
    assert "pr_comment: refusing to follow 'https://attacker.example/steal?page=2'" in proc.stderr
    assert [r[0] for r in fake_github.requests] == ["GET"] and fake_github.comments == []
    # nor a redirect: urllib would re-send the Authorization header to the new host
    fake_github.evil_link = ""
    fake_github.redirect_to = "http://localhost:9/steal"
    proc = _post_comment(fake_github, report)
    assert proc.returncode == 1
    assert proc.stderr == (
        "pr_comment: refusing to follow a redirect to 'http://localhost:9/steal': "
        "not the API origin\n"
    )


def test_gitlab_and_jenkins_recipes_in_the_docs_use_the_real_outputs_and_the_gate() -> None:
    """The recipes in docs/reports.md parse, read the JUnit file auditor writes, and keep the
    exit code as the gate; the options they pass exist."""
    doc = (ROOT / "docs" / "reports.md").read_text()
    section = doc[doc.index("## In CI and in tests") : doc.index("## Known limits")]
    (gitlab,) = re.findall(r"```yaml\n(.*?)```", section, re.S)
    job = yaml.safe_load(gitlab)["model-audit"]
    junit = f"audit-report/{OUTPUT_NAMES['junit']}"
    assert job["artifacts"]["reports"]["junit"] == junit
    assert job["artifacts"]["when"] == "always"
    assert "allow_failure" not in job  # exit 1 fails the pipeline
    run = job["script"][-1].split()
    assert run[:2] == ["auditor", "run"]
    _parser().parse_args([*run[1:-1], "--baseline", "b.json", "--fail-on", "new"])
    assert job["script"][0] == 'python -m pip install "$AUDITOR_INSTALL"'
    assert re.search(r"@ git\+https://\S+@<40-hex commit sha>", job["variables"]["AUDITOR_INSTALL"])
    (jenkins,) = re.findall(r"```groovy\n(.*?)```", section, re.S)
    assert f"junit testResults: '{junit}'" in jenkins
    assert "returnStatus: true" in jenkins and "if (code != 0)" in jenkins
    assert jenkins.index("junit testResults") < jenkins.index("error(")  # publish, then fail
