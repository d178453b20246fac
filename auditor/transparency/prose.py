"""Key sentences in prose: the :data:`~auditor.transparency.lexicon.PROSE` patterns run over a card's lines
(Markdown cards) or over one free-text value (a Model Card Toolkit ``overview``). A match makes its field
found with *low* confidence at the sentence's line: present, not missing, but worth a human look. Explicit
answers (keys, headings, labels) always win over a sentence (see ``requirements.resolve``)."""

from __future__ import annotations

import re

from .document import Builder
from .lexicon import PROSE
from .placeholders import BOILERPLATE

__all__ = ["MAX_PROSE_CHARS", "scan_prose", "scan_text"]

MAX_PROSE_CHARS = 400_000

_PROSE = tuple((f, re.compile(p, 0 if f == "provider.name" else re.I)) for f, p in PROSE)
# fields a code block can state: a BibTeX entry, `from_pretrained("org/x")`, `pip install x`
_MAX_LINE = 2_000  # characters of one line the patterns read (a minified blob is not prose)
_WINDOW = 6  # lines of a wrapped paragraph read together
_IN_TITLE = frozenset(("model.architecture", "model.type", "model.task"))
_IN_CODE = frozenset(("citation", "model.id", "software.dependencies", "deployment.forms"))
# what the sentence must also speak of for the field to be read from it
_REQUIRE = {
    # a breakdown by group is a result only with a number ("performs unevenly across languages" is a
    # limitation until the card gives the figures)
    "results.by_group": re.compile(r"\d+(?:\.\d+)?\s?%|\b\d*\.\d+\b"),
    # a figure about the model, not about the dataset ("the label accuracy was approximately 90%")
    "results.overall": re.compile(
        r"\b(model|we|our|achiev\w*|obtain\w*|reach\w*|scor\w*|perform\w*)\b", re.I
    ),
    # "v2" is a model's version only in a sentence about the model ("NYU-Depth v2" is a dataset's)
    "model.version": re.compile(r"\b(model|version|release[sd]?|checkpoints?|tag|weights)\b", re.I),
    "data.sensitive_attributes": re.compile(
        r"\b(data(set)?|records?|collected|annotat\w*|labels?|corpus|documented|identity terms)\b",
        re.I,
    ),
}
# captured values that cannot be the field's answer
_REJECT = {
    "data.evaluation": re.compile(r"\btasks?$|^(?:the )?(?:same|other|\w+ )?tasks?\b", re.I),
    "data.training": re.compile(r"^(?:top of|a (?:single|few)|multiple)\b", re.I),
}
# captured values that name nothing ("fine-tuned from scratch", "developed by the")
# sentences whose figures are about the data, not the model ("the label accuracy was approximately 90%")
_NOT_ABOUT = {
    "results.overall": re.compile(
        r"\b(dataset (creators|authors)|annotators?|human labell?ing|crowd\w*|mechanical turk)\b",
        re.I,
    ),
    "results.by_group": re.compile(
        r"\b(dataset (creators|authors)|annotators?|human labell?ing)\b", re.I
    ),
}
_VAGUE = frozenset(
    ("model", "models", "scratch", "the model", "this model", "a", "an", "the", "it", "us", "we", "our",
     "data", "dataset", "datasets", "the dataset", "this", "that", "other", "others", "users", "people",
     "none", "the none", "none dataset")
)  # fmt: skip
_RESULTS_LEAD = re.compile(
    r"\bachieves? the following results\b|\bresults on the (evaluation|test) set\b", re.I
)
_LINK = re.compile(r"\]\([^)]*\)|https?://\S+")
_TOC = re.compile(r"^\s*(?:[-*+]|\d+\.)?\s*\[[^\]]+\]\(#[^)]*\)\s*$")
_RESULT_BULLET = re.compile(r"^[-*+]\s+[^:]{1,60}:\s*-?\d")


_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)|`")


def _match(
    b: Builder, text: str, line: int, in_code: bool, source: str, lines: tuple[int, ...] = ()
) -> None:
    """Run the patterns over ``text`` (one line, or a wrapped paragraph whose n-th character starts
    on file line ``lines[n]``)."""
    if not in_code:
        text = _EMPHASIS.sub("", text)  # "was **not** deduplicated"
    for f, pattern in _PROSE:
        if in_code and f not in _IN_CODE:
            continue
        m = pattern.search(text)
        if m is None:
            continue
        if lines:
            line = lines[min(m.start(), len(lines) - 1)]
        need, avoid = _REQUIRE.get(f), _NOT_ABOUT.get(f)
        plain = _LINK.sub(" ", text)
        if (need is not None and not need.search(plain)) or (
            avoid is not None and avoid.search(plain)
        ):
            continue
        value = next((v for v in m.groupdict().values() if v), None) or text
        value = value.strip(" .,;[]`*_")
        reject = _REJECT.get(f)
        if (
            value.lower() in _VAGUE
            or len(value) <= 2
            or (reject is not None and reject.search(value))
        ):
            continue
        b.add(f, value, line, source or f"sentence on line {line}", confidence="low")


def _paragraphs(body: list[str], code: set[int]) -> list[list[int]]:
    """Runs of two or more wrapped lines of one paragraph (a sentence may span them)."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, ln in enumerate(body):
        text = ln.strip()[:_MAX_LINE]
        starts_block = bool(re.match(r"^([-*+>|#]|\d+[.)]\s|<)", text))
        if not text or i in code or text.startswith("#") or "|" in text[:1]:
            if len(current) > 1:
                runs.append(current)
            current = []
            continue
        if starts_block and current:  # a list item or quote starts a new run
            if len(current) > 1:
                runs.append(current)
            current = []
        current.append(i)
    if len(current) > 1:
        runs.append(current)
    return runs


def scan_prose(body: list[str], first: int, code: set[int], b: Builder) -> None:
    """Every line of ``body`` (file line ``first`` + index); ``code`` holds the indexes of fenced code
    lines. Only the first
    :data:`MAX_PROSE_CHARS` characters are read for sentences (a load issue says so): real cards are
    far shorter, and a multi-megabyte document must not take minutes."""
    budget, cut = MAX_PROSE_CHARS, len(body)
    for i, ln in enumerate(body):
        budget -= len(ln) + 1
        if budget < 0:
            cut = i
            b.issue(
                f"only the first {MAX_PROSE_CHARS:,} characters were read for key sentences "
                f"(line {first + i} onwards was read for headings, labels and tables only)",
                first + i,
            )
            break
    body = body[:cut]
    for i, ln in enumerate(body):
        text = ln.strip()
        if text.startswith("#") and i not in code:  # a title names the kind of model too
            for f, pattern in _PROSE:
                m = pattern.search(text) if f in _IN_TITLE else None
                if m is not None:
                    b.add(
                        f,
                        text.lstrip("# ").strip(),
                        first + i,
                        f"heading on line {first + i}",
                        confidence="low",
                    )
            continue
        if not text or BOILERPLATE.match(text.lstrip("-*+> ")):
            continue
        if _TOC.match(text):
            continue  # a table of contents names sections, it does not answer them
        in_code = i in code
        _match(b, text, first + i, in_code, "")
        if (
            _RESULTS_LEAD.search(text) and not in_code
        ):  # the Trainer's "achieves the following results"
            rows: list[str] = []
            for j in range(i + 1, min(len(body), i + 30)):
                nxt = body[j].strip()
                if not nxt:
                    if rows:
                        break
                    continue
                if not _RESULT_BULLET.match(nxt):
                    break
                rows.append(nxt)
            if rows:
                b.add(
                    "results.overall", "\n".join(rows), first + i, "results listed after a sentence"
                )
    for run in _paragraphs(body, code):  # sentences wrapped over several lines
        # overlapping windows of a few lines: a sentence is rarely wrapped over more, and a huge
        # paragraph must not make one huge string for sixty patterns to search
        for start in range(0, max(1, len(run) - 1), _WINDOW - 1):
            window = run[start : start + _WINDOW]
            if len(window) < 2:
                break
            parts = [body[i].strip()[:_MAX_LINE] for i in window]
            at: list[int] = []
            for i, part in zip(window, parts, strict=True):
                at.extend([first + i] * (len(part) + 1))
            _match(b, " ".join(parts), first + window[0], False, "", tuple(at))


def scan_text(b: Builder, text: str, line: int | None, source: str) -> None:
    """One free-text value (a JSON string such as MCT ``model_details.overview``): each sentence in it,
    all at the value's ``line``."""
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        if sentence.strip() and not BOILERPLATE.match(sentence.strip()):
            _match(b, sentence.strip(), line or 1, False, f"sentence in {source}")
