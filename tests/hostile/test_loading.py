"""Strict, bounded loading of every YAML and JSON auditor reads (issue 11, item 3 and the loader
parts of item 5).

- A duplicate key is an error naming the file, the key and both lines: a config that says
  ``allow_unsafe_model: false`` and later ``allow_unsafe_model: true`` used to load and run a pickle.
- Alias bombs ("billion laughs") and deep nesting are refused in milliseconds with one line naming
  the file and line, for configs, policies, cards, reports and baselines alike (they used to grow
  to gigabytes, or end in ``internal error: RecursionError``).
- ``extends`` parses each pack once: 26 packs that each extend the next one twice used to hang.
- ``render``, ``diff`` and ``--baseline`` validate the ``audit.json`` they read against the report
  schema before anything renders, compares or runs: exit 2 naming the file and the first bad path.
- ``validate-policy`` lists every problem, one line each.

Files are real, in tmp folders; the CLI runs as ``python -m auditor`` (or ``main(argv)``).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import auditor.policy as policy_module
from auditor.cli import main
from auditor.errors import ConfigError, UsageError
from auditor.policy import load_policy
from auditor.report import Report
from auditor.reportfile import (
    ANNOTATIONS,
    KEYWORDS,
    SchemaValidator,
    _schema_keywords,
    report_problems,
    report_schema,
)
from auditor.resources import bundled_packs
from auditor.safeload import LoadProblem, load_yaml, parse_json, parse_yaml
from auditor.transparency.loader import load_card, load_datasheet

REPO = Path(__file__).resolve().parents[2]
REPORT = REPO / "tests" / "reports" / "data" / "hiring.audit.json"
SOON = (dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=90)).isoformat()

# peak RSS of `python -m auditor` (pandas and friends imported) stays far below this; the alias
# bombs below used to take 0.76 GB (policy) and 2.25 GB (config)
RSS_LIMIT_KB = 400_000


def auditor(*args: str | Path, cwd: Path) -> tuple[int, str, str, int]:
    """``python -m auditor ARGS`` in a subprocess: (exit code, stdout, stderr, peak RSS in KB of
    that process, read from ``VmHWM`` in ``/proc/self/status`` inside it: ``ru_maxrss`` would
    carry over the forking pytest process's peak across ``exec``, which is what Linux does)."""
    probe = (
        "import re, sys\n"
        "from auditor.cli import main\n"
        "try:\n"
        "    code = main(sys.argv[1:])\n"
        "finally:\n"
        "    status = open('/proc/self/status', encoding='ascii').read()\n"
        "    rss = re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1)\n"
        "    sys.stderr.write(f'@@rss={rss}\\n')\n"
        "sys.exit(code)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, *map(str, args)],
        cwd=cwd, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    err, _, rss = proc.stderr.rpartition("@@rss=")
    return proc.returncode, proc.stdout, err, int(rss.strip() or 0)


def one_error_line(err: str) -> str:
    """The single ``auditor: error:`` line of a usage error (no traceback, nothing else)."""
    assert "Traceback" not in err and "internal error" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("auditor: error: "), err
    return lines[0].removeprefix("auditor: error: ")


def tiny_data(folder: Path) -> Path:
    path = folder / "data.csv"
    path.write_text("name,p\nJose,1\nZoe,0\nAmy,1\nBob,0\n", encoding="utf-8")
    return path


def run_policy(folder: Path) -> Path:
    path = folder / "run-only.yaml"
    path.write_text("name: ci\nfail_on: low\nchecks:\n  RUN001: {}\n", encoding="utf-8")
    return path


# -- 1. duplicate keys -----------------------------------------------------------------------------


class _TouchOnLoad:
    """Unpickling this creates ``marker``: proof that pickle code ran."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def test_duplicate_key_in_config_is_refused_before_the_pickle_runs(tmp_path: Path) -> None:
    """The issue's repro: ``allow_unsafe_model: false`` then ``allow_unsafe_model: true``. Before,
    the last one won and the pickle ran; now the config is refused at load, naming file, key and
    both lines, and nothing ran or was written."""
    marker = tmp_path / "pickle-ran"
    (tmp_path / "model.pkl").write_bytes(pickle.dumps(_TouchOnLoad(marker)))
    tiny_data(tmp_path)
    config = tmp_path / "audit.yaml"
    config.write_text(
        "data: data.csv\n"
        "prediction: p\n"
        "allow_unsafe_model: false   # reviewed: never load pickles\n"
        "model: model.pkl\n"
        "features: [name]\n"
        "allow_unsafe_model: true\n",
        encoding="utf-8",
    )
    code, out, err, _ = auditor("run", "--config", config, "--out", tmp_path / "out", cwd=tmp_path)
    assert code == 2, err
    assert one_error_line(err) == (
        f"{config}:6:1: duplicate key 'allow_unsafe_model' (first given on line 3): a key may "
        "appear once in a mapping; remove one of them"
    )
    assert out == ""
    assert not marker.exists()  # the pickle never ran
    assert not (tmp_path / "out").exists()


def test_keys_equal_as_values_are_duplicates_and_merge_keys_may_be_overridden() -> None:
    """Keys are compared as loaded (``1`` and ``1.0``, ``true`` and ``True`` are one dict key);
    every duplicate is listed; a ``<<`` merge may still be overridden (that is its purpose)."""
    with pytest.raises(LoadProblem) as err:
        parse_yaml("set:\n  1: a\n  1.0: b\nflags:\n  true: x\n  True: y\n")
    assert (err.value.line, err.value.message) == (
        3,
        "duplicate key 'set.1.0' (the same key as '1' on line 2): a key may appear once in a "
        "mapping; remove one of them",
    )
    assert [line for _, line in err.value.others] == [6]
    merged = parse_yaml(
        "base: &b {threshold: 0.8, min_n: 30}\nchild:\n  <<: *b\n  threshold: 0.9\n"
    )
    assert merged["child"] == {"threshold": 0.9, "min_n": 30}


def test_duplicate_key_in_an_extended_pack_names_that_pack(tmp_path: Path) -> None:
    parent = tmp_path / "base.yaml"
    parent.write_text("name: base\nchecks:\n  RUN001: {}\n  RUN001: false\n", encoding="utf-8")
    child = tmp_path / "child.yaml"
    child.write_text("name: child\nextends: ./base.yaml\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_policy(child)
    assert str(err.value) == (
        f"{parent}:4:3: duplicate key 'checks.RUN001' (first given on line 3): a key may appear "
        "once in a mapping; remove one of them"
    )


def test_duplicate_keys_in_cards_datasheets_and_json_are_fatal_at_their_line(
    tmp_path: Path,
) -> None:
    """A card or datasheet with a repeated key is ambiguous: it is not read (a fatal TRN100 issue at
    the line), as invalid YAML is; before, the later value was used (or, in a datasheet, MCT JSON
    and a README's front matter, silently kept)."""
    sheet = tmp_path / "datasheet.yaml"
    sheet.write_text(
        "composition:\n  Does the dataset contain personal data?: no\n"
        "composition:\n  Does the dataset contain personal data?: yes\n",
        encoding="utf-8",
    )
    doc = load_datasheet(sheet)
    assert doc.fatal is not None
    assert (doc.fatal.line, doc.fatal.message) == (
        3,
        "duplicate key 'composition' (first given on line 1): a key may appear once in a "
        "mapping; remove one of them",
    )
    assert doc.first("data.contains_pii") is None
    mct = tmp_path / "card.json"
    mct.write_text(
        '{\n  "model_details": {"name": "a"},\n  "model_details": {"name": "b"}\n}\n',
        encoding="utf-8",
    )
    card = load_card(mct)
    assert card.fatal is not None
    assert (card.fatal.line, card.fatal.message) == (
        3,
        "duplicate key 'model_details' (first given on line 2): a key may appear once in an "
        "object; remove one of them",
    )
    readme = tmp_path / "README.md"
    readme.write_text("---\nlicense: mit\nlicense: apache-2.0\n---\n# Screener\n", encoding="utf-8")
    hf = load_card(readme)
    assert hf.fatal is None  # the body is still read; the front matter is not
    assert (hf.issues[0].line, hf.issues[0].message) == (
        3,
        "front matter: duplicate key 'license' (first given on line 2): a key may appear once in "
        "a mapping; remove one of them",
    )
    assert hf.first("license") is None


# -- 2. alias bombs and nesting ------------------------------------------------------------------


def _bomb(levels: int, indent: str = "") -> str:
    lines = [f'{indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(levels - 1):
        prev, cur = chr(97 + i), chr(98 + i)
        lines.append(f"{indent}{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_in_config_metadata_is_refused_quickly_and_small(tmp_path: Path) -> None:
    """A 432-byte config whose ``metadata:`` expands to 9**7 = 4.8 million strings: it used to end
    in a 2.25 GB process, a 163 MB audit.json or a MemoryError after the checks ran."""
    tiny_data(tmp_path)
    config = tmp_path / "audit.yaml"
    config.write_text(
        "data: data.csv\nprediction: p\nmetadata:\n" + _bomb(7, "  "), encoding="utf-8"
    )
    assert len(config.read_bytes()) < 440
    start = time.perf_counter()
    code, out, err, rss = auditor("run", "-c", config, "--out", tmp_path / "out", cwd=tmp_path)
    assert code == 2, err
    assert one_error_line(err) == (
        f"{config}:9: too many aliases: they expand the document to more than 100,000 nodes "
        "(a 'billion laughs' file?); write the values out instead"
    )
    assert time.perf_counter() - start < 60  # the process start dominates; it used to take minutes
    assert rss < RSS_LIMIT_KB, f"peak RSS {rss} KB"
    assert out == "" and not (tmp_path / "out").exists()


def test_alias_bomb_in_policy_description_is_refused(tmp_path: Path) -> None:
    """A 376-byte policy whose ``description:`` nests aliases 7 deep (8**7 strings once printed):
    it used to take 758 MB to turn into text."""
    policy = tmp_path / "bomb.yaml"
    policy.write_text(
        "name: bomb\ndescription: &g [&f [&e [&d [&c [&b [&a [lol,lol,lol,lol,lol,lol,lol,lol],"
        + "],".join(",".join([f"*{c}"] * 8) for c in "abcdef")
        + "]\nchecks: {RUN001: {}}\n",
        encoding="utf-8",
    )
    assert len(policy.read_bytes()) < 380
    code, out, err, rss = auditor("validate-policy", policy, cwd=tmp_path)
    assert code == 2, err
    assert one_error_line(err) == (
        f"{policy}:2: too many aliases: they expand the document to more than 100,000 nodes "
        "(a 'billion laughs' file?); write the values out instead"
    )
    assert rss < RSS_LIMIT_KB, f"peak RSS {rss} KB"
    assert out == ""


def test_self_referencing_alias_and_lone_surrogates_are_refused() -> None:
    with pytest.raises(LoadProblem, match="self-referencing alias"):
        parse_yaml("metadata: &m {again: *m}\n")
    with pytest.raises(LoadProblem, match="lone UTF-16 surrogate") as err:
        parse_yaml('metadata:\n  system: "\\ud800"\n')
    assert err.value.line == 2
    with pytest.raises(LoadProblem, match="lone UTF-16 surrogate"):
        parse_json('{"tool": {"name": "auditor", "version": "\\udc00"}}')
    assert parse_json('{"a": "\\ud83d\\ude00"}') == {"a": "😀"}  # a surrogate pair is fine
    with pytest.raises(LoadProblem, match=r"NaN is not a JSON number"):
        parse_json('{"a": "NaN", "b": NaN}')


def _nested_yaml(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("command", ["run", "validate-policy", "render", "diff", "baseline"])
def test_deep_nesting_exits_2_naming_the_file(
    tmp_path: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """YAML or JSON nested 500 levels: one line naming the file and the line (it used to be
    ``internal error: RecursionError``, no file named)."""
    data = tiny_data(tmp_path)
    out = tmp_path / "out"
    report = json.loads(REPORT.read_text(encoding="utf-8"))
    report["subject"]["metadata"] = {"x": json.loads(_nested_yaml(500))}
    deep_json = tmp_path / "deep.json"
    deep_json.write_text(json.dumps(report), encoding="utf-8")
    if command == "run":
        target = tmp_path / "audit.yaml"
        target.write_text(f"data: data.csv\nprediction: p\nmetadata:\n  x: {_nested_yaml(500)}\n")
        argv = ["run", "-c", str(target), "--out", str(out)]
        where, limit = f"{target}:4:104", 100
    elif command == "validate-policy":
        target = tmp_path / "deep.yaml"
        target.write_text(f"checks:\n  RUN001:\n    options: {{x: {_nested_yaml(500)}}}\n")
        argv = ["validate-policy", str(target)]
        where, limit = f"{target}:3:114", 100
    elif command == "render":
        target = deep_json
        argv = ["render", str(target), "--format", "md", "--out", str(tmp_path / "r.md")]
        where, limit = f"{target}:1:", 128
    elif command == "diff":
        target = deep_json
        argv = ["diff", str(REPORT), str(target)]
        where, limit = f"{target}:1:", 128
    else:
        target = deep_json
        argv = ["run", "--data", str(data), "--prediction", "p", "--policy",
                str(run_policy(tmp_path)), "--baseline", str(target), "--out", str(out)]  # fmt: skip
        where, limit = f"baseline {target}:1:", 128
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2
    line = one_error_line(captured.err)
    assert line.startswith(where) and line.endswith(f": nesting too deep (at most {limit} levels)")
    assert captured.out == ""
    assert not out.exists() and not (tmp_path / "r.md").exists()


# -- 3. extends: a memoised DAG --------------------------------------------------------------------


def _fan_out(folder: Path, n: int) -> Path:
    """``p0`` extends ``[p1, p1]``, ``p1`` extends ``[p2, p2]``, ...: 2**(n-1) paths to the last."""
    for i in range(n - 1):
        (folder / f"p{i}.yaml").write_text(
            f"name: p{i}\nextends: [p{i + 1}, p{i + 1}]\nchecks:\n  RUN001: {{}}\n",
            encoding="utf-8",
        )
    (folder / f"p{n - 1}.yaml").write_text(
        f"name: p{n - 1}\nchecks:\n  RUN001: {{}}\nwaivers:\n"
        f"  - {{check: RUN001, location: x, reason: accepted, expires: {SOON}}}\n",
        encoding="utf-8",
    )
    return folder / "p0.yaml"


def test_extends_fan_out_reads_each_pack_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """26 tiny packs, each extending the next twice: 2**25 paths. Before, every path was re-read
    and re-parsed (16 levels took 47 s, 26 never finished) and the last pack's waiver was copied
    2**25 times; now each pack is read once and contributes once."""
    root = _fan_out(tmp_path, 26)
    # in a subprocess with a timeout, so that a regression fails instead of hanging the suite
    probe = (
        "import sys, time\nfrom auditor.policy import load_policy\n"
        "t = time.perf_counter(); p = load_policy(sys.argv[1])\n"
        "print(time.perf_counter() - t, len(p.waivers), len(p.packs))\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True,
                          text=True, timeout=120, check=True)  # fmt: skip
    elapsed, waivers, packs = proc.stdout.split()
    assert float(elapsed) < 1.0, f"{float(elapsed):.2f} s to resolve 26 packs"
    assert (int(waivers), int(packs)) == (1, 26)
    # each pack is read (and parsed) exactly once
    reads: list[Path] = []
    real = policy_module.load_yaml_with_bytes

    def counting(path: Path, **kw: Any) -> tuple[Any, bytes]:
        reads.append(path)
        return real(path, **kw)

    monkeypatch.setattr(policy_module, "load_yaml_with_bytes", counting)
    policy = load_policy(root)
    assert sorted(p.name for p in reads) == sorted(f"p{i}.yaml" for i in range(26))
    assert [p.name for p in policy.packs] == [f"p{i}" for i in range(25, -1, -1)]
    assert [w.source for w in policy.waivers] == [f"{tmp_path / 'p25.yaml'}: waivers[0]"]


def test_extends_diamond_with_a_cycle_is_still_a_cycle(tmp_path: Path) -> None:
    """Memoising must not hide a cycle: a -> [b, c], b -> d, c -> d, d -> b."""
    for name, parents in (("a", "[b, c]"), ("b", "d"), ("c", "d"), ("d", "b")):
        (tmp_path / f"{name}.yaml").write_text(f"extends: {parents}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="extends: cycle through") as err:
        load_policy(tmp_path / "a.yaml")
    chain = str(err.value).split("cycle through ", 1)[1].split(" -> ")
    assert [Path(p).stem for p in chain] == ["a", "b", "d", "b"]


# -- 4. audit.json read back: validated up front ---------------------------------------------------


def _hiring() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REPORT.read_text(encoding="utf-8"))
    return data


def _schema_1(data: dict[str, Any]) -> dict[str, Any]:
    old = copy.deepcopy(data)
    old["schema_version"] = 1
    for r in old["results"]:
        for f in r["findings"]:
            for key in ("detail", "evidence_level", "related"):
                f.pop(key, None)
    return old


def _mutated(change: str) -> dict[str, Any]:
    data = _hiring()
    if change == "wrong-type":
        data["results"][3]["status"] = 7
    elif change == "missing-key":
        del data["results"][0]["findings"][0]["severity"]
    elif change == "version-3":
        data["schema_version"] = 3
    elif change == "read-contract":
        data["summary"]["waived"] = "none"
    return data


# the line of the report's top-level "verdict" key (the pinned report's run block may grow)
VERDICT_LINE = REPORT.read_bytes().split(b'"verdict":', 1)[0].count(b"\n") + 1

BAD_REPORTS: dict[str, tuple[Any, str]] = {
    # name: (file content: bytes, or a change to the hiring report; the message after the path)
    "truncated": (REPORT.read_bytes()[:200_000], r"^:\d+:\d+: not valid JSON: Expecting "),
    "not-utf8": (
        REPORT.read_bytes().replace(b'"auditor"', '"auditör"'.encode("latin-1"), 1),
        ":4: not valid UTF-8 (byte 55); save it as UTF-8",
    ),
    "duplicate-key": (
        REPORT.read_bytes().replace(b'"verdict":', b'"verdict": "pass", "verdict":', 1),
        f":{VERDICT_LINE}:22: duplicate key 'verdict' (first given on line {VERDICT_LINE}): a key "
        "may appear once in an object; remove one of them",
    ),
    "nan": (REPORT.read_bytes().replace(b'"duration_s": 0', b'"duration_s": NaN', 1), "not a JSON"),
    "wrong-type": (
        "wrong-type",
        ": not a valid auditor report: results[3].status: expected one of 'passed', 'failed', "
        "'waived', 'skipped', 'errored', got an integer",
    ),
    "missing-key": (
        "missing-key",
        ": not a valid auditor report: results[0].findings[0]: missing the required key 'severity'",
    ),
    "version-3": (
        "version-3",
        ": not a valid auditor report: schema_version: 3 is not a report version this auditor "
        "reads (1 or 2)",
    ),
    "read-contract": (
        "read-contract",
        ": not a valid auditor report: summary.waived: expected an integer, got a string",
    ),
}


def _write_bad(tmp_path: Path, name: str) -> Path:
    content, _ = BAD_REPORTS[name]
    path = tmp_path / f"{name}.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(json.dumps(_mutated(content), indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(BAD_REPORTS))
@pytest.mark.parametrize("command", ["render", "diff", "baseline"])
def test_bad_audit_json_exits_2_naming_file_and_place(
    tmp_path: Path, name: str, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Truncated, not UTF-8, duplicate keys, NaN, wrong types, missing keys, an unknown schema
    version, a type a renderer depends on: before, internal errors (``KeyError``, ``TypeError``)
    or exit 1 after the checks ran, no file named. Now exit 2 before anything renders, compares
    or runs, naming the file and the first bad path; nothing is written."""
    bad = _write_bad(tmp_path, name)
    out = tmp_path / "out"
    if command == "render":
        argv = ["render", str(bad), "--format", "md", "--out", str(tmp_path / "r.md")]
        prefix = str(bad)
    elif command == "diff":
        argv = ["diff", str(REPORT), str(bad)]
        prefix = str(bad)
    else:
        argv = ["run", "--data", str(tiny_data(tmp_path)), "--prediction", "p", "--policy",
                str(run_policy(tmp_path)), "--baseline", str(bad), "--out", str(out)]  # fmt: skip
        prefix = f"baseline {bad}"
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2
    line = one_error_line(captured.err)
    expected = BAD_REPORTS[name][1]
    assert line.startswith(prefix)
    rest = line.removeprefix(prefix)
    assert re.match(expected, rest) if expected.startswith("^") else expected in rest, line
    assert captured.out == ""
    assert not out.exists() and not (tmp_path / "r.md").exists()


def test_schema_versions_render_and_compare_like_with_like(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A schema 1 report still renders (validated against schema 1), and comparing it with a
    schema 2 report is refused by version, not by validation."""
    v1 = tmp_path / "v1.json"
    v1.write_text(json.dumps(_schema_1(_hiring())), encoding="utf-8")
    assert main(["render", str(v1), "--format", "md", "--out", str(tmp_path / "v1.md")]) == 0
    assert "Audit FAIL" in (tmp_path / "v1.md").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["diff", str(v1), str(REPORT)]) == 2
    assert one_error_line(capsys.readouterr().err) == (
        f"{v1} is a schema_version 1 report and {REPORT} schema_version 2: findings cannot be "
        "matched across versions (this auditor writes schema_version 2; re-run the older audit)"
    )
    v1_broken = _schema_1(_hiring())
    v1_broken["results"][0]["findings"][0]["status"] = "fixed"
    v1.write_text(json.dumps(v1_broken), encoding="utf-8")
    assert main(["render", str(v1), "--format", "md"]) == 2
    assert one_error_line(capsys.readouterr().err) == (
        f"{v1}: not a valid auditor report: results[0].findings[0].status: expected one of "
        "'failed', 'waived'"
    )


def test_a_fresh_report_is_a_valid_baseline(tmp_path: Path) -> None:
    """The validation accepts what auditor writes: run, then run again against that report
    (real subprocesses), then render and diff it."""
    data, policy = tiny_data(tmp_path), run_policy(tmp_path)
    common = ["--data", data, "--prediction", "p", "--policy", policy, "--format", "json"]
    code, _, err, _ = auditor("run", *common, "--out", tmp_path / "a", cwd=tmp_path)
    assert code == 0, err
    base = tmp_path / "a" / "audit.json"
    code, out, err, _ = auditor(
        "run", *common, "--out", tmp_path / "b", "--baseline", base, cwd=tmp_path
    )
    assert code == 0, err
    code, out, err, _ = auditor("diff", base, tmp_path / "b" / "audit.json", cwd=tmp_path)
    assert code == 0 and "0 new" in out, err
    code, out, err, _ = auditor("render", base, "--format", "md", cwd=tmp_path)
    assert code == 0 and "Audit PASS" in out, err


def test_report_from_json_validates(tmp_path: Path) -> None:
    bad = _write_bad(tmp_path, "missing-key")
    with pytest.raises(UsageError, match=r"results\[0\]\.findings\[0\]: missing the required key"):
        Report.from_json(bad)
    assert Report.from_json(REPORT).to_dict()["run"] == _hiring()["run"]


def test_schema_validator_knows_every_keyword_and_agrees_with_jsonschema() -> None:
    """The report schema is interpreted by auditor's own validator (jsonschema is a test extra
    only). It must know every keyword the schema uses, and agree with jsonschema on the validity
    of the hiring report and of each one-place change to it."""
    schema = report_schema(2)
    assert _schema_keywords(schema) - KEYWORDS - ANNOTATIONS == set()
    ours = SchemaValidator(schema)
    theirs = jsonschema.Draft202012Validator(schema)  # no format checker: date-time unchecked
    base = _hiring()
    for r in base["results"]:  # smaller: a few rows per table
        r["findings"] = r["findings"][:2]
        r["tables"] = {k: v[:2] for k, v in r["tables"].items()}

    def places(node: Any, path: tuple[Any, ...] = ()) -> Any:
        yield path
        if isinstance(node, dict):
            for k, v in node.items():
                yield from places(v, (*path, k))
        elif isinstance(node, list) and node:
            yield from places(node[0], (*path, 0))

    checked = disagreements = 0
    for path in list(places(base))[1:]:
        if path[-1] in ("started_at", "finished_at"):
            continue  # a date-time format only we check
        for value in ("x", 7, 1.5, None, [], {}, True, -1, "__delete__"):
            data = copy.deepcopy(base)
            parent = data
            for part in path[:-1]:
                parent = parent[part]
            if value == "__delete__":
                if isinstance(parent, list):
                    continue
                del parent[path[-1]]
            else:
                parent[path[-1]] = value
            checked += 1
            if ours.valid(data, schema) != theirs.is_valid(data):
                disagreements += 1
    assert checked > 2_000
    assert disagreements == 0


def test_real_files_are_well_within_the_limits() -> None:
    """The limits are far above what real files need: every bundled pack, example config, card and
    datasheet, and the bundled reports load and validate."""
    for pack in bundled_packs():
        load_policy(pack)
    for config in sorted((REPO / "examples").glob("*/audit.yaml")):
        load_yaml(config)
    for doc in (REPO / "examples" / "hiring" / "model_card.yaml", REPO / "examples" / "hiring"
                / "audit-card.yaml"):  # fmt: skip
        assert load_card(doc).fatal is None
    for report in sorted((REPO / "tests" / "reports").glob("**/*.json")):
        data = json.loads(report.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "schema_version" in data and "results" in data:
            assert report_problems(data) == [], report


# -- 5. validate-policy lists every problem --------------------------------------------------------


def test_validate_policy_lists_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before, only the first problem was shown, so fixing a policy took one run per mistake."""
    base = tmp_path / "base.yaml"
    base.write_text("name: base\nfail_on: severe\nchecks:\n  RUN001: {severity: huge}\n")
    policy = tmp_path / "team.yaml"
    policy.write_text(
        "name: team\n"
        "extends: [./base.yaml, ./base.yaml]\n"  # reported once, however often it is reached
        "colour: blue\n"
        "checks:\n"
        "  FAIR001: {enabled: maybe, options: {threshold: high}}\n"
        "  NOPE123: {}\n"
        "waivers:\n"
        f"  - {{check: FAIR001, location: x, expires: {SOON}}}\n"
        f"  - {{check: ZZZ9, location: x, reason: r, expires: {SOON}}}\n"
        "regressions:\n"
        "  FAIR001.impact_ratio: {max_drop: -1}\n"
        "  hit_rate: {max_rise: 0.1}\n",
        encoding="utf-8",
    )
    code = main(["validate-policy", str(policy)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert all(line.startswith("auditor: error: ") for line in lines)
    problems = [line.removeprefix("auditor: error: ") for line in lines]
    # in file order: the pack's own problems, its base's (once), then what the installed checks
    # say (the wording after the place belongs to the code that checks it)
    expected = [
        f"{policy}: colour: unknown key (allowed: allow_wildcard_waivers, checks, description, "
        "dropped_inputs, extends, fail_on, max_waiver_days, name, regressions, version, waivers)",
        f"{base}: fail_on: unknown severity 'severe'",
        f"{base}: checks.RUN001.severity: unknown severity 'huge'",
        f"{policy}: checks.FAIR001.enabled: expected true or false, got 'maybe'",
        f"{policy}: waivers[0].reason: required (a waiver needs check, location, reason, expires)",
        f"{policy}: regressions.FAIR001.impact_ratio.max_drop: expected a number >= 0, got -1",
        f"{policy}: checks.FAIR001.options.threshold: expected ",
        f"{policy}: checks.NOPE123: unknown check id or prefix 'NOPE123'",
        f"{policy}: waivers[1].check: 'ZZZ9' matches no installed check id or prefix",
    ]
    assert len(problems) == len(expected), problems
    for got, want in zip(problems, expected, strict=True):
        assert got.startswith(want), (got, want)


def test_validate_policy_lists_every_duplicate_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "dup.yaml"
    policy.write_text(
        "name: dup\nfail_on: high\nchecks:\n  RUN001: {}\n  RUN001: false\nfail_on: low\n",
        encoding="utf-8",
    )
    assert main(["validate-policy", str(policy)]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"auditor: error: {policy}:5:3: duplicate key 'checks.RUN001' (first given on line 4): a "
        "key may appear once in a mapping; remove one of them",
        f"auditor: error: {policy}:6: duplicate key 'fail_on' (first given on line 2): a key may "
        "appear once in a mapping; remove one of them",
    ]
    # a run names the first, and how many more
    with pytest.raises(ConfigError, match=r":5:3: duplicate key 'checks\.RUN001' .*\(and 1 more "
                       r"duplicate key\)$"):  # fmt: skip
        load_policy(policy)


def test_a_set_value_is_read_by_the_strict_bounded_reader() -> None:
    """``--set`` values go through the same reader as files: an alias bomb on the command line is
    refused (it used to expand with plain SafeLoader); text that is not YAML stays text."""
    from auditor.errors import ConfigError
    from auditor.options import coerce_cli_value

    assert coerce_cli_value("2026-11-20") == "2026-11-20"  # dates stay text, as options expect
    assert coerce_cli_value("[a, b]") == ["a", "b"]
    assert coerce_cli_value("a: [") == "a: ["
    levels = ["&a [" + ",".join(["x"] * 9) + "]"]
    levels += [f"&{c} [" + ",".join([f"*{p}"] * 9) + "]" for p, c in zip("abcde", "bcdef")]
    with pytest.raises(ConfigError, match=r"^--set value .*too many aliases"):
        coerce_cli_value("[" + ",".join(levels) + "]")


def test_a_report_that_is_not_a_regular_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    """``load_baseline`` from the Python API: a FIFO used to block forever, ``/dev/zero`` was read
    up to the 200 MB cap; both are refused before any byte is read."""
    import os

    from auditor.baseline import load_baseline
    from auditor.errors import UsageError

    fifo = tmp_path / "audit.json"
    os.mkfifo(fifo)
    with pytest.raises(
        UsageError, match=r"is not a regular file \(named pipe\); the baseline must be a file"
    ):
        load_baseline(fifo)
    with pytest.raises(UsageError, match=r"^/dev/zero is not a regular file \(character device\)"):
        load_baseline("/dev/zero")
