"""Hostile paths: outputs never clobber inputs, inputs are regular files, the output folder is a
real writable directory, and manifest.json records no absolute home paths (issue 11)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from auditor import audit
from auditor.cli import main
from auditor.errors import UsageError
from auditor.resources import rules_dir

REPO = Path(__file__).resolve().parents[2]
#: one cheap check keeps each run short; what is tested is what happens around the run
TINY_POLICY = "version: 1\nname: tiny\nfail_on: high\nchecks:\n  FAIR001: {}\n"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    path = tmp_path / "data.csv"
    frame = pd.DataFrame({"sex": ["F", "M"] * 8, "y": [1, 0, 1, 1] * 4, "p": [1, 0, 0, 1] * 4})
    frame.to_csv(path, index=False)
    return path


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_POLICY)
    return path


def base_argv(data: Path, policy: Path) -> list[str]:
    return ["run", "--data", str(data), "--prediction", "p", "--target", "y",
            "--sensitive", "sex", "--policy", str(policy)]  # fmt: skip


def assert_refused(code: int, err: str, *needles: str) -> None:
    assert code == 2, err
    assert err.startswith("auditor: error: ") and err.count("\n") == 1, err
    for needle in needles:
        assert needle in err, (needle, err)


# -- the output folder ---------------------------------------------------------------------------


def test_out_under_proc_is_refused_before_the_run(
    data: Path, policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # os.access says /proc is writable for root; mkdir says no: only a real probe finds out
    code, out, err = run([*base_argv(data, policy), "--out", "/proc/auditor-out"], capsys)
    assert_refused(code, err, "/proc/auditor-out: output directory is not writable: cannot create")
    assert out == "" and not Path("/proc/auditor-out").exists()


def test_out_probe_leaves_no_folder_behind(
    tmp_path: Path, data: Path, policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # the probe makes the missing folders to write in them, then removes them: an input error
    # found after the probe (an unknown column) leaves nothing behind
    out = tmp_path / "a" / "b" / "c"
    argv = [*base_argv(data, policy), "--out", str(out)]
    argv[argv.index("--target") + 1] = "nope"
    code, _, err = run(argv, capsys)
    assert_refused(code, err, "target column 'nope' not found")
    assert not (tmp_path / "a").exists()


def test_empty_out_is_an_error_not_the_current_folder(
    tmp_path: Path,
    data: Path,
    policy: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    code, _, err = run([*base_argv(data, policy), "--out", ""], capsys)
    assert_refused(code, err, "argument --out: empty path")
    assert list(cwd.iterdir()) == []


def test_empty_out_in_the_config_is_an_error(
    tmp_path: Path, data: Path, policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "audit.yaml"
    config.write_text(
        f"data: {data.name}\nprediction: p\ntarget: y\nsensitive: [sex]\npolicy: tiny.yaml\n"
        'out: ""\n'
    )
    before = sorted(p.name for p in tmp_path.iterdir())
    code, _, err = run(["run", "--config", str(config)], capsys)
    assert_refused(code, err, "audit.yaml: out: empty path")
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no audit.json beside it


# -- inputs inside --out -------------------------------------------------------------------------


def test_policy_named_audit_md_inside_out_is_not_overwritten(
    tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    out.mkdir()
    pol = out / "audit.md"
    pol.write_text(TINY_POLICY)
    code, _, err = run([*base_argv(data, pol), "--out", str(out)], capsys)
    assert_refused(code, err, f"writing {out}/audit.md would overwrite the policy file {pol}")
    assert pol.read_text() == TINY_POLICY
    assert sorted(p.name for p in out.iterdir()) == ["audit.md"]  # nothing ran, nothing written


def test_policy_reached_through_dotdot_is_not_overwritten(
    tmp_path: Path, data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    (out / "sub").mkdir(parents=True)
    (out / "audit.md").write_text(TINY_POLICY)
    pol = out / "sub" / ".." / "audit.md"
    code, _, err = run([*base_argv(data, pol), "--out", str(out), "--format", "md"], capsys)
    assert_refused(code, err, "would overwrite the policy file", "(the same file)")
    assert (out / "audit.md").read_text() == TINY_POLICY


def test_baseline_audit_json_inside_out_is_not_overwritten(
    tmp_path: Path, data: Path, policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "first"
    code, _, err = run([*base_argv(data, policy), "--out", str(first), "--format", "json"], capsys)
    assert code in (0, 1), err
    baseline = first / "audit.json"
    digest = sha(baseline)
    code, _, err = run(
        [*base_argv(data, policy), "--out", str(first), "--baseline", str(baseline)], capsys
    )
    assert_refused(code, err, f"would overwrite the baseline {baseline}")
    assert sha(baseline) == digest


def test_card_whose_file_lives_in_out_under_a_link_is_not_overwritten(
    tmp_path: Path, data: Path, policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    out.mkdir()
    card_text = "# My model\n\nA model card.\n"
    (out / "audit.md").write_text(card_text)
    link = tmp_path / "README.md"
    link.symlink_to(out / "audit.md")  # the card given by a link whose file is out/audit.md
    code, _, err = run([*base_argv(data, policy), "--out", str(out), "--card", str(link)], capsys)
    assert_refused(code, err, f"would overwrite the model card {link} (the same file)")
    assert (out / "audit.md").read_text() == card_text


def test_card_hard_linked_as_the_manifest_is_not_overwritten(
    tmp_path: Path, data: Path, policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    out.mkdir()
    card = tmp_path / "card.json"
    card.write_text('{"model_details": {"name": "m"}}\n')
    os.link(card, out / "manifest.json")
    code, _, err = run([*base_argv(data, policy), "--out", str(out), "--card", str(card)], capsys)
    assert_refused(code, err, "manifest.json would overwrite the model card", "(a hard link to it)")
    assert card.read_text() == '{"model_details": {"name": "m"}}\n'


def test_parquet_dataset_folder_as_out_is_refused(
    tmp_path: Path, policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "lake"
    folder.mkdir()
    pd.DataFrame({"sex": ["F", "M"] * 8, "p": [1, 0] * 8}).to_parquet(folder / "part-0.parquet")
    code, _, err = run(["run", "--data", str(folder), "--prediction", "p", "--sensitive", "sex",
                        "--policy", str(policy), "--out", str(folder)], capsys)  # fmt: skip
    assert_refused(code, err, f"the output directory {folder} is inside the dataset {folder}")
    assert sorted(p.name for p in folder.iterdir()) == ["part-0.parquet"]


def test_templates_folder_as_out_is_refused(
    tmp_path: Path, data: Path, policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "extra.css").write_text("/* mine */")
    code, _, err = run([*base_argv(data, policy), "--templates", str(templates),
                        "--out", str(templates / "out")], capsys)  # fmt: skip
    assert_refused(code, err, "is inside the templates folder")
    assert sorted(p.name for p in templates.iterdir()) == ["extra.css"]


def test_a_link_named_like_an_output_is_replaced_not_written_through(
    tmp_path: Path, data: Path, policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report"
    out.mkdir()
    elsewhere = tmp_path / "notes.txt"  # not an input: the run may replace the link, not the file
    elsewhere.write_text("my notes\n")
    (out / "manifest.json").symlink_to(elsewhere)
    code, _, err = run([*base_argv(data, policy), "--out", str(out), "--format", "json"], capsys)
    assert code in (0, 1), err
    assert elsewhere.read_text() == "my notes\n"
    manifest = out / "manifest.json"
    assert not manifest.is_symlink() and json.loads(manifest.read_text())["manifest_version"] == 2


def test_report_write_from_the_api_refuses_to_overwrite_its_card(tmp_path: Path) -> None:
    out = tmp_path / "report"
    out.mkdir()
    card = out / "audit.md"
    card.write_text("# Model card\n\nA card kept in the report folder.\n")
    frame = pd.DataFrame({"sex": ["F", "M"] * 8, "p": [1, 0, 0, 1] * 4})
    report = audit(frame, prediction="p", sensitive=["sex"], card=card,
                   policy={"checks": {"FAIR001": {}}})  # fmt: skip
    with pytest.raises(UsageError, match=r"audit\.md would overwrite the model card"):
        report.write(out, ("json", "md"))
    assert card.read_text() == "# Model card\n\nA card kept in the report folder.\n"
    assert not (out / "audit.json").exists()  # refused before anything was written


# -- render --out ---------------------------------------------------------------------------------


@pytest.fixture
def report_json(
    tmp_path: Path, data: Path, policy: Path, capsys: pytest.CaptureFixture[str]
) -> Path:
    out = tmp_path / "first"
    code, _, err = run([*base_argv(data, policy), "--out", str(out), "--format", "json"], capsys)
    assert code in (0, 1), err
    return out / "audit.json"


@pytest.mark.parametrize("how", ["same path", "symlink", "hard link", "dotdot"])
def test_render_out_naming_its_own_input_is_refused(
    how: str, tmp_path: Path, report_json: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    digest = sha(report_json)
    if how == "same path":
        target = report_json
    elif how == "symlink":
        target = tmp_path / "link.json"
        target.symlink_to(report_json)
    elif how == "hard link":
        target = tmp_path / "hard.json"
        os.link(report_json, target)
    else:
        (report_json.parent / "x").mkdir()
        target = report_json.parent / "x" / ".." / "audit.json"
    code, out, err = run(["render", str(report_json), "--format", "md", "--out", str(target)],
                         capsys)  # fmt: skip
    assert_refused(code, err, f"would overwrite the report {report_json}")
    assert out == "" and sha(report_json) == digest


def test_render_out_to_a_folder_is_refused(
    tmp_path: Path, report_json: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["render", str(report_json), "--format", "md", "--out", str(tmp_path)],
                       capsys)  # fmt: skip
    assert_refused(code, err, f"--out {tmp_path}: is a directory")


# -- inputs that are not regular files -----------------------------------------------------------


@pytest.fixture
def specials(tmp_path: Path) -> dict[str, Path]:
    fifo_csv, fifo_parquet, fifo_yaml = (tmp_path / n for n in ("d.csv", "d.parquet", "p.yaml"))
    for fifo in (fifo_csv, fifo_parquet, fifo_yaml):
        os.mkfifo(fifo)
    folder = tmp_path / "folder.json"
    folder.mkdir()
    return {"fifo.csv": fifo_csv, "fifo.parquet": fifo_parquet, "fifo.yaml": fifo_yaml,
            "folder": folder}  # fmt: skip


CASES = [
    ("--card", "/dev/zero", "/dev/zero is not a regular file (character device); the model card"),
    ("--datasheet", "/dev/null", "/dev/null is not a regular file (character device); the datasheet"),
    ("--model", "/dev/zero", "/dev/zero is not a regular file (character device); the model file"),
    ("--data", "fifo.csv", "d.csv is not a regular file (named pipe); the data file must be"),
    ("--data", "fifo.parquet", "d.parquet is not a regular file (named pipe); the data file"),
    ("--policy", "fifo.yaml", "p.yaml is not a regular file (named pipe); the policy file"),
    ("--baseline", "folder", "folder.json is not a regular file (directory); the baseline report"),
    ("--config", "folder", "folder.json is not a regular file (directory); the config file"),
    ("--templates", "/dev/null", "/dev/null is not a directory (character device); --templates"),
]  # fmt: skip


@pytest.mark.parametrize(("flag", "what", "message"), CASES, ids=[f"{c[0]} {c[1]}" for c in CASES])
def test_input_that_is_not_a_regular_file_says_what_it_is(
    flag: str,
    what: str,
    message: str,
    tmp_path: Path,
    data: Path,
    policy: Path,
    specials: dict[str, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    value = str(specials.get(what, what))
    argv = [*base_argv(data, policy), "--out", str(tmp_path / "out")]
    if flag in ("--data", "--policy"):
        argv[argv.index(flag) + 1] = value
    else:
        argv += [flag, value]
    code, _, err = run(argv, capsys)
    assert_refused(code, err, message)
    assert not (tmp_path / "out").exists()


def test_render_report_that_is_a_folder_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["render", str(tmp_path), "--format", "md"], capsys)
    assert_refused(code, err, "is not a regular file (directory); the report must be a file")


def test_api_card_that_is_a_device_says_so() -> None:
    frame = pd.DataFrame({"sex": ["F", "M"] * 8, "p": [1, 0, 0, 1] * 4})
    with pytest.raises(UsageError, match=r"^/dev/zero is not a regular file \(character device\)"):
        audit(frame, prediction="p", sensitive=["sex"], card="/dev/zero")


def test_parquet_folder_is_still_accepted_as_data(
    tmp_path: Path, policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "lake"
    folder.mkdir()
    frame = pd.DataFrame({"sex": ["F", "M"] * 8, "p": [1, 0, 0, 1] * 4})
    frame.iloc[:8].to_parquet(folder / "part-0.parquet")
    frame.iloc[8:].to_parquet(folder / "part-1.parquet")
    out = tmp_path / "out"
    code, _, err = run(["run", "--data", str(folder), "--prediction", "p", "--sensitive", "sex",
                        "--policy", str(policy), "--out", str(out), "--format", "json"],
                       capsys)  # fmt: skip
    report = json.loads((out / "audit.json").read_text())
    assert code == (0 if report["verdict"] == "pass" else 1), err
    assert report["inputs"]["dataset"]["rows"] == 16


# -- manifest.json paths --------------------------------------------------------------------------


def test_manifest_paths_are_relative_to_the_report_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    pd.DataFrame({"sex": ["F", "M"] * 8, "y": [1, 0, 1, 1] * 4, "p": [1, 0, 0, 1] * 4}).to_csv(
        project / "data" / "d.csv", index=False
    )
    (project / "policy.yaml").write_text(f"extends: default\n{TINY_POLICY}")
    (project / "card.yaml").write_text("model_details:\n  name: m\n")
    config = project / "audit.yaml"
    config.write_text(
        "data: data/d.csv\nprediction: p\ntarget: y\nsensitive: [sex]\npolicy: policy.yaml\n"
        "card: card.yaml\nout: reports/run1\nformat: json\n"
    )
    code, _, err = run(["run", "--config", str(config)], capsys)
    assert code in (0, 1), err
    manifest = json.loads((project / "reports" / "run1" / "manifest.json").read_text())
    assert manifest["manifest_version"] == 2
    paths = {i["role"]: i["path"] for i in manifest["inputs"]}
    assert paths == {
        "dataset": "../../data/d.csv",
        "model_card": "../../card.yaml",
        "policy:default": "auditor:rules/default.yaml",
        "policy:tiny": "../../policy.yaml",
        "config": "../../audit.yaml",
    }
    # each path resolves from the manifest's folder to the file it hashes
    for item in manifest["inputs"]:
        if not item["path"].startswith("auditor:"):
            target = project / "reports" / "run1" / item["path"]
            assert hashlib.sha256(target.read_bytes()).hexdigest() == item["sha256"]
    assert all(o["path"] == Path(o["path"]).name for o in manifest["outputs"])


def test_manifest_never_records_an_absolute_home_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from auditor.manifest import portable_path

    home = tmp_path / "home" / "alice"
    (home / "data").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    # an input that shares only the root with the output folder: ~/..., not /…/alice/...
    assert portable_path(home / "data" / "d.csv", "/var/tmp/out") == "~/data/d.csv"
    # shared folders: relative
    assert portable_path(home / "data" / "d.csv", home / "reports") == "../data/d.csv"
    assert portable_path("/srv/shared/d.csv", "/var/tmp/out") == "/srv/shared/d.csv"
    assert portable_path(rules_dir() / "gdpr.yaml", "/var/tmp/out") == "auditor:rules/gdpr.yaml"


def test_card_draft_force_never_overwrites_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    project = tmp_path / "hiring"
    shutil.copytree(REPO / "examples" / "hiring", project)
    config = project / "audit.yaml"
    digest = sha(config)
    code, _, err = run(
        ["card", "draft", "--config", str(config), "--out", str(config), "--force"], capsys
    )
    assert_refused(code, err, f"writing {config} would overwrite the config {config}")
    assert sha(config) == digest
