"""``--templates DIR``: check a folder of user templates before anything runs.

:func:`validate_templates` raises :class:`~auditor.render.sandbox.TemplateError` (exit 2) naming
the file and line of the first problem (and how many more there are):

- a file or folder inside ``DIR`` that is a symbolic link leading outside it;
- a template (``*.j2``, ``*.jinja``, ``*.jinja2``, or any file a template includes) that is too
  large, not UTF-8, or not valid Jinja syntax;
- an ``include``/``import``/``extends`` whose (constant) name is absolute, has ``..``, or names
  no template in ``DIR`` or the bundled ones;
- a variable that one of the five report templates (:data:`CONTEXT`) uses but is never given;
- any failure when each of those templates that ``DIR`` overrides renders the synthetic report
  of :mod:`auditor.render.sample` under the sandbox and its budget: an undefined attribute, a
  sandbox refusal, a budget overrun, an exception.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.parser import Parser

from .sandbox import TemplateAccessError, TemplateError, TemplatesLoader, is_markdown

__all__ = ["CONTEXT", "TEMPLATE_SUFFIXES", "template_context", "validate_templates"]

#: the file names a templates folder overrides
TOP_LEVEL = (
    "report.md.j2", "report.html.j2", "report.fragment.html.j2", "ll144.md.j2", "ll144.html.j2",
)  # fmt: skip
#: files checked as templates even when no template includes them
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2")
#: what each report template gets besides the view (``auditor/render/view.py``)
CONTEXT: dict[str, tuple[str, ...]] = {
    "report.md.j2": ("cut",),
    "report.html.j2": ("doc", "medium"),
    "report.fragment.html.j2": (),
    "ll144.md.j2": (),
    "ll144.html.j2": (),
}


@functools.lru_cache(maxsize=8)
def template_context(name: str) -> tuple[str, ...]:
    """The variables template ``name`` (one of :data:`TOP_LEVEL`) is rendered with."""
    from .ll144 import ll144_view
    from .sample import sample_report
    from .view import build_view

    data = sample_report()
    view = ll144_view(data) if name.startswith("ll144") else build_view(data, max_rows=20)
    return tuple(sorted({*view, *CONTEXT[name]}))


def _renders(folder: Path) -> dict[str, Callable[[], Any]]:
    """Each top-level template, rendered by its real renderer from the synthetic report."""
    from .html import render_html, render_html_fragment
    from .ll144 import render_ll144_html, render_ll144_md
    from .markdown import render_markdown
    from .sample import sample_report

    return {
        "report.md.j2": lambda: (
            render_markdown(sample_report(), folder, artifacts_url=""),
            render_markdown(sample_report(), folder, artifacts_url="https://ci.example/run/1"),
        ),
        "report.html.j2": lambda: render_html(sample_report(), folder),
        "report.fragment.html.j2": lambda: render_html_fragment(sample_report(), folder),
        "ll144.md.j2": lambda: (
            render_ll144_md(sample_report(), folder, draft=False),
            render_ll144_md(sample_report(), folder, draft=True),
        ),
        "ll144.html.j2": lambda: (
            render_ll144_html(sample_report(), folder, draft=False),
            render_ll144_html(sample_report(), folder, draft=True),
        ),
    }


def _links_out(folder: Path) -> Iterator[str]:
    """A symbolic link in ``folder`` (at any depth) that leads outside it."""
    root = os.path.realpath(folder)
    for here, dirs, files in os.walk(folder):
        for entry in sorted([*dirs, *files]):
            path = os.path.join(here, entry)
            if os.path.islink(path):
                real = os.path.realpath(path)
                if real != root and not real.startswith(root.rstrip(os.sep) + os.sep):
                    yield f"{path}: a symbolic link that leads outside the templates folder"


def _referenced(tree: nodes.Template) -> Iterator[tuple[int, str, bool]]:
    """(line, template name, ignore missing) of every include, import and extends with a
    constant name (a name computed at render time is checked when it renders)."""
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        target: Any = getattr(node, "template", None)
        names = target.items if isinstance(target, (nodes.List, nodes.Tuple)) else [target]
        ignore = bool(getattr(node, "ignore_missing", False))
        for item in names:
            if isinstance(item, nodes.Const) and isinstance(item.value, str):
                yield node.lineno, item.value, ignore


def _guarded(tree: nodes.Template) -> set[int]:
    """The ``id`` of every name a template only asks about: ``x is defined``, ``x is
    undefined``, ``x | default(...)`` (fine under StrictUndefined)."""
    out: set[int] = set()
    for node in tree.find_all((nodes.Test, nodes.Filter)):
        asks = (
            node.name in ("defined", "undefined")
            if isinstance(node, nodes.Test)
            else (node.name in ("default", "d"))
        )
        if asks and isinstance(node.node, nodes.Name):
            out.add(id(node.node))
    return out


def _unguarded_uses(tree: nodes.Template, name: str) -> list[int]:
    """Lines where ``name`` is read other than to ask whether it is defined."""
    guarded = _guarded(tree)
    return sorted(
        n.lineno
        for n in tree.find_all(nodes.Name)
        if n.name == name and n.ctx == "load" and id(n) not in guarded
    )


def _check_file(
    env: jinja2.Environment, loader: TemplatesLoader, name: str, queue: list[str]
) -> Iterator[str]:
    try:
        source, filename, _ = loader.get_source(env, name)
    except TemplateAccessError as exc:
        yield str(exc)
        return
    try:
        tree = Parser(env, source, name, filename).parse()
    except jinja2.TemplateSyntaxError as exc:
        yield f"{filename}:{exc.lineno}: template syntax error: {exc.message}"
        return
    except RecursionError:
        yield f"{filename}: template nested too deeply"
        return
    for line, ref, ignore_missing in _referenced(tree):
        try:
            found = loader.locate(ref)
        except TemplateAccessError as exc:
            yield f"{filename}:{line}: {exc}"
            continue
        if found is None:
            if not ignore_missing:
                yield (
                    f"{filename}:{line}: no template {ref!r} in the templates folder or the "
                    "bundled templates"
                )
        else:
            if name in TOP_LEVEL and is_markdown(ref) != is_markdown(name):
                yield (
                    f"{filename}:{line}: {ref!r} is named as "
                    f"{'Markdown' if is_markdown(ref) else 'HTML'} in a "
                    f"{'Markdown' if is_markdown(name) else 'HTML'} template: name a Markdown "
                    "template *.md.j2 and an HTML one *.html.j2"
                )
            if loader.in_user_folder(found[1]):
                queue.append(ref)
    if name in TOP_LEVEL:
        known = {*template_context(name), *env.globals, "self"}
        for var in sorted(meta.find_undeclared_variables(tree) - known):
            lines = _unguarded_uses(tree, var)
            if lines:
                yield (
                    f"{filename}:{lines[0]}: {var!r} is undefined ({name} gets "
                    f"{', '.join(template_context(name))}; see docs/reports.md)"
                )


def _problems(folder: Path) -> Iterator[str]:
    if not folder.is_dir():
        yield f"{folder}: templates folder not found"
        return
    yield from _links_out(folder)
    from ._jinja import environment

    env = environment(folder)
    loader = env.loader
    assert isinstance(loader, TemplatesLoader)
    names = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.name.endswith(TEMPLATE_SUFFIXES) and (p.is_file() or p.is_symlink())
    )
    queue = list(names)
    seen: set[str] = set()
    failed: set[str] = set()
    while queue:
        name = queue.pop(0)
        if name in seen:
            continue
        seen.add(name)
        problems = list(_check_file(env, loader, name, queue))
        if problems:
            failed.add(name)
        yield from problems
    if failed:
        return  # a template that does not parse would fail its render for the same reason
    for name, render in _renders(folder).items():
        if (folder / name).exists():
            try:
                render()
            except TemplateError as exc:
                yield str(exc)


def validate_templates(folder: Path) -> None:
    """Raise :class:`TemplateError` naming the file and line of the first problem of templates
    folder ``folder`` (see the module docstring); nothing is written."""
    problems = list(_problems(Path(folder)))
    if problems:
        more = len(problems) - 1
        raise TemplateError(
            problems[0]
            + (f" (and {more} more template problem{'s' if more > 1 else ''})" if more else "")
        )
