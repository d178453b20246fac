"""Templates are data, not code (issue 11, item 1): ``--templates DIR`` renders in a sandbox
with a loader confined to ``DIR`` and a render budget, and ``DIR`` is checked (syntax, includes,
variables, a trial render) before any check runs, exit 2 naming the file and line.

The payloads run through the real CLI (``python -m auditor``, real jinja2) in ``run`` and
``render``; the budget is tested in process with small limits.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import jinja2
import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

import auditor.render.sandbox as sandbox
from auditor.render import render
from auditor.render._jinja import environment
from auditor.render.sample import sample_report
from auditor.render.sandbox import TemplateAccessError, TemplateError, TemplatesLoader
from auditor.render.templates import validate_templates
from auditor.resources import templates_dir

CANARY = "CANARY-7f3a9d-not-a-template"


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "auditor", *args],
        cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def report_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "audit.json"
    path.write_text(json.dumps(sample_report()), encoding="utf-8")
    return path


@pytest.fixture
def data_csv(tmp_path: Path) -> Path:
    path = tmp_path / "data.csv"
    rows = ["sex,y,p"] + [f"{'F' if i % 2 else 'M'},{i % 3 % 2},{i % 5 % 2}" for i in range(60)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _folder(root: Path, files: dict[str, str]) -> Path:
    folder = root / "tpl"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


# -- the payloads, through the CLI -----------------------------------------------------------------


def _payloads(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """name -> (report.md.j2, what the one error line must say)."""
    marker = tmp_path / "pwned"
    return {
        "cycler-globals": (
            f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}; id').read() }}}}",
            "report.md.j2:1: not allowed in a template: access to attribute '__init__'",
        ),
        "lipsum-globals": (
            f"{{{{ lipsum.__globals__['os'].system('touch {marker}') }}}}",
            "report.md.j2:1: 'lipsum' is undefined",
        ),
        "subclasses": (
            "x\n{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "report.md.j2:2: not allowed in a template: access to attribute '__class__'",
        ),
        "include-absolute": (
            "{% include '/etc/passwd' %}",
            "report.md.j2:1: template name '/etc/passwd' is not allowed",
        ),
        "include-dotdot": (
            "{% include '../../../etc/passwd' ignore missing %}",
            "report.md.j2:1: template name '../../../etc/passwd' is not allowed",
        ),
        "huge-range": (
            "{% for i in range(10**9) %}{{ i }}{% endfor %}",
            "report.md.j2:1: render budget exceeded: Range too big",
        ),
        "str-format": (
            "{{ '{0.__class__}'.format(data) }}",
            "report.md.j2:1: not allowed in a template: access to attribute 'format' of 'str'",
        ),
    }


@pytest.mark.parametrize("command", ["run", "render"])
def test_sandbox_payloads_exit_2_before_anything_runs(
    command: str, tmp_path: Path, data_csv: Path, report_json: Path
) -> None:
    out = tmp_path / "out"
    for name, (template, expected) in _payloads(tmp_path).items():
        folder = _folder(tmp_path / name, {"report.md.j2": template})
        if command == "run":
            args = ["run", "--data", str(data_csv), "--target", "y", "--prediction", "p",
                    "--sensitive", "sex", "--positive-label", "1", "--out", str(out),
                    "--format", "json,md", "--templates", str(folder)]  # fmt: skip
        else:
            args = ["render", str(report_json), "--format", "md", "--templates", str(folder),
                    "--out", str(out / "audit.md")]  # fmt: skip
        proc = _cli(*args, cwd=tmp_path)
        assert proc.returncode == 2, (name, proc.stderr)
        assert proc.stderr.startswith("auditor: error: "), (name, proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1, (name, proc.stderr)
        assert f"{folder}/" in proc.stderr and expected in proc.stderr, (name, proc.stderr)
        assert proc.stdout == "", (name, proc.stdout)  # no verdict: no check ran
        assert "uid=" not in proc.stderr  # `id` never ran
        assert not out.exists(), name  # nothing written
    assert not (tmp_path / "pwned").exists()


def test_symlink_inside_the_folder_to_a_file_outside(
    tmp_path: Path, data_csv: Path, report_json: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(CANARY, encoding="utf-8")
    folder = _folder(tmp_path, {"report.md.j2": "{% include 'notes.j2' %}"})
    os.symlink(secret, folder / "notes.j2")
    for args in (
        ["render", str(report_json), "--format", "md", "--templates", str(folder)],
        ["run", "--data", str(data_csv), "--prediction", "p", "--sensitive", "sex",
         "--positive-label", "1", "--out", str(tmp_path / "out"), "--templates", str(folder)],
    ):  # fmt: skip
        proc = _cli(*args, cwd=tmp_path)
        assert proc.returncode == 2, proc.stderr
        assert (
            f"{folder}/notes.j2: a symbolic link that leads outside the templates folder"
            in proc.stderr
        )
        assert CANARY not in proc.stdout + proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_link_that_stays_inside_the_folder_is_fine(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path,
        {"parts/row.md.j2": "run {{ data.run.id }}", "report.md.j2": "{% include 'row.md.j2' %}\n"},
    )
    os.symlink(folder / "parts" / "row.md.j2", folder / "row.md.j2")
    validate_templates(folder)
    assert render(sample_report(), "md", folder) == "run sample"


def test_any_link_out_of_the_folder_is_refused_even_if_unused(tmp_path: Path) -> None:
    """The manifest hashes every file of the folder: a link out is refused up front."""
    folder = _folder(tmp_path, {"report.md.j2": "ok\n"})
    os.symlink("/etc", folder / "etc")
    with pytest.raises(TemplateError, match=r"tpl/etc: a symbolic link that leads outside"):
        validate_templates(folder)


# -- checked before any check runs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"report.md.j2": "a\n{% for x in %}\n"},
         "report.md.j2:2: template syntax error: Expected an expression"),
        ({"report.md.j2": "a\n{% if false %}{{ nosuchvar }}{% endif %}\n"},
         "report.md.j2:2: 'nosuchvar' is undefined (report.md.j2 gets attention, baseline,"),
        ({"report.md.j2": "a\n\n{{ data.run.nosuch }}\n"},
         "report.md.j2:3: 'dict object' has no attribute 'nosuch'"),
        ({"report.html.j2": "<p>\n{% include 'missing.j2' %}</p>\n"},
         "report.html.j2:2: no template 'missing.j2' in the templates folder or the bundled"),
        ({"report.md.j2": "{% include 'part.j2' %}\n", "part.j2": "ok\n{{ x ]] }}\n"},
         "part.j2:2: template syntax error: "),
        ({"ll144.md.j2": "{% set ns = namespace(s='x') %}{% for i in range(40) %}"
                         "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}\n"},
         "ll144.md.j2:1: render budget exceeded: a '~' concatenation would be"),
        ({"report.fragment.html.j2": "{{ data.pop('run') }}"},
         "report.fragment.html.j2:1: not allowed in a template: access to attribute 'pop'"),
    ],
)  # fmt: skip
def test_validate_templates_names_file_and_line(
    files: dict[str, str], expected: str, tmp_path: Path
) -> None:
    folder = _folder(tmp_path, files)
    with pytest.raises(TemplateError) as err:
        validate_templates(folder)
    assert str(err.value).startswith(str(folder) + "/")
    assert expected in str(err.value)


def test_run_refuses_a_bad_template_before_the_checks(tmp_path: Path, data_csv: Path) -> None:
    """An undefined variable in a branch the data would take only sometimes: found up front."""
    folder = _folder(
        tmp_path, {"report.md.j2": "{% if findings %}\n{{ finding_count }}\n{% endif %}\n"}
    )
    out = tmp_path / "out"
    proc = _cli("run", "--data", str(data_csv), "--prediction", "p", "--sensitive", "sex",
                "--positive-label", "1", "--out", str(out), "--templates", str(folder),
                cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr == (
        f"auditor: error: {folder}/report.md.j2:2: 'finding_count' is undefined "
        f"(report.md.j2 gets {', '.join(_context('report.md.j2'))}; see docs/reports.md)\n"
    )
    assert proc.stdout == "" and not out.exists()


def _context(name: str) -> tuple[str, ...]:
    from auditor.render.templates import template_context

    return template_context(name)


def test_a_good_template_folder_renders(tmp_path: Path, data_csv: Path) -> None:
    """Macros, imports, includes, loops, filters and the report's own data all work."""
    folder = _folder(
        tmp_path,
        {
            "macros.md.j2": "{% macro row(f) %}| {{ f.check | md_code }} | {{ f.message }} |{% endmacro %}",
            "parts/row.md.j2": "{{ f.subject }}",
            "report.md.j2": (
                "{% import 'macros.md.j2' as m %}# {{ data.run.id }} {{ verdict_label }}\n"
                "{% for f in findings %}{{ m.row(f) }} {% include 'parts/row.md.j2' %}\n{% endfor %}"
                "{% set tail %}{{ findings | map(attribute='check') | unique | join(', ') }} "
                "{{ '%.1f' | format(1.25) }} {{ 'a-b' | replace('-', '+') }}{% endset %}"
                "{{ tail }} {{ loop is defined }} {{ nothing | default('none') }}\n"
            ),
        },
    )
    out = tmp_path / "out"
    proc = _cli("run", "--data", str(data_csv), "--target", "y", "--prediction", "p",
                "--sensitive", "sex", "--positive-label", "1", "--out", str(out),
                "--format", "json,md", "--templates", str(folder), cwd=tmp_path)  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    md = (out / "audit.md").read_text(encoding="utf-8")
    report = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    assert md.startswith(f"# {report['run']['id']} ")
    assert md.endswith(" 1.2 a+b False none\n")  # macros and set blocks are not escaped twice
    assert re.search(r"^\| `[A-Z]+[0-9]{3}` \| ", md, re.MULTILINE)
    data = sample_report()
    data["results"][1]["findings"][0]["message"] = "[x](https://evil.example/m) <b>"
    data["results"][1]["findings"][0]["location"] = "feature:![y](https://evil.example/l)"
    md = render(data, "md", folder)
    assert "| `FAIR003` | \\[x\\](https:\\//evil\\.example/m) &lt;b&gt; | " in md
    assert "| !\\[y\\](https:\\//evil\\.example/l)" in md  # the subject, from a partial


def test_an_html_partial_cannot_print_into_markdown(tmp_path: Path) -> None:
    """A partial has its document's format: one named as HTML would escape for HTML only (a
    link would survive into the Markdown), so it is refused, up front and at render time."""
    folder = _folder(
        tmp_path, {"report.md.j2": "{% include 'row.html' %}", "row.html": "{{ data.run.id }}"}
    )
    with pytest.raises(
        TemplateError,
        match=r"report\.md\.j2:1: 'row\.html' is named as HTML in a Markdown template",
    ):
        validate_templates(folder)
    with pytest.raises(
        TemplateError,
        match=r"row\.html:1: a template named as HTML prints into a Markdown document",
    ):
        render(sample_report(), "md", folder)


# -- the sandbox itself ------------------------------------------------------------------------------


def test_bundled_templates_render_in_the_immutable_sandbox() -> None:
    env = environment()
    assert isinstance(env, ImmutableSandboxedEnvironment)
    assert env.undefined is jinja2.StrictUndefined
    assert "lipsum" not in env.globals
    for fmt in ("md", "html", "ll144-md", "ll144-html"):
        assert render(sample_report(), fmt)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ data.items.__self__ }}", "'__self__'"),
        ("{{ data.results.append(1) }}", "'append'"),
        ("{{ data.run.update({}) }}", "'update'"),
        ("{{ 'x'.ljust(9) }}", "'ljust'"),
        ("{{ 'x'.encode() }}", "'encode'"),
        ("{{ joiner.__call__.__globals__ }}", "'__call__'"),
        ("{{ (data.items() | list)[0].__class__ }}", "'__class__'"),
    ],
)
def test_only_listed_methods_are_reachable(source: str, message: str, tmp_path: Path) -> None:
    folder = _folder(tmp_path, {"report.md.j2": source})
    with pytest.raises(
        TemplateError, match=f"report.md.j2:1: not allowed in a template: .*{message}"
    ):
        render(sample_report(), "md", folder)


def test_loader_names_are_paths_inside_the_folder(tmp_path: Path) -> None:
    loader = TemplatesLoader(tmp_path, templates_dir())
    for bad in ("/etc/passwd", "../x.j2", "a/../../x.j2", "a\\b.j2", "C:/x.j2", "./x.j2", "a//b"):
        with pytest.raises(TemplateAccessError, match="is not allowed"):
            loader.split(bad)
    assert loader.split("parts/row.j2") == ["parts", "row.j2"]
    (tmp_path / "big.j2").write_text("x" * (loader.max_bytes + 1))
    with pytest.raises(TemplateAccessError, match="larger than"):
        loader.get_source(environment(tmp_path), "big.j2")
    (tmp_path / "bin.j2").write_bytes(b"\xff\xfe\x00")
    with pytest.raises(TemplateAccessError, match="not UTF-8"):
        loader.get_source(environment(tmp_path), "bin.j2")


# -- the budget ----------------------------------------------------------------------------------------

SMALL = sandbox.RenderLimits(operations=20_000, output=50_000, value=10_000, seconds=5.0, width=100)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}",
         "more than 20,000 template operations"),
        ("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}", "recursion"),
        ("{% for i in range(100) %}" + "x" * 1000 + "{% endfor %}", "more than 50,000 characters"),
        ("{% set ns = namespace(s='ab') %}{% for i in range(30) %}{% set t %}{{ ns.s }}{{ ns.s }}"
         "{% endset %}{% set ns.s = t %}{% endfor %}", "characters of output"),
        ("{% set ns = namespace(s='ab') %}{% for i in range(30) %}{% set ns.s = ns.s ~ ns.s %}"
         "{% endfor %}", "a '~' concatenation would be"),
        ("{{ 'x' * 100000 }}", "a repeated value would be 100,000"),
        ("{{ [1] * 100000 }}", "a repeated value would be"),
        ("{{ 7 ** 100000 }}", "bits"),
        ("{{ 'x' | center(1000000) }}", "a center width 1,000,000 is above 100"),
        ("{{ ('x\\n' * 500) | indent(100) }}", "an indented text would be 51,100"),
        ("{{ '%5000s' | format(1) }}", "a format width or precision 5,000 is above 100"),
        ("{{ '%*s' % (9, 1) }}", "'*' width"),
        ("{{ ('x' * 9000) | replace('x', 'yy') }}", "a replace() result would be 18,000"),
        ("{{ ('x' * 9000).replace('x', 'yy') }}", "a replace() result would be 18,000"),
        ("{{ ['x' * 9000, 'y' * 9000] | join }}", "a joined string would be 18,000"),
        ("{{ ','.join(['x' * 9000, 'y' * 9000]) }}", "a joined string would be 18,001"),
        ("{% set ns = namespace(l=[1]) %}{% for i in range(30) %}{% set ns.l = [ns.l, ns.l] %}"
         "{% endfor %}{{ ns.l }}", "a printed value would be"),
        ("{{ range(5) | batch(1000000, 0) | list }}", "a batch size 1,000,000 is above 100"),
        ("{{ data | tojson(indent=1000000) }}", "a JSON indent 1,000,000 is above 100"),
    ],
)  # fmt: skip
def test_render_budget(
    source: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox, "USER_LIMITS", SMALL)
    folder = _folder(tmp_path, {"report.md.j2": source})
    with pytest.raises(TemplateError, match=r"report\.md\.j2:1: ") as err:
        render(sample_report(), "md", folder)
    assert message in str(err.value)


def test_render_budget_wall_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "USER_LIMITS", replace(SMALL, operations=10**9, seconds=0.2))
    folder = _folder(
        tmp_path,
        {
            "report.md.j2": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
        },
    )
    with pytest.raises(TemplateError, match=r"rendering took more than 0\.2 s"):
        render(sample_report(), "md", folder)


def test_bundled_templates_are_not_budgeted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled templates are trusted code: a big report is not cut off by a user budget."""
    monkeypatch.setattr(sandbox, "USER_LIMITS", replace(SMALL, operations=10, output=10))
    assert render(sample_report(), "html").startswith("<!DOCTYPE html>")


def test_a_runtime_failure_after_the_checks_ran_names_file_and_line(
    tmp_path: Path, data_csv: Path
) -> None:
    """A template that renders the synthetic report but not this run's (a metadata key the run's
    config does not have) fails after the checks ran: exit 1, naming the template line."""
    folder = _folder(tmp_path, {"report.md.j2": "title\n{{ data.subject.metadata.title }}\n"})
    proc = _cli("run", "--data", str(data_csv), "--prediction", "p", "--sensitive", "sex",
                "--positive-label", "1", "--out", str(tmp_path / "out"), "--format", "json,md",
                "--templates", str(folder), cwd=tmp_path)  # fmt: skip
    assert proc.returncode == 1
    assert (
        f"writing the report failed: {folder}/report.md.j2:2: 'dict object' has no attribute 'title'"
        in proc.stderr
    )
