"""The jinja2 sandbox every report template is rendered in: a template is data, not code.

- :class:`ReportSandbox` is an ``ImmutableSandboxedEnvironment`` (no ``_``-attributes, no
  function internals, no ``list.append``/``dict.update``) that also refuses every method but the
  few read-only ones of :data:`SAFE_METHODS`, ``str.format`` included (use the ``format``
  filter), and drops the ``lipsum`` global.
- :class:`TemplatesLoader` reads a template by its path inside the user's templates folder,
  then the bundled ``reports/``: an absolute name, ``..``, a backslash or a symbolic link that
  leads outside its folder is refused (:class:`TemplateAccessError`, even under
  ``ignore missing``), and so is a file over :attr:`RenderLimits.template_bytes` or not UTF-8.
- Every value a template prints goes through :func:`finalize`, by the format of the document
  being rendered (:func:`render_template` knows it from the top-level template's name, so an
  included partial cannot change it): HTML-escaped in an HTML document, Markdown-escaped
  (:func:`auditor.text.md_escape`) in a Markdown one, and control and bidi characters are made
  visible (:func:`auditor.text.visible_text`) in both. What the template built itself is kept
  as it is (hidden characters still made visible): ``| safe``, the escaping filters' output, a
  macro's output, a ``{% set %}`` block. A partial named for the other format cannot print into
  the document (:class:`TemplateFormatError`).
- A template from the user's folder renders under a :class:`RenderLimits` budget (the bundled
  ones are trusted code and render without one). Jinja has no budget of its own, and a thread
  timer cannot stop Python code, so the budget is counted where the template runs: each loop
  iteration (every ``for`` loop's iterable is wrapped at compile time), call, attribute or item
  lookup, filter and intercepted operator is one operation (the wall clock is read every 1,024
  of them); every printed value and every piece of template text is charged to the output,
  including output captured by ``{% set %}`` blocks, macros and ``{% filter %}`` blocks; the
  operators and filters that can make a big value out of small ones (``*``, ``**``, ``+``,
  ``%``, ``~``, ``join``, ``replace``, ``center``, ``indent``, ``batch``, ``slice``, ...) are
  checked *before* they run. Exceeding any limit raises :class:`TemplateBudgetError`.

:func:`render_template` turns any failure inside a template into a :class:`TemplateError` (a
:class:`~auditor.errors.UsageError`, exit 2) naming the template file and line.
"""

from __future__ import annotations

import contextvars
import os
import re
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.runtime import Context, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, pass_context, pass_eval_context
from markupsafe import Markup, escape

from ..errors import UsageError
from ..text import md_escape, visible_text

__all__ = [
    "MARKDOWN_SUFFIXES",
    "SAFE_METHODS",
    "USER_LIMITS",
    "RenderLimits",
    "ReportSandbox",
    "TemplateAccessError",
    "TemplateBudgetError",
    "TemplateError",
    "TemplateFormatError",
    "TemplatesLoader",
    "finalize",
    "is_markdown",
    "markdown_mode",
    "render_template",
]

#: a template whose name ends so renders Markdown; every other one renders HTML
MARKDOWN_SUFFIXES = (".md.j2", ".md.jinja", ".md.jinja2", ".md", ".markdown")


@dataclass(frozen=True)
class RenderLimits:
    """The budget of one render of a user template."""

    #: loop iterations, calls, attribute and item lookups, filters, operators, printed values
    operations: int = 10_000_000
    #: characters a render may produce, counting output captured by set blocks and macros
    output: int = 32 * 2**20
    #: characters (or items) of any one value an operator or filter builds
    value: int = 8 * 2**20
    #: wall clock of one render
    seconds: float = 60.0
    #: a padding width, indent, line or slice count a filter is given
    width: int = 10_000
    #: bits of an integer an operator builds
    int_bits: int = 100_000
    #: size of one template file
    template_bytes: int = 2**20


USER_LIMITS = RenderLimits()

_STR_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha",
    "isascii", "isdecimal", "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper",
    "join", "lower", "lstrip", "partition", "removeprefix", "removesuffix", "replace", "rfind",
    "rindex", "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip",
    "swapcase", "title", "upper",
})  # fmt: skip
#: the methods a template may call, by the type of the object (every other method is refused)
SAFE_METHODS: tuple[tuple[type | tuple[type, ...], frozenset[str]], ...] = (
    (str, _STR_METHODS),
    (Mapping, frozenset({"get", "items", "keys", "values"})),
    ((list, tuple), frozenset({"count", "index"})),
    (LoopContext, frozenset({"cycle", "changed"})),
    (Cycler, frozenset({"next", "reset"})),
)


class TemplateError(UsageError):
    """A template cannot be used: the message names the file and line."""


class TemplateBudgetError(SecurityError):
    """A template exceeded its :class:`RenderLimits`."""


class TemplateAccessError(SecurityError):
    """A template name or file that leads outside its folder, or a file that is not a template."""


class TemplateFormatError(SecurityError):
    """A template named as HTML used in a Markdown document, or the other way round."""


# -- the budget ------------------------------------------------------------------------------------


class _Budget:
    __slots__ = ("deadline", "limits", "next_clock", "ops", "out")

    def __init__(self, limits: RenderLimits) -> None:
        self.limits = limits
        self.ops = 0
        self.out = 0
        self.next_clock = 1024
        self.deadline = time.monotonic() + limits.seconds

    def tick(self, n: int = 1) -> None:
        self.ops += n
        if self.ops > self.limits.operations:
            raise TemplateBudgetError(
                f"render budget exceeded: more than {self.limits.operations:,} template "
                "operations (loop iterations, calls, lookups): a loop or a recursion is too large"
            )
        if self.ops >= self.next_clock:
            self.next_clock = self.ops + 1024
            if time.monotonic() > self.deadline:
                raise TemplateBudgetError(
                    f"render budget exceeded: rendering took more than {self.limits.seconds:g} s"
                )

    def emit(self, n: int) -> None:
        self.out += n
        self.tick()
        if self.out > self.limits.output:
            raise TemplateBudgetError(
                f"render budget exceeded: more than {self.limits.output:,} characters of output "
                "(counting output captured by set blocks and macros)"
            )

    def size(self, n: int, what: str) -> None:
        if n > self.limits.value:
            raise TemplateBudgetError(
                f"render budget exceeded: {what} would be {n:,} characters or items long "
                f"(at most {self.limits.value:,})"
            )

    def width(self, n: Any, what: str) -> None:
        if isinstance(n, int) and not isinstance(n, bool) and abs(n) > self.limits.width:
            raise TemplateBudgetError(
                f"render budget exceeded: {what} {n:,} is above {self.limits.width:,}"
            )


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "auditor_template_budget", default=None
)
#: "md" or "html": the format of the document being rendered (None outside render_template)
_MODE: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "auditor_template_mode", default=None
)


def _measure(value: Any, cap: int) -> int:
    """About how many characters ``str(value)`` has (containers walked, shared parts counted
    each time they occur); stops counting above ``cap``."""
    total = 0
    stack = [value]
    while stack and total <= cap:
        v = stack.pop()
        if isinstance(v, str):
            total += len(v)
        elif isinstance(v, Mapping):
            total += 2 + 4 * len(v)
            if total <= cap:
                stack.extend(v.keys())
                stack.extend(v.values())
        elif isinstance(v, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(v)
            if total <= cap:
                stack.extend(v)
        else:
            total += 8
    return total


def _check_printf(budget: _Budget, fmt: str) -> None:
    """Refuse a ``%`` format whose widths or precisions would build a huge string."""
    for m in re.finditer(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?", fmt):
        for part in m.groups():
            if part == "*":
                raise TemplateBudgetError("a '*' width or precision is not allowed in a template")
            if part:
                budget.width(int(part), "a format width or precision")


# -- what a template may touch -----------------------------------------------------------------------


class ReportSandbox(ImmutableSandboxedEnvironment):
    """The sandbox (see the module docstring). Its globals: ``range`` (at most 100,000 items),
    ``dict``, ``cycler``, ``joiner``, ``namespace``."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, loader: TemplatesLoader | None = None, **kwargs: Any) -> None:
        super().__init__(loader=loader, finalize=finalize, optimized=False, **kwargs)
        self.globals.pop("lipsum", None)
        self.filters["_auditor_emit"] = _emit
        self.filters["_auditor_loop"] = _loop
        self.filters["_auditor_concat"] = _concat
        self.filters["_auditor_built"] = _built

    # attribute access ---------------------------------------------------------------------
    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if not callable(value) or isinstance(value, Macro):
            return True
        return any(isinstance(obj, kind) and attr in names for kind, names in SAFE_METHODS)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        return None  # str.format / format_map: not in SAFE_METHODS, so refused

    def getattr(self, obj: Any, attribute: str) -> Any:
        budget = _BUDGET.get()
        if budget is not None:
            budget.tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        budget = _BUDGET.get()
        if budget is not None:
            budget.tick()
        return super().getitem(obj, argument)

    # calls and operators --------------------------------------------------------------------
    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        budget = _BUDGET.get()
        if budget is not None:
            budget.tick()
            owner = getattr(obj, "__self__", None)
            method = getattr(obj, "__name__", "")
            if isinstance(owner, str) and method == "replace":
                _check_replace(budget, owner, args)
            elif isinstance(owner, str) and method == "join" and args:
                args = (_check_join(budget, owner, args[0]), *args[1:])
        result = super().call(context, obj, *args, **kwargs)
        if budget is not None:
            _check_result(budget, result, "a call's result")
        if isinstance(obj, Macro) and isinstance(result, str) and not hasattr(result, "__html__"):
            # a macro's (or caller's) output is what its template wrote, every value in it
            # escaped when it was printed: in Markdown as in HTML, it is not escaped again
            result = Markup(result)  # noqa: S704
        return result

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        budget = _BUDGET.get()
        if budget is not None:
            budget.tick()
            _check_binop(budget, operator, left, right)
        result = self.binop_table[operator](left, right)
        if budget is not None:
            _check_result(budget, result, f"the result of {operator!r}")
        return result

    # compile: count what user templates do ------------------------------------------------------
    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        loader = self.loader
        trusted = isinstance(loader, TemplatesLoader) and loader.is_bundled(filename)
        if not trusted:
            source = _instrument(source)
            source.set_environment(self)
        return super()._generate(source, name, filename, defer_init=defer_init)


def _check_result(budget: _Budget, value: Any, what: str) -> None:
    if isinstance(value, (str, list, tuple, dict)):
        budget.size(len(value), what)


def _check_binop(budget: _Budget, op: str, left: Any, right: Any) -> None:
    ints = all(isinstance(x, int) and not isinstance(x, bool) for x in (left, right))
    if op == "**" and ints:
        if right > 0 and max(abs(left).bit_length(), 1) * right > budget.limits.int_bits:
            raise TemplateBudgetError(
                f"render budget exceeded: {left} ** {right} has more than "
                f"{budget.limits.int_bits:,} bits"
            )
    elif op == "*" and ints:
        if abs(left).bit_length() + abs(right).bit_length() > budget.limits.int_bits:
            raise TemplateBudgetError(
                f"render budget exceeded: a product of more than {budget.limits.int_bits:,} bits"
            )
    elif op == "*":
        seq, n = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and n > 0:
            budget.size(_measure(seq, budget.limits.value) * n, "a repeated value")
    elif (
        op == "+" and isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple))
    ):
        cap = budget.limits.value
        budget.size(_measure(left, cap) + _measure(right, cap), "a concatenation")
    elif op == "%" and isinstance(left, str):
        _check_printf(budget, left)
        budget.size(len(left) + _measure(right, budget.limits.value), "a formatted string")


def _check_replace(budget: _Budget, text: str, args: tuple[Any, ...]) -> None:
    if len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        old, new = args[0], args[1]
        hits = len(text) + 1 if not old else text.count(old)
        if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
            hits = min(hits, args[2])
        budget.size(len(text) + hits * max(len(new) - len(old), 0), "a replace() result")


def _check_join(budget: _Budget, sep: str, iterable: Any) -> list[Any]:
    items = list(iterable)
    budget.size(len(items), "a joined list")
    cap = budget.limits.value
    total = sum(_measure(x, cap) for x in items) + len(sep) * max(len(items) - 1, 0)
    budget.size(total, "a joined string")
    return items


# -- printing ----------------------------------------------------------------------------------------


def is_markdown(name: str | None) -> bool:
    return bool(name) and str(name).lower().endswith(MARKDOWN_SUFFIXES)


def markdown_mode(eval_ctx: Any) -> bool:
    """Whether the template running under ``eval_ctx`` writes Markdown. A template's format is
    its name's (:data:`MARKDOWN_SUFFIXES`); inside :func:`render_template` it must be the
    document's, so a partial named as HTML cannot print into a Markdown document unescaped for
    Markdown (nor the other way round)."""
    mode = _MODE.get()
    if mode is None:
        return not eval_ctx.autoescape
    if (mode == "md") == bool(eval_ctx.autoescape):
        doc, part = ("Markdown", "HTML") if mode == "md" else ("HTML", "Markdown")
        raise TemplateFormatError(
            f"a template named as {part} prints into a {doc} document: name a Markdown "
            f"template *.md.j2 and an HTML one *.html.j2 (a partial has its document's format)"
        )
    return mode == "md"


@pass_eval_context
def finalize(eval_ctx: Any, value: Any) -> Any:
    """What ``{{ value }}`` prints: see the module docstring."""
    budget = _BUDGET.get()
    if value is None or isinstance(value, (bool, int, float)):
        text = str(value)
        if budget is not None:
            budget.emit(len(text))
        return text
    markdown = markdown_mode(eval_ctx)
    if isinstance(value, str) and hasattr(value, "__html__"):  # Markup: written by a template
        out = Markup(visible_text(value))  # noqa: S704 - only hidden characters are replaced
    elif not isinstance(value, str) and hasattr(value, "__html__"):
        out = Markup(visible_text(value.__html__()))  # noqa: S704 - as above
    else:
        if budget is not None:  # charged before escaping, which may take a while
            size = len(value) if isinstance(value, str) else _measure(value, budget.limits.value)
            budget.size(size, "a printed value")
            budget.emit(size)
        text = visible_text(value)
        return Markup(md_escape(text)) if markdown else escape(text)  # noqa: S704
    if budget is not None:
        budget.emit(len(out))
    return out


@pass_context
def _emit(context: Context, size: int) -> str:
    """Charge ``size`` characters of template text about to be written."""
    budget = _BUDGET.get()
    if budget is not None:
        budget.emit(size)
    return ""


@pass_context
def _built(context: Context, value: Any) -> Any:
    """What a ``{% set %}`` block captured: template text and values escaped when printed."""
    return value if hasattr(value, "__html__") else Markup(value)  # noqa: S704


def _ticking(iterable: Iterable[Any], budget: _Budget) -> Iterator[Any]:
    for item in iterable:
        budget.tick()
        yield item


@pass_context
def _loop(context: Context, iterable: Any) -> Any:
    """Every ``for`` loop's iterable in a user template: one operation per iteration."""
    budget = _BUDGET.get()
    return iterable if budget is None else _ticking(iterable, budget)


@pass_context
def _concat(context: Context, parts: list[Any]) -> Any:
    """The ``~`` operator in a user template, sized before it joins."""
    budget = _BUDGET.get()
    if budget is not None:
        cap = budget.limits.value
        budget.size(sum(_measure(p, cap) for p in parts), "a '~' concatenation")
    if any(hasattr(p, "__html__") for p in parts):
        md = markdown_mode(context.eval_ctx)
        out = [
            str(p.__html__()) if hasattr(p, "__html__") else (md_escape(p) if md else escape(p))
            for p in parts
        ]
        return Markup("".join(out))  # noqa: S704 - every part not marked safe is escaped
    return "".join(str(p) for p in parts)


def _filter(node: nodes.Node | None, name: str, lineno: int) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=lineno)


def _instrument(node: nodes.Node) -> Any:
    """Rewrite a user template's tree so it pays for what it does: see the module docstring."""
    for field, value in node.iter_fields():
        if isinstance(value, list):
            items: list[Any] = []
            for item in value:
                if isinstance(item, nodes.Output):
                    size = sum(len(c.data) for c in item.nodes if isinstance(c, nodes.TemplateData))
                    if size:
                        charge = _filter(nodes.Const(size), "_auditor_emit", item.lineno)
                        items.append(nodes.ExprStmt(charge, lineno=item.lineno))
                items.append(_instrument(item) if isinstance(item, nodes.Node) else item)
            setattr(node, field, items)
        elif isinstance(value, nodes.Node):
            setattr(node, field, _instrument(value))
    if isinstance(node, nodes.For):
        node.iter = _filter(node.iter, "_auditor_loop", node.lineno)
    if isinstance(node, nodes.AssignBlock):  # {% set x %}…{% endset %}: written by the template
        node.filter = _filter(node.filter, "_auditor_built", node.lineno)
    if isinstance(node, nodes.Concat):
        return _filter(nodes.List(node.nodes, lineno=node.lineno), "_auditor_concat", node.lineno)
    return node


# -- filters under the budget ----------------------------------------------------------------------


def _pre_center(budget: _Budget, args: list[Any], kwargs: dict[str, Any]) -> None:
    budget.width(kwargs.get("width", args[1] if len(args) > 1 else 80), "a center width")


def _pre_indent(budget: _Budget, args: list[Any], kwargs: dict[str, Any]) -> None:
    text = str(args[0]) if args else ""
    width = kwargs.get("width", args[1] if len(args) > 1 else 4)
    step = len(width) if isinstance(width, str) else width if isinstance(width, int) else 4
    budget.width(step, "an indent width")
    budget.size(len(text) + step * (text.count("\n") + 1), "an indented text")


def _pre_wordwrap(budget: _Budget, args: list[Any], kwargs: dict[str, Any]) -> None:
    text = str(args[0]) if args else ""
    wrap = kwargs.get("wrapstring", args[3] if len(args) > 3 else None)
    budget.size(len(text) * (1 + len(str(wrap or "\n"))), "a wrapped text")


def _pre_replace(budget: _Budget, args: list[Any], kwargs: dict[str, Any]) -> None:
    if args:
        _check_replace(budget, str(args[0]), (*args[1:], *kwargs.values()))


def _pre_join(budget: _Budget, args: list[Any], kwargs: dict[str, Any]) -> None:
    if args:
        sep = kwargs.get("d", args[1] if len(args) > 1 else "")
        args[0] = _check_join(budget, str(sep), args[0])


def _pre_format(budget: _Budget, args: list[Any], kwargs: dict[str, Any]) -> None:
    if args:
        _check_printf(budget, str(args[0]))
        cap = budget.limits.value
        budget.size(sum(_measure(a, cap) for a in (*args, *kwargs.values())), "a formatted string")


def _pre_count(what: str, index: int, key: str) -> Callable[..., None]:
    def check(budget: _Budget, args: list[Any], kwargs: dict[str, Any]) -> None:
        budget.width(kwargs.get(key, args[index] if len(args) > index else 0), what)

    return check


def _pre_stringify(budget: _Budget, args: list[Any], kwargs: dict[str, Any]) -> None:
    if args and not isinstance(args[0], str):
        budget.size(_measure(args[0], budget.limits.value), "a value turned into text")


def _pre_tojson(budget: _Budget, args: list[Any], kwargs: dict[str, Any]) -> None:
    _pre_stringify(budget, args, kwargs)
    budget.width(kwargs.get("indent", args[1] if len(args) > 1 else 0), "a JSON indent")


_PRE: dict[str, Callable[[_Budget, list[Any], dict[str, Any]], None]] = {
    "center": _pre_center,
    "indent": _pre_indent,
    "wordwrap": _pre_wordwrap,
    "replace": _pre_replace,
    "join": _pre_join,
    "format": _pre_format,
    "batch": _pre_count("a batch size", 1, "linecount"),
    "slice": _pre_count("a slice count", 1, "slices"),
    "tojson": _pre_tojson,
}
for _name in (
    "string",
    "pprint",
    "list",
    "xmlattr",
    "urlencode",
    "safe",
    "e",
    "escape",
    "forceescape",
):
    _PRE[_name] = _pre_stringify


def guard_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` counted against the budget of a user template's render (checked first when it
    can build a big value); unchanged without a budget."""
    pre = _PRE.get(name)
    skip = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

    @wraps(func)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        budget = _BUDGET.get()
        if budget is None:
            return func(*args, **kwargs)
        budget.tick()
        if pre is not None:
            rest = list(args[skip:])
            pre(budget, rest, kwargs)
            args = (*args[:skip], *rest)
        result = func(*args, **kwargs)
        _check_result(budget, result, f"the result of the {name} filter")
        return result

    return guarded


# -- loading -----------------------------------------------------------------------------------------


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


class TemplatesLoader(jinja2.BaseLoader):
    """Templates by path inside ``user`` (when given), then inside ``bundled``."""

    def __init__(
        self, user: Path | None, bundled: Path, max_bytes: int = USER_LIMITS.template_bytes
    ):
        self.user = Path(user) if user is not None else None
        self.bundled = Path(bundled)
        self.max_bytes = max_bytes
        self._roots = [
            (root, os.path.realpath(root)) for root in (self.user, self.bundled) if root is not None
        ]
        self._bundled_files: set[str] = set()
        #: the file name of every template read (as tracebacks and errors show it)
        self.loaded: set[str] = set()

    @staticmethod
    def split(name: str) -> list[str]:
        """``a/b.j2`` -> ``["a", "b.j2"]``; an absolute name, ``..``, ``.``, an empty part, a
        backslash or a NUL is refused."""
        parts = name.split("/")
        if (
            not name
            or "\\" in name
            or "\x00" in name
            or re.match(r"^[A-Za-z]:", name)
            or any(p in ("", ".", "..") for p in parts)
        ):
            raise TemplateAccessError(
                f"template name {name!r} is not allowed: a template is named by its path inside "
                "the templates folder (no absolute path, no '..')"
            )
        return parts

    def in_user_folder(self, real: str) -> bool:
        """Whether real path ``real`` is inside the user's templates folder."""
        return self.user is not None and _inside(real, os.path.realpath(self.user))

    def is_bundled(self, filename: str | None) -> bool:
        return filename is not None and filename in self._bundled_files

    def locate(self, name: str) -> tuple[Path, str] | None:
        """(path to show, real path) of template ``name``, or None when neither folder has it."""
        parts = self.split(name)
        for root, real_root in self._roots:
            candidate = os.path.join(real_root, *parts)
            if not os.path.lexists(candidate):
                continue
            shown = root.joinpath(*parts)
            real = os.path.realpath(candidate)
            if not _inside(real, real_root):
                raise TemplateAccessError(
                    f"{shown}: a symbolic link that leads outside the templates folder"
                )
            if not os.path.isfile(real):
                raise TemplateAccessError(f"{shown}: not a regular file")
            return shown, real
        return None

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        found = self.locate(template)
        if found is None:
            raise jinja2.TemplateNotFound(template)
        shown, real = found
        with open(real, "rb") as fh:
            data = fh.read(self.max_bytes + 1)
        if len(data) > self.max_bytes:
            raise TemplateAccessError(f"{shown}: larger than {self.max_bytes:,} bytes")
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise TemplateAccessError(f"{shown}: not UTF-8 text (byte {exc.start})") from None
        filename = str(shown)
        self.loaded.add(filename)
        if not self.in_user_folder(real):
            self._bundled_files.add(filename)
        return source, filename, lambda: True


# -- rendering ---------------------------------------------------------------------------------------


def render_template(env: jinja2.Environment, name: str, /, **context: Any) -> str:
    """Render template ``name`` as the document its name says (Markdown or HTML); a template from
    the user's folder renders under :data:`USER_LIMITS`. Raises :class:`TemplateError` naming the file and
    line of any failure inside a template."""
    try:
        template = env.get_template(name)
        loader = env.loader
        trusted = isinstance(loader, TemplatesLoader) and loader.is_bundled(template.filename)
        budget = None if trusted else _Budget(USER_LIMITS)
        mode_token = _MODE.set("md" if is_markdown(name) else "html")
        budget_token = _BUDGET.set(budget)
        try:
            return "".join(template.generate(**context))
        finally:
            _BUDGET.reset(budget_token)
            _MODE.reset(mode_token)
    except UsageError:
        raise
    except Exception as exc:  # anything a template did, or failed to load: name file and line
        raise TemplateError(describe_template_error(exc, name, env)) from exc


def describe_template_error(
    exc: BaseException, name: str, env: jinja2.Environment | None = None
) -> str:
    """``tpl/report.md.j2:3: 'x' is undefined``: where in which template ``exc`` happened."""
    if isinstance(exc, TemplateSyntaxError):
        where = f"{exc.filename or exc.name or name}:{exc.lineno}"
        return f"{where}: template syntax error: {exc.message}"
    loader = env.loader if env is not None else None
    files = loader.loaded if isinstance(loader, TemplatesLoader) else set()
    where = name
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename in files or frame.filename == "<template>":
            where = f"{frame.filename}:{frame.lineno}"
            break
    if isinstance(exc, (TemplateBudgetError, TemplateAccessError, TemplateFormatError)):
        what = str(exc)
    elif isinstance(exc, SecurityError):
        what = f"not allowed in a template: {exc}"
    elif isinstance(exc, UndefinedError):
        what = str(exc)
    elif isinstance(exc, jinja2.TemplateNotFound):
        what = f"no template {exc.name!r} in the templates folder or the bundled templates"
    elif isinstance(exc, RecursionError):
        what = "templates include or call each other too deeply (recursion)"
    elif isinstance(exc, OverflowError) and "MAX_RANGE" in str(exc):
        what = f"render budget exceeded: {exc}"
    else:
        what = f"{type(exc).__name__}: {exc}"
    return f"{where}: {what}"
