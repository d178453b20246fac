"""Does a model card (or datasheet) agree with itself? The engine of TRN208 ``card-consistent``.

It reads only the documents, never the audited data, and finds five kinds of problem, each at the
line it is on, in a sentence a non-specialist understands:

- ``identity``: the model is named or versioned in ways that do not match (front matter
  ``model_name``/``version``, ``model-index`` names, the title, ``Model ID:`` / ``Model name:`` /
  ``Version:`` labels, the ids code examples load with ``from_pretrained``, ``pipeline``, downloads);
- ``ranges``: a value or interval the metric cannot take (an accuracy interval up to 1.0033, a lower
  bound above its own value, a negative loss, a perplexity below 1);
- ``relations``: related numbers that cannot both be right (perplexity vs exp(loss) for the same
  split, accuracy + error rate, recall + miss rate, specificity + false positive rate);
- ``licence``: "internal use only" / "not distributed to third parties" next to an open licence or a
  public download;
- ``sections``: a heading that promises a subject its text never addresses ("Intended uses &
  limitations" with no limitation), and front matter (``datasets: glue``) hiding a placeholder data
  section.

The vocabularies are module-level tables (data), calibrated on real cards (docs/transparency.md,
"Consistency checks (TRN208)"). Text quoted from a document is masked
(:func:`auditor.redact.mask_text`) and cut short; the renderers escape it for their format.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..findings import Severity
from ..redact import mask_text
from ..text import join
from .document import Document
from .markdown import Section, blank_comments, normalise_heading, split_sections
from .placeholders import assess
from .yamlnodes import YamlProblem, parse_with_lines

__all__ = [
    "COMPLEMENTS",
    "DATASET_WORDS",
    "KINDS",
    "LIMITATION_WORDS",
    "METRICS",
    "OPEN_LICENCES",
    "PUBLIC_RELEASE",
    "RESTRICTED_RELEASE",
    "RISK_WORDS",
    "SECTION_SUBJECTS",
    "Outcome",
    "Problem",
    "check_document",
    "read_markdown",
]

KINDS = ("identity", "ranges", "relations", "licence", "sections")
#: formats whose fields come from keys (read through the Document); any other is Markdown
STRUCTURED = ("auditor-yaml", "mct-json", "datasheet-yaml")
MAX_LINE = 2_000  # characters of a line the patterns read: bounded work on hostile input
MAX_SECTIONS = 500  # sections judged for their subject (real cards have at most a few dozen)
MAX_NAMES = 100  # distinct model ids, base models or code blocks compared in one card
EXCERPT = 90  # characters of a quoted sentence in a message

# -- lexicons (data) ---------------------------------------------------------------------------------

#: metric -> (scale, spellings also looked for in running text, spellings read only as labels, table
#: headers and model-index types), compared after :func:`metric_key` normalises them. ``share`` is a
#: proportion: [0, 1], or [0, 100] written as a percentage; ``loss`` is zero or more; ``perplexity``
#: is one or more. Word and character error rates are losses: they can exceed 100%.
METRICS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "accuracy": ("share", ("accuracy",),
                 ("acc", "top 1 accuracy", "top 5 accuracy", "top1 accuracy", "top5 accuracy",
                  "balanced accuracy", "classification accuracy", "exact match accuracy")),
    "precision": ("share", ("precision",), ("ppv", "positive predictive value")),
    "recall": ("share", ("recall", "sensitivity", "true positive rate"), ("tpr", "hit rate")),
    "specificity": ("share", ("specificity", "true negative rate"), ("tnr", "selectivity")),
    "fpr": ("share", ("false positive rate", "false alarm rate"), ("fpr", "fall out")),
    "fnr": ("share", ("false negative rate", "miss rate"), ("fnr",)),
    "f1": ("share", ("f1 score", "f1", "f score", "f measure"),
           ("f1 measure", "f 1", "macro f1", "micro f1", "weighted f1", "f1 macro", "f1 micro",
            "f1 weighted")),
    "roc_auc": ("share", ("roc auc", "auroc", "auc"), ("auc roc", "area under the roc curve")),
    "pr_auc": ("share", ("auprc", "pr auc", "average precision"),
               ("area under the precision recall curve",)),
    "error_rate": ("share", ("error rate", "misclassification rate", "classification error"),
                   ("top 1 error", "top 5 error", "top1 error", "top5 error")),
    "selection_rate": ("share", ("selection rate",), ()),
    "brier": ("share", ("brier score",), ("brier", "brier loss")),
    "iou": ("share", ("mean iou", "miou", "dice score"), ("iou", "jaccard index", "dice")),
    "loss": ("loss", ("cross entropy loss", "cross entropy", "log loss", "loss"),
             ("logloss", "ce loss")),
    "regression_error": ("loss", ("mean squared error", "root mean squared error",
                                  "mean absolute error"), ("mse", "rmse", "mae")),
    "wer": ("loss", ("word error rate",), ("wer",)),
    "cer": ("loss", ("character error rate",), ("cer",)),
    # other error rates, named so that "error rate" inside them is not read as 1 - accuracy
    "other_error_rate": ("loss", ("equal error rate", "phone error rate", "frame error rate",
                                  "bit error rate", "label error rate", "sentence error rate",
                                  "token error rate", "symbol error rate", "diarization error rate"),
                         ("eer", "per", "der", "ser")),
    "perplexity": ("perplexity", ("perplexity",), ("ppl",)),
}  # fmt: skip

#: pairs that add up to one (the same rows counted two ways): (metric, metric, plain words)
COMPLEMENTS: tuple[tuple[str, str, str], ...] = (
    ("accuracy", "error_rate", "an accuracy and an error rate"),
    ("recall", "fnr", "a recall (true positive rate) and a miss rate (false negative rate)"),
    ("specificity", "fpr", "a specificity (true negative rate) and a false positive rate"),
)
#: how a metric is named in a sentence
METRIC_WORDS = {
    "accuracy": "accuracy", "precision": "precision", "recall": "recall (true positive rate)",
    "specificity": "specificity", "fpr": "false positive rate", "fnr": "false negative rate",
    "f1": "F1 score", "roc_auc": "ROC AUC", "pr_auc": "area under the precision-recall curve",
    "error_rate": "error rate", "selection_rate": "selection rate", "brier": "Brier score",
    "iou": "IoU", "loss": "loss", "regression_error": "error", "wer": "word error rate",
    "cer": "character error rate", "other_error_rate": "error rate", "perplexity": "perplexity",
}  # fmt: skip

#: words in a label that make its number a difference, a spread or a setting, not the metric
NOT_A_VALUE = re.compile(
    r"\b(diff|difference|delta|change|gain|drop|improvement|relative|std|stdev|stddev|variance|sd|"
    r"se|rank|ranking|vs|gap|ratio|parity|weight|weights|threshold|cutoff|bits?|tokens?|steps?|"
    r"epochs?|learning|lr|budget|time|seconds?|latency|memory|size|params?|parameters?|scale|"
    r"mixed|half|numerical|float|floating|fp\d*|bf\d*|int\d*)\b|Δ|\+/-|±|@",
    re.I,
)
#: split words -> the split (the Trainer's "evaluation set" is the validation set)
SPLITS: tuple[tuple[str, str], ...] = (
    (r"\b(train|training)\b", "training"),
    (r"\b(validation|valid|val|dev|development|eval|evaluation|held[- ]out|holdout)\b",
     "validation"),
    (r"\b(test|testing)\b", "test"),
)  # fmt: skip
#: splits as headings and sentences name them
SPLITS_SAID: tuple[tuple[str, str], ...] = (
    (r"\btrain(?:ing)?\s+(?:set|split|data)\b", "training"),
    (r"\b(?:validation|valid|dev|development|eval|evaluation|held[- ]out|holdout)\s+(?:set|split|"
     r"data)\b|\bvalidation\b", "validation"),
    (r"\btest(?:ing)?\s+(?:set|split|data|results?)\b|\btest\b", "test"),
)  # fmt: skip
#: words that qualify a metric without changing what it measures
_QUALIFIERS = re.compile(
    r"\b(final|best|mean|avg|average|overall|score|value|set|split|data|dataset|metric|binary|"
    r"the|of|on|model|our)\b"
)

#: statements that the model (in a datasheet: the dataset) is not released beyond its owner
RESTRICTED_RELEASE: tuple[str, ...] = (
    r"\bnot\s+(?:be\s+|been\s+)?(?:distributed|shared|disclosed|made\s+available|provided|"
    r"transferred|released)\s+(?:to|with)\s+(?:any\s+)?(?:third[- ]part(?:y|ies)|external\s+"
    r"part(?:y|ies)|anyone\s+outside|the\s+public)",
    r"\binternal\s+use\s+only\b",
    r"\bonly\s+for\s+internal\s+use\b",
    r"\b(?:is|are|remains?|kept)\s+(?:strictly\s+)?internal[- ]only\b",
    r"^\W*internal[- ]only\W*$",
    r"\bnot\s+(?:be\s+|been\s+)?(?:publicly\s+(?:released|distributed|shared|available)|released\s+"
    r"(?:publicly|outside)|made\s+(?:public|publicly\s+available))",
    r"\bwill\s+not\s+be\s+(?:released|published|distributed|open[- ]sourced)\b",
    r"\bno\s+public\s+release\b",
    r"\bnot\s+(?:available|accessible)\s+(?:to\s+the\s+public|publicly|outside\s+(?:the\s+|our\s+)?"
    r"(?:company|organi[sz]ation|team|firm|bank|hospital))",
    r"\bnot\s+for\s+(?:external\s+|public\s+)?(?:distribution|redistribution|release)\b",
)
#: statements that the model (in a datasheet: the dataset) is published for anyone to obtain
PUBLIC_RELEASE: tuple[str, ...] = (
    r"\b(?:available|released|published|hosted|open[- ]sourced|shared|distributed)\s+"
    r"(?:publicly\s+)?(?:on|at|via|through|from)\s+(?:the\s+)?(?:github|gitlab|hugging\s*face|"
    r"huggingface\.co|the\s+hub|pypi|zenodo|kaggle|figshare|tensorflow\s+hub|pytorch\s+hub)",
    r"\bpublicly\s+(?:available|released|accessible|downloadable)\b",
    r"\b(?:is|are|was|were|been)\s+(?:released|published|made\s+available)\s+(?:publicly|to\s+the\s+"
    r"public|as\s+open[- ]source)",
    r"\b(?:released|licensed|distributed|available|published|shared)\s+under\s+(?:the\s+|an?\s+)?"
    r"(?:mit|apache|bsd|gpl|lgpl|agpl|mpl|cc[- ]by|cc0|creative\s+commons|openrail|open[- ]source|"
    r"permissive)",
    r"\bopen[- ]sourced?\s+(?:the\s+)?(?:model|weights|checkpoints?|code|release)\b",
    r"\b(?:we|they)\s+(?:release|open[- ]source|publish)\s+(?:the\s+|our\s+|all\s+)?"
    r"(?:model|weights|checkpoints?|dataset)",
    r"\b(?:download|obtain)\s+(?:the\s+)?(?:model|weights|checkpoints?|dataset|data)\s+"
    r"(?:from|at|here)\b",
)
#: licences that let anyone who receives the model pass it on (Hub and SPDX ids, by prefix, compared
#: lower-case with spaces as hyphens); ``other``, ``unknown`` and custom texts are not among them
OPEN_LICENCES: tuple[str, ...] = (
    "mit", "apache", "bsd", "gpl", "lgpl", "agpl", "mpl", "cc-by", "cc0", "openrail", "bigscience",
    "creativeml", "bigcode", "unlicense", "isc", "artistic", "eupl", "epl-", "afl-", "ecl-", "wtfpl",
    "zlib", "bsl-", "odc-by", "odbl", "pddl", "cdla", "ofl-", "llama", "gemma", "deepfloyd", "osl-",
    "ms-pl", "postgresql", "ncsa", "lppl", "gfdl", "etalab", "c-uda", "apple-ascl",
    "creative-commons",
)  # fmt: skip
#: who a release statement is about: the data, or the model / system / code
_DATA_SUBJECT = re.compile(
    r"\b(data|dataset|datasets|corpus|corpora|recordings?|images|photos|videos|audio|documents|"
    r"transcripts|samples|logs|records|annotations|prompts|responses|texts|webtext|dialogues|"
    r"conversations|messages|e-?mails|tickets|reviews|applications|notes|files)\b",
    re.I,
)
#: data other than the dataset a datasheet describes (its sources, the people's raw records)
_OTHER_DATA = re.compile(
    r"\b(real|source|raw|original|underlying|seed(?:ing)?|upstream|private|personal|identifiable|"
    r"individual-level)\s+(?:data|records|recordings)\b|\bwhich\s+seeded\b|\bfrom\s+which\b",
    re.I,
)
#: section headings and field keys that say whose release a sentence is about
_DATA_PLACE = re.compile(r"\bdata|dataset|corpus|corpora|collection|datasheet")
_MODEL_PLACE = re.compile(
    r"distribution|licen[cs]e|availability|access|release|deployment|model|usage|terms|download|"
    r"source code|repository|^uses?$|intended use|lifecycle"
)
_MODEL_SUBJECT = re.compile(
    r"\b(model|models|weights|checkpoints?|system|code|software|repository|tool|classifier|"
    r"scorer|network|adapter|service|api)\b",
    re.I,
)
_PRONOUN = re.compile(r"\b(it|they|this|these|which|that)\s*$|\b(it|they)\s+(?:\w+\s+){0,2}$", re.I)

#: limitation vocabulary (a limit, a failure, a caveat, a use to avoid), as regex stems
LIMITATION_WORDS: tuple[str, ...] = (
    r"limit", r"not suit", r"unsuit", r"should not", r"shouldn[’']t", r"must not", r"may not",
    r"cannot", r"can[’']t", r"can not", r"unable", r"fail", r"bias", r"caveat", r"risk",
    r"not intend", r"not design", r"not meant", r"not recommend", r"not evaluat", r"not tested",
    r"not (?:be )?used", r"appropriate", r"out[- ]of[- ]scope", r"only", r"do not", r"don[’']t",
    r"never", r"avoid", r"caution", r"careful", r"warn", r"beware", r"drawback", r"weakness",
    r"shortcoming", r"constrain", r"restrict", r"error", r"mistake", r"inaccura", r"incorrect",
    r"unreliab", r"hallucinat", r"poor", r"worse", r"degrad", r"lower (?:accuracy|performance)",
    r"struggle", r"harm", r"offensive", r"toxic", r"stereotyp", r"not (?:always|guaranteed)",
    r"however", r"although", r"primarily", r"aimed at", r"misuse", r"prohibit", r"forbid",
    r"disclaim", r"warrant", r"responsib", r"uncertain", r"var(?:y|ies)", r"depend", r"no longer",
    r"not(?:\s+\w+){0,4}\s+(?:used?|ready|suitable|intended|production|deploy\w*)",
    r"experimental", r"prototype", r"research (?:only|purposes?)", r"proof[- ]of[- ]concept",
    r"demonstrat", r"other (?:domains|tasks|languages|data)", r"no specific use",
    r"should be (?:further )?(?:fine-?tuned|adapted|evaluated|validated|tested|checked)",
)  # fmt: skip
#: risk vocabulary (a possible harm), as regex stems; a limitation is also a risk to name
RISK_WORDS: tuple[str, ...] = (
    r"risk", r"harm", r"bias", r"misuse", r"danger", r"unsafe", r"safe", r"toxic", r"offensive",
    r"stereotyp", r"discriminat", r"unfair", r"fair", r"privacy", r"personal (?:data|information)",
    r"hallucinat", r"misinform", r"disinform", r"fake", r"deceiv", r"manipulat", r"malicious",
    r"abuse", r"surveillance", r"limit", r"fail", r"error", r"inaccura", r"incorrect", r"unreliab",
    r"caveat", r"not suit", r"should not", r"must not", r"appropriate", r"hateful", r"explicit",
    r"copyright", r"dual[- ]use", r"security", r"vulnerab", r"exclu", r"marginali",
    r"under[- ]?represent", r"disparit", r"uneven", r"worse", r"poor", r"ethic", r"responsib",
)  # fmt: skip
#: dataset vocabulary: a data word (a named corpus, a link, a Hub id or a count also name data)
DATASET_WORDS: tuple[str, ...] = (
    r"dataset", r"data set", r"corpus", r"corpora", r"benchmark", r"collection", r"collected",
    r"scraped", r"crawled", r"sourced", r"gathered", r"curated", r"annotated", r"labell?ed",
    r"recorded", r"compiled", r"wikipedia", r"common ?crawl", r"web ?text", r"books?", r"articles",
    r"news", r"tweets", r"reviews", r"transcri", r"images", r"audio", r"split", r"train(?:ing)? set",
    r"test set", r"validation set", r"samples", r"examples", r"data", r"documents", r"sources",
)  # fmt: skip
_DATA_NAMED = re.compile(
    r"https?://|\]\(|\b[\w-]+/[\w.-]+\b"  # a link or a Hub id
    r"|(?<=[a-z,;(] )[A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9-]*"  # SQuAD, GLUE, C4 within a sentence
    r"|\b(?:on|from|of|using|with)\s+(?:the\s+)?[A-Z][\w-]+"  # "trained on the Pubmed abstracts"
    r"|\b\d[\d,.]*\s*(?:[kmbt]|thousand|million|billion|trillion)?\s*(?:hours|images|examples|"
    r"samples|tokens|sentences|documents|utterances|pairs|records|rows|instances|articles|words|"
    r"files|clips|conversations)\b"
)

#: what a section heading promises: (pattern on the normalised heading, subject, words that address
#: it, what is missing in plain words)
SECTION_SUBJECTS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (r"^(?:intended |primary )?uses?,? (?:&|and) (?:known )?limitations?$|^uses,? risks,? (?:&|and) "
     r"limitations$|^performance (?:&|and) limitations$|^capabilities (?:&|and) limitations$|"
     r"^scope (?:&|and) limitations$",
     "limitations", LIMITATION_WORDS, "any limitation of the model"),
    (r"^bias,? risks,? (?:&|and) limitations$|^risks,? (?:&|and) limitations$|^risks (?:&|and) "
     r"harms$|^(?:known |potential )?risks$|^risks (?:&|and) mitigations?$|^limitations (?:&|and) "
     r"bias(?:es)?$|^bias(?:es)?,? (?:&|and) limitations$|^ethical considerations(?: (?:&|and) "
     r"limitations)?$|^bias(?:es)?$",
     "risks", RISK_WORDS, "any risk, bias or limitation"),
    (r"^training (?:&|and) evaluation data(?:sets?)?$|^training data(?:sets?)?$|^evaluation "
     r"data(?:sets?)?$|^training (?:&|and) test data$|^testing data$|^datasets?$",
     "datasets", DATASET_WORDS, "which data was used"),
)  # fmt: skip
#: headings of other sections that answer a subject the section left out (CLIP's "Performance and
#: Limitations" holds only performance; its "Limitations" section follows)
ANSWERED_ELSEWHERE = {
    "limitations": re.compile(r"limitation|caveat|out[- ]of[- ]scope|misuse|risk|bias|not to use"),
    "risks": re.compile(r"risk|bias|limitation|ethic|safety|harm|misuse|fairness|caveat"),
    "datasets": re.compile(r"\bdata|corpus|corpora"),
}
#: the sections front matter ``datasets:`` should not stand in for
TRAINING_DATA_HEADINGS = re.compile(
    r"^training (?:&|and) evaluation data(?:sets?)?$|^training data(?:sets?)?$|^datasets?$"
)
#: sections about a model's history (their version labels name past versions)
_HISTORY = re.compile(r"changelog|change log|history|release notes|updates|news|previous|versions")
#: first headings that are a section, not the model's name
_NOT_A_TITLE = re.compile(
    r"^(introduction|overview|model details|model description|description|summary|model summary|"
    r"about|readme|table of contents|contents|usage|how to use|quick ?start|model card|news|"
    r"updates|abstract|tl;?dr|highlights|licen[cs]e|citation|model information|model overview|"
    r"examples?|demo|results|evaluation|training|inference|installation|requirements|setup|"
    r"getting started|dataset|data|features|labels?(?: mapping)?|limitations|intended uses?|"
    r"model|models|notes?|disclaimer|warning|acknowledg\w*|references|faq|contact)$"
    r"|^.*\.(?:csv|tsv|json|jsonl|txt|parquet|zip|md|py|ipynb|pt|bin|h5|pkl|onnx|gguf)$"
)
#: a title that describes the model instead of naming it ("Q-Learning Agent playing FrozenLake-v1",
#: "Model Trained Using AutoTrain", "Pairwise Reward Model for LLMs")
_DESCRIPTIVE_TITLE = re.compile(
    r"\b(agent|playing|plays|trained|training|using|fine-?tun\w*|datasets?|based|powered|built|"
    r"with|for|on|from|by|of|to|in|how|what|my|our|your|this|these|demo|example|test(?:ing)?|"
    r"project|repository|repo|code|implementation)\b",
    re.I,
)
#: words of a model name that say its size, variant or packaging, not which model it is
# fmt: off
SOFT_NAME_WORDS = frozenset((
    "model", "models", "card", "official", "version", "release", "hf", "pt", "pytorch", "tf",
    "tensorflow", "jax", "flax", "onnx", "gguf", "ggml", "awq", "gptq", "exl2", "mlx", "vllm",
    "llamacpp", "ollama", "docker", "unsloth", "int4", "int8", "fp16", "fp32", "bf16", "q4", "q5",
    "q6", "q8", "k", "m", "s", "xs", "xxs", "xl", "xxl", "l", "tiny", "mini", "small", "base",
    "medium", "large", "huge", "giant", "nano", "micro", "instruct", "instruction", "chat", "it",
    "sft", "dpo", "rlhf", "preview", "beta", "alpha", "demo", "uncased", "cased", "finetuned",
    "fine", "tuned", "ft", "lora", "adapter", "merged", "quantized", "quant", "for", "the", "a",
    "an", "of", "by", "with", "and", "in", "on", "v", "ver", "latest", "new", "original",
    "pretrained", "pre", "trained", "checkpoint", "weights", "id", "name", "hub", "repo",
    "repository",
))
# fmt: on
_SIZE = re.compile(r"^\d+(?:\.\d+)?[kmbt]$|^\d+x\d+(?:\.\d+)?[kmbt]?$")
#: code that fine-tunes or compares: the ids it loads are other models
_TRAINING_CODE = re.compile(
    r"Trainer\s*\(|SFTTrainer|TrainingArguments|\.train\s*\(|get_peft_model|LoraConfig|"
    r"fine[-_ ]?tun|accelerate\s+launch|deepspeed|torchrun|teacher|assistant_model|draft_model",
    re.I,
)
_OTHER_MODELS_SECTION = re.compile(
    r"train|fine[- ]?tun|distil|compar|baseline|teacher|benchmark|evaluat|reproduc|convert|"
    r"quanti|speculative|assist|related|other models|see also"
)

# -- values ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One inconsistency: its ``kind`` (:data:`KINDS`), a ``subject`` stable across runs (it goes
    into the finding id), the headline ``message``, the ``line`` it is on and what to do."""

    kind: str
    subject: str
    message: str
    line: int | None
    severity: Severity | None  # None: the check's severity (medium unless a policy says otherwise)
    recommendation: str
    detail: str = ""
    evidence: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """One document: what was compared (``checked``: kind -> statements read) and what was found."""

    doc: Document
    problems: tuple[Problem, ...]
    checked: Mapping[str, int]


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line in the file
    text: str  # HTML comments blanked, cut at MAX_LINE
    code: int  # 0 outside fenced code, else the number of its code block


@dataclass(frozen=True)
class Text:
    """A Markdown document as this module reads it: front matter (with lines), body lines, sections."""

    front: Mapping[str, Any]
    front_lines: Mapping[tuple[Any, ...], int]
    lines: tuple[Line, ...]
    sections: tuple[Section, ...]
    heads: tuple[int, ...] = ()  # the sections' heading lines, for bisect
    titles: tuple[str, ...] = ()  # the sections' headings, normalised (normalise_heading)

    def section_at(self, line: int) -> Section | None:
        """The innermost section that holds ``line`` (the last heading at or before it)."""
        at = bisect.bisect_right(self.heads, line)
        return self.sections[at - 1] if at else None

    def title_at(self, line: int) -> str:
        """The normalised heading of the innermost section that holds ``line`` ("" before any)."""
        at = bisect.bisect_right(self.heads, line)
        return self.titles[at - 1] if at else ""

    def title_of(self, section: Section) -> str:
        at = bisect.bisect_left(self.heads, section.line)
        return self.titles[at] if at < len(self.titles) else normalise_heading(section.title)

    def span(self, section: Section) -> Sequence[Line]:
        """The lines under ``section``'s heading, its sub-sections included."""
        first = section.line - self.lines[0].no + 1 if self.lines else 0
        count = len(section.full.split("\n")) if section.full else 0
        return self.lines[max(first, 0) : max(first, 0) + count]

    def front_line(self, *path: Any) -> int | None:
        p = tuple(path)
        while p:
            if p in self.front_lines:
                return self.front_lines[p]
            p = p[:-1]
        return None


@dataclass(frozen=True)
class Value:
    """A number a document states for a metric, with the interval it gives for it, if any."""

    metric: str  # a METRICS key
    value: float
    line: int | None
    written: str  # the value (and interval) as written
    split: str = ""  # training | validation | test | "" (not said)
    percent: bool = False  # written with %, or in a column headed (%)
    low: float | None = None
    high: float | None = None
    context: str = ""  # values in one table row, list or sentence belong together


# -- reading ---------------------------------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def read_markdown(text: str) -> Text:
    """Front matter, body lines (comments blanked, code blocks numbered) and sections of a card."""
    lines = text.lstrip("\ufeff").splitlines()
    front: Mapping[str, Any] = {}
    front_lines: Mapping[tuple[Any, ...], int] = {}
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            start = end + 1
            try:
                parsed = parse_with_lines("\n".join(lines[1:end]), line_offset=1)
            except YamlProblem:  # TRN100 reports it
                parsed = None
            if parsed is not None and isinstance(parsed.data, Mapping):
                front, front_lines = parsed.data, dict(parsed.lines)
    body = blank_comments("\n".join(lines[start:])).split("\n")
    out: list[Line] = []
    block, fence = 0, ""
    for i, ln in enumerate(body):
        m = _FENCE.match(ln)
        if m and (not fence or fence == m.group(1)[0]):
            fence, block = ("", block) if fence else (m.group(1)[0], block + 1)
            out.append(Line(start + i + 1, "", block))
            continue
        out.append(Line(start + i + 1, ln[:MAX_LINE], block if fence else 0))
    sections = tuple(split_sections(body, start + 1))
    heads = tuple(s.line for s in sections)
    titles = tuple(normalise_heading(s.title) for s in sections)
    return Text(front, front_lines, tuple(out), sections, heads, titles)


_MARKUP = re.compile(r"[\[<*_`~\\]")


def _plain(text: str) -> str:
    """Text without Markdown emphasis, links (their text kept), images and HTML tags."""
    if not _MARKUP.search(text):
        return text
    t = re.sub(r"!\[[^\]]{0,300}\]\([^)]{0,500}\)", " ", text)
    t = re.sub(r"\[([^\]]{0,300})\]\([^)]{0,500}\)", r"\1", t)
    t = re.sub(r"<[^<>]{0,300}>", " ", t)
    return re.sub(r"\*\*|__|`|~~", "", t).replace("\\|", "|")


def _quote(text: str, limit: int = EXCERPT) -> str:
    """A short excerpt of document text for a message, personal data in it masked."""
    t = " ".join(_plain(text).split()).strip(" *_-")
    if len(t) > limit:
        t = t[: limit - 1].rsplit(" ", 1)[0] + "…"
    return mask_text(t)


def _num(x: float) -> str:
    """``x`` to six significant digits, more when rounding would put it on a limit (1.0000001)."""
    shown = f"{x:.6g}"
    return repr(x) if float(shown) in (0.0, 1.0, 100.0) and float(shown) != x else shown


def _half_unit(written: str) -> float:
    """Half a unit of the last written digit, what rounding may hide (``0.91`` -> 0.005)."""
    m = re.search(r"\.(\d+)", written)
    return 0.5 * 10.0 ** (-(len(m.group(1)) if m else 0))


def _words(stems: Iterable[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z])(?:" + "|".join(stems) + ")", re.I)


def _split_said(text: str) -> str:
    """The split a heading or an introducing sentence names: "Test results", "on the evaluation
    set:"; a bare "Evaluation" or "Training results" names none (the Trainer's "Training results"
    table has validation columns)."""
    t = text.lower()
    return next((name for pattern, name in SPLITS_SAID if re.search(pattern, t)), "")


def _split_of(text: str) -> str:
    t = text.lower()
    return next((name for pattern, name in SPLITS if re.search(pattern, t)), "")


# -- metric values ---------------------------------------------------------------------------------

_NAME_TO_METRIC = {
    n: metric for metric, (_, prose, more) in METRICS.items() for n in (*prose, *more)
}
_PROSE_NAMES = sorted(
    (re.escape(n).replace(r"\ ", r"[\s-]?") for _, prose, _ in METRICS.values() for n in prose),
    key=len,
    reverse=True,
)


def metric_key(label: str) -> tuple[str, str, bool] | None:
    """``"Validation Loss"`` -> ``("loss", "validation", False)``; ``"Accuracy (%)"`` ->
    ``("accuracy", "", True)``; None when the label is not the value of one metric."""
    t = _plain(label).lower().replace("_", " ")
    if NOT_A_VALUE.search(t):
        return None
    percent = "%" in t or bool(re.search(r"\bpercent", t))
    t = re.sub(r"\([^()]{0,40}\)|\[[^\[\]]{0,40}\]|[↑↓]", " ", t)
    split = ""
    for pattern, name in SPLITS:
        if re.search(pattern, t):
            split = split or name
            t = re.sub(pattern, " ", t)
    t = " ".join(_QUALIFIERS.sub(" ", re.sub(r"[^a-z0-9]+", " ", t)).split())
    metric = _NAME_TO_METRIC.get(t)
    return (metric, split, percent) if metric else None


_NUMBER = r"[-−]?\d{1,9}(?:\.\d+)?(?:e[-+]?\d{1,3})?"
_VALUE = re.compile(
    rf"\s*(?P<v>{_NUMBER})(?P<pct>\s?%)?"
    r"(?:\s*(?:±|\+/-|\+-)\s*\d+(?:\.\d+)?\s*%?)?"  # a spread is not an interval
    rf"(?:\s*,?\s*(?P<open>[(\[])?\s*(?:\d{{2}}(?:\.\d+)?\s*%\s*)?"
    r"(?P<ci>c\.?i\.?|confidence interval|credible interval|bootstrap ci)?\s*[:=,]?\s*"
    rf"(?P<lo>{_NUMBER})\s*%?\s*(?P<sep>–|—|-|to|,)\s*(?P<hi>{_NUMBER})\s*%?\s*(?P<close>[)\]])?)?",
    re.I,
)
_UNIT_AFTER = re.compile(
    r"\s*(?:bits?\b|-bit|bytes?\b|tokens?\b|epochs?\b|steps?\b|[kmbt]\b|x\b|hours?\b|samples\b|"
    r"examples\b|images\b|classes\b|labels\b|languages\b|points\b|pts\b|pp\b|p\.p\.|layers\b|"
    r"gpus?\b|seconds?\b|ms\b|shots?\b|-shot|db\b|/\d)",
    re.I,
)
_INTERVAL_CELL = re.compile(
    rf"^\s*[(\[]?\s*(?P<lo>{_NUMBER})\s*%?\s*(?:–|—|-|to|,)\s*(?P<hi>{_NUMBER})\s*%?\s*[)\]]?\s*$"
)


@dataclass(frozen=True)
class _Number:
    value: float
    percent: bool
    low: float | None
    high: float | None
    written: str
    end: int


def _float(text: str) -> float:
    return float(text.replace("−", "-"))


def parse_number(text: str, pos: int = 0) -> _Number | None:
    """The number at ``pos`` (``0.91``, ``91.2%``) and the interval written after it, if it says it
    is one (``95% CI 0.89–0.93``) or brackets two decimals (``(0.89–0.93)``, ``[0.89, 0.93]``)."""
    m = _VALUE.match(text, pos)
    if m is None:
        return None
    end_v = m.end("pct") if m.group("pct") else m.end("v")
    if _UNIT_AFTER.match(text, end_v):
        return None
    low = high = None
    if m.group("lo") is not None:
        opened, closed, marked = m.group("open"), m.group("close"), bool(m.group("ci"))
        pair = bool(opened and closed and "([".index(opened) == ")]".index(closed))
        decimals = "." in m.group("lo") and "." in m.group("hi")
        comma_ok = m.group("sep") != "," or marked or opened == "["
        if comma_ok and ((marked and (pair or not opened)) or (pair and decimals)):
            low, high = _float(m.group("lo")), _float(m.group("hi"))
    end = m.end() if low is not None else end_v
    written = " ".join(text[m.start("v") : end].split())
    try:
        value = _float(m.group("v"))
    except ValueError:
        return None
    if not math.isfinite(value):
        return None
    return _Number(value, bool(m.group("pct")), low, high, written, end)


def _only_number(cell: str) -> bool:
    """A cell that holds a number (with %, ±, an interval or footnote marks), not a sentence."""
    n = parse_number(cell)
    return n is not None and not cell[n.end :].strip(" *†‡^°¹²³,;")


def _cells(line: str) -> list[str]:
    t = line.strip()
    t = t[1:] if t.startswith("|") else t
    t = t[:-1] if t.endswith("|") and not t.endswith("\\|") else t
    return [_plain(c).strip() for c in re.split(r"(?<!\\)\|", t)]


#: columns of counts and settings, not values of the metric that leads the row
_COUNT_COLUMN = re.compile(
    r"\b(support|count|counts|n|num|number|samples|examples|instances|total|size|params|"
    r"parameters|time|latency|epochs?|steps?|#)\b|^#|^n$",
    re.I,
)
_TABLE_DELIM = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_CI_HEAD = re.compile(r"\b(ci|confidence interval|credible interval)\b", re.I)


def _column(header: str) -> tuple[str, tuple[str, str, bool] | None]:
    """What a table column holds: a metric, an interval or one of its bounds, or something else."""
    low = header.lower()
    if _CI_HEAD.search(low) or re.search(r"\b(lower|upper) bound\b", low):
        if re.search(r"\b(low|lower|lo|min)\b", low):
            return "low", None
        if re.search(r"\b(high|upper|hi|max)\b", low):
            return "high", None
        return "ci", None
    key = metric_key(header)
    return ("metric", key) if key else ("other", None)


def _bound(v: Value, role: str, cell: str, header: str) -> Value:
    if role == "ci":
        m = _INTERVAL_CELL.match(cell)
        if m is None:
            return v
        return replace(
            v, low=_float(m["lo"]), high=_float(m["hi"]), written=f"{v.written} ({cell})"
        )
    n = parse_number(cell)
    if n is None or not _only_number(cell):
        return v
    written = f"{v.written}, {header} {n.written}"
    if role == "low":
        return replace(v, low=n.value, written=written)
    return replace(v, high=n.value, written=written)


def _tables(text: Text) -> Iterator[Value]:
    """Numbers in GFM tables: a column headed by a metric, or a row led by one; CI columns."""
    lines = text.lines
    i = 0
    while i + 1 < len(lines):
        head, delim = lines[i], lines[i + 1]
        if head.code or delim.code or "|" not in head.text or not _TABLE_DELIM.match(delim.text):
            i += 1
            continue
        header = _cells(head.text)
        columns = [_column(h) for h in header]
        section = text.section_at(head.no)
        # a section's split ("## Test results") holds for the table unless its columns name splits
        # (the Trainer's "Training results" table has training and validation columns)
        named = any(_split_of(h) for h in header)
        table_split = _split_said(section.title) if section and not named else ""
        j = i + 2
        while j < len(lines) and not lines[j].code and "|" in lines[j].text:
            yield from _row(lines[j], header, columns, table_split)
            j += 1
        i = j


def _row(
    row: Line,
    header: list[str],
    columns: list[tuple[str, tuple[str, str, bool] | None]],
    table_split: str,
) -> list[Value]:
    cells = _cells(row.text)
    row_key = metric_key(cells[0]) if cells and not _only_number(cells[0]) else None
    out: list[Value] = []
    for k, cell in enumerate(cells):
        role, key = columns[k] if k < len(columns) else ("other", None)
        head = header[k] if k < len(header) else ""
        if role in ("low", "high", "ci"):
            if out:
                out[-1] = _bound(out[-1], role, cell, head)
            continue
        if k == 0 and row_key is not None:
            continue
        if role == "metric" and key is not None:
            if row_key is not None and row_key[0] != key[0]:
                continue  # "accuracy" row, "f1-score" column (a classification report): ambiguous
            metric, split, percent = key
        elif role == "other" and row_key is not None and not _COUNT_COLUMN.search(head):
            metric, split, percent = row_key
            split, percent = split or _split_of(head), percent or "%" in head
        else:
            continue
        n = parse_number(cell) if _only_number(cell) else None
        if n is None:
            continue
        out.append(
            Value(
                metric,
                n.value,
                row.no,
                n.written,
                split or table_split,
                percent or n.percent,
                n.low,
                n.high,
                f"row:{row.no}",
            )
        )
    return out


_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+|\d{1,3}[.)]\s+)?(?:\*\*|__)?(?P<label>[A-Za-z][^:=*_|\n]{0,60}?)\s*"
    r"(?:\*\*|__)?\s*[:=]\s*(?:\*\*|__)?(?P<rest>.*)$"
)


def _labels(text: Text) -> Iterator[Value]:
    """``- Loss: 0.31`` / ``**Accuracy**: 91.2%`` lines. One run of such lines is one context; its
    split comes from the line that introduces it ("results on the evaluation set:") or the section."""
    block, split0, before = 0, "", ""
    for ln in text.lines:
        if not ln.text.strip():
            continue
        m = None if ln.code or "|" in ln.text else _LABEL.match(ln.text)
        key = metric_key(m.group("label")) if m else None
        if m is None or key is None:
            block, before = 0, ln.text
            continue
        if not block:
            block = ln.no
            section = text.section_at(ln.no)
            split0 = _split_said(before) or (_split_said(section.title) if section else "")
        n = parse_number(_plain(m.group("rest")))
        if n is None:
            continue
        metric, split, percent = key
        yield Value(
            metric,
            n.value,
            ln.no,
            n.written,
            split or split0,
            percent or n.percent,
            n.low,
            n.high,
            f"list:{block}",
        )


_PROSE = re.compile(
    r"(?<![\w@/.-])(?P<split>(?:train(?:ing)?|validation|val|eval(?:uation)?|dev|test)\s+)?"
    r"(?P<metric>" + "|".join(_PROSE_NAMES) + r")(?![\w@-])(?:\s+score)?\s*(?:\(%\))?\s*"
    r"(?P<glue>[:=]|\bof\b|\bis\b|\bwas\b|\bequals?\b|\breach(?:es|ed)\b|\bachieve[sd]?\b|"
    r"\bobtain(?:s|ed)?\b|\bscor(?:es|ed)\b)?\s*(?:\bof\b\s*)?"
    r"(?:\b(?:about|around|approximately|roughly|nearly|over|under)\b\s*|~\s*|≈\s*)?",
    re.I,
)
_YEAR = re.compile(r"^(1[89]|20)\d\d$")


def _prose(text: Text) -> Iterator[Value]:
    """ "an accuracy of 0.91 (95% CI 0.89–0.93)" in running text; one line is one context."""
    for ln in text.lines:
        if ln.code or "|" in ln.text or not ln.text.strip():
            continue
        label = _LABEL.match(ln.text)
        if label and metric_key(label.group("label")):
            continue  # read by _labels
        plain = _plain(ln.text)
        for m in _PROSE.finditer(plain):
            n = parse_number(plain, m.end())
            if n is None:
                continue
            glue = (m.group("glue") or "").strip()
            integer = "." not in n.written.split()[0] and not n.percent
            if integer and (not glue or _YEAR.match(n.written.split()[0])):
                continue  # "accuracy 2023", "F1 2" is not a value
            if n.value < 0 and glue not in (":", "="):
                continue
            key = metric_key(m.group("metric"))
            if key is None:
                continue
            split = _split_of(m.group("split") or "")
            yield Value(
                key[0], n.value, ln.no, n.written, split, n.percent, n.low, n.high, f"line:{ln.no}"
            )


def _number_of(x: Any) -> float | None:
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return None
    return float(x) if math.isfinite(x) else None


def _structured(doc: Document) -> Iterator[Value]:
    """Results the loaders read: ``model-index``, MCT ``performance_metrics``, ``results:``."""
    for key in ("results.overall", "results.by_group"):
        for fv in doc.values(key):
            if fv.problem or not isinstance(fv.value, list):
                continue
            for i, row in enumerate(fv.value):
                if not isinstance(row, Mapping):
                    continue
                name = str(row.get("metric") or "")
                mk = metric_key(name) or metric_key(str(row.get("name") or ""))
                value = _number_of(row.get("value"))
                if mk is None or value is None:
                    continue
                lo, hi = _number_of(row.get("ci_low")), _number_of(row.get("ci_high"))
                line = fv.item_lines[i] if i < len(fv.item_lines) and fv.item_lines[i] else fv.line
                split = mk[1] or _split_of(str(row.get("split") or ""))
                where = f"{row.get('dataset') or ''}:{row.get('feature') or ''}={row.get('group') or ''}"
                written = _num(value) + (
                    f" ({_num(lo)}–{_num(hi)})" if lo is not None and hi is not None else ""
                )
                yield Value(
                    mk[0], value, line, written, split, mk[2], lo, hi, f"results:{where}:{split}"
                )


def read_values(doc: Document, text: Text | None) -> list[Value]:
    """Every metric value the document states: structured results first, then the Markdown body."""
    found = list(_structured(doc))
    if text is not None:
        found += [*_tables(text), *_labels(text), *_prose(text)]
    return found


# -- ranges ----------------------------------------------------------------------------------------


def _doc_name(doc: Document) -> str:
    return "datasheet" if doc.role == "datasheet" else "model card"


def _metric_words(v: Value) -> str:
    split = f"{v.split} " if v.split else ""
    return f"{split}{METRIC_WORDS[v.metric]}"


def _article(words: str) -> str:
    return f"{'an' if words[:1].lower() in 'aeiou' else 'a'} {words}"


_FIX_INTERVAL = (
    "Recompute the interval with a method that stays inside the metric's range (Wilson or "
    "Clopper-Pearson for a proportion such as accuracy or recall, a bootstrap percentile interval "
    "for F1 or AUC), or correct the typo; state the method and the confidence level next to it."
)
_FIX_PAIR = (
    "Check that the value and its interval come from the same evaluation (model version, dataset, "
    "split) and correct whichever was copied wrongly."
)


def _range_problem(v: Value, doc: Document) -> Problem | None:
    scale = METRICS[v.metric][0]
    what = _article(_metric_words(v))
    at = f"{what} of {v.written} (line {v.line})" if v.line else f"{what} of {v.written}"
    lo, hi = v.low, v.high
    slack = _half_unit(v.written.split()[0]) + 1e-9
    head = f"The {_doc_name(doc)} reports {at}"
    ev: dict[str, Any] = {
        "metric": v.metric,
        "value": v.value,
        "ci_low": lo,
        "ci_high": hi,
        "split": v.split or None,
        "written": v.written,
    }
    if scale == "share":
        top = 100.0 if v.percent or v.value > 1 else 1.0
        shown = "100%" if top == 100 else "1 (100%)"
        if v.value < 0 or v.value > 100:
            return Problem(
                "ranges",
                f"value:{v.metric}:{_num(v.value)}",
                f"{head}, but {METRIC_WORDS[v.metric]} is a proportion: it cannot be "
                f"{'below 0' if v.value < 0 else 'above 100%'}.",
                v.line,
                None,
                "Correct the value, or say how it is scaled (a share between 0 and 1, or "
                "a percentage written with %).",
                evidence=ev,
            )
    elif scale == "loss" and v.value < 0:
        return Problem(
            "ranges",
            f"value:{v.metric}:{_num(v.value)}",
            f"{head}, but {_article(METRIC_WORDS[v.metric])} cannot be negative.",
            v.line,
            None,
            "Check the sign and the metric's name: a cross-entropy or squared-error "
            "loss is never below 0; if the objective can be negative (a log-likelihood "
            "of a density, a Wasserstein critic), name it so.",
            evidence=ev,
        )
    elif scale == "perplexity" and v.value < 1:
        return Problem(
            "ranges",
            f"value:{v.metric}:{_num(v.value)}",
            f"{head}, but a perplexity cannot be below 1 (it is the exponential of a "
            "loss that is never negative).",
            v.line,
            None,
            "Check whether the number is a perplexity, a loss or a log-perplexity, and "
            "name it accordingly.",
            evidence=ev,
        )
    if lo is None or hi is None:
        return None
    subject = f"{v.metric}:{_num(v.value)}:{_num(lo)}:{_num(hi)}"
    if lo > hi:
        return Problem(
            "ranges",
            f"reversed:{subject}",
            f"{head}: its interval's lower bound {_num(lo)} is above its upper bound {_num(hi)}.",
            v.line,
            None,
            _FIX_PAIR,
            evidence=ev,
        )
    if v.value < lo - slack or v.value > hi + slack:
        side = (
            f"the lower bound {_num(lo)} is above the value {_num(v.value)} itself"
            if v.value < lo
            else f"the upper bound {_num(hi)} is below the value {_num(v.value)} itself"
        )
        return Problem(
            "ranges",
            f"outside:{subject}",
            f"{head}: {side}, so the interval cannot be that value's.",
            v.line,
            None,
            _FIX_PAIR,
            evidence=ev,
        )
    if scale == "share" and (hi > top + 1e-9 or lo < 0):
        bad = (
            f"upper bound {_num(hi)} is above {shown}, the largest"
            if hi > top
            else f"lower bound {_num(lo)} is below 0, the smallest"
        )
        return Problem(
            "ranges",
            f"bound:{subject}",
            f"{head}: the interval's {bad} {METRIC_WORDS[v.metric]} possible.",
            v.line,
            None,
            _FIX_INTERVAL,
            evidence=ev,
        )
    floor = 1.0 if scale == "perplexity" else 0.0
    if lo < floor:
        return Problem(
            "ranges",
            f"bound:{subject}",
            f"{head}: the interval's lower bound {_num(lo)} is below {_num(floor)}, "
            f"which {_article(METRIC_WORDS[v.metric])} cannot reach.",
            v.line,
            None,
            _FIX_INTERVAL,
            evidence=ev,
        )
    return None


# -- relations -------------------------------------------------------------------------------------


def _resolved(values: Sequence[Value]) -> list[Value]:
    """Values of one context, those without a split given the context's only split."""
    splits = {v.split for v in values if v.split}
    if len(splits) != 1:
        return list(values)
    only = next(iter(splits))
    return [v if v.split else replace(v, split=only) for v in values]


def _fraction(v: Value) -> tuple[float, float]:
    """(value, rounding slack) as a share of 1."""
    scale = 100.0 if v.percent or v.value > 1 else 1.0
    return v.value / scale, _half_unit(v.written.split()[0]) / scale


def _perplexity_of(loss: Value, tolerance: float) -> list[tuple[str, float, float]]:
    """(base, lowest, highest) perplexity a loss can mean, within rounding and ``tolerance``."""
    slack = _half_unit(loss.written.split()[0])
    out = []
    for base, f in (("e", math.exp), ("2", lambda x: 2.0**x)):
        lo, hi = loss.value - slack, loss.value + slack
        if hi > 300:
            continue
        out.append((base, f(lo) * (1 - tolerance), f(hi) * (1 + tolerance)))
    return out


def _where(v: Value) -> str:
    return f"{v.written} (line {v.line})" if v.line else v.written


def _pair_problem(a: Value, b: Value, doc: Document, tolerance: float) -> Problem | None:
    name = _doc_name(doc)
    if a.metric == "perplexity":
        a, b = b, a
    if (a.metric, b.metric) == ("loss", "perplexity"):
        ranges = _perplexity_of(a, tolerance)
        slack = _half_unit(b.written.split()[0])
        if not ranges or any(lo - slack <= b.value <= hi + slack for _, lo, hi in ranges):
            return None
        expected = math.exp(a.value)
        split = f"{a.split} " if a.split else ""
        return Problem(
            "relations",
            f"loss-perplexity:{a.split}:{_num(a.value)}:{_num(b.value)}",
            f"The {name} gives a {split}loss of {_where(a)} and a {split}perplexity of {_where(b)}, "
            f"but a loss of {a.written.split()[0]} means a perplexity of about {expected:.3g} "
            f"(e^{a.written.split()[0]}); the two numbers cannot both be right.",
            b.line or a.line,
            None,
            "Recompute both from the same evaluation run (perplexity = exp(mean cross-entropy per "
            "token, in nats)); if the loss is in bits, per character, or the perplexity is on "
            "another split or tokenisation, say so next to the numbers.",
            detail=f"perplexity {_num(b.value)} vs exp(loss) {expected:.4g} and 2^loss "
            f"{2.0**a.value:.4g} (loss {_num(a.value)}, relative tolerance {tolerance:g} beyond "
            "rounding)",
            evidence={
                "split": a.split or None,
                "loss": a.value,
                "loss_line": a.line,
                "perplexity": b.value,
                "perplexity_line": b.line,
                "exp_loss": expected,
                "two_to_loss": 2.0**a.value,
            },
        )
    for m1, m2, words in COMPLEMENTS:
        if {a.metric, b.metric} != {m1, m2}:
            continue
        x, y = (a, b) if a.metric == m1 else (b, a)
        (fx, sx), (fy, sy) = _fraction(x), _fraction(y)
        if abs(fx + fy - 1) <= sx + sy + 1e-9:
            return None
        split = f"on the {x.split} data " if x.split else ""
        return Problem(
            "relations",
            f"complement:{m1}:{x.split}:{_num(fx)}:{_num(fy)}",
            f"The {name} gives {words} {split}that should add up to 1 (100%): "
            f"{METRIC_WORDS[m1]} {_where(x)} and {METRIC_WORDS[m2]} {_where(y)} add up to "
            f"{fx + fy:.4g}.",
            y.line or x.line,
            None,
            f"Recompute both from the same confusion matrix; {METRIC_WORDS[m2]} is 1 - "
            f"{METRIC_WORDS[m1]}. If they come from different data or thresholds, say which.",
            evidence={"split": x.split or None, m1: x.value, m2: y.value, "sum": fx + fy},
        )
    return None


_RELATED = {"loss", "perplexity"} | {m for pair in COMPLEMENTS for m in pair[:2]}


def _relation_problems(
    vals: Sequence[Value], doc: Document, tolerance: float
) -> tuple[list[Problem], int]:
    """Pairs compared inside one context (a table row, a list, a sentence, a results entry), then
    across the card when each metric has a single value for an explicitly named split."""
    vals = [v for v in vals if v.metric in _RELATED]
    contexts: dict[str, list[Value]] = {}
    for v in vals:
        contexts.setdefault(v.context, []).append(v)
    pairs: list[tuple[Value, Value]] = []
    for group in contexts.values():
        group = _resolved(group)
        pairs += [
            (a, b)
            for i, a in enumerate(group)
            for b in group[i + 1 :]
            if a.split == b.split and a.metric != b.metric
        ]
    by_key: dict[tuple[str, str], set[float]] = {}
    first: dict[tuple[str, str], Value] = {}
    for v in vals:
        if v.split:
            by_key.setdefault((v.metric, v.split), set()).add(v.value)
            first.setdefault((v.metric, v.split), v)
    single = [first[k] for k, seen in by_key.items() if len(seen) == 1]
    pairs += [
        (a, b)
        for i, a in enumerate(single)
        for b in single[i + 1 :]
        if a.split == b.split and a.context != b.context
    ]
    problems = [p for a, b in pairs if (p := _pair_problem(a, b, doc, tolerance)) is not None]
    return problems, len(pairs)


# -- identity --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """One way the document names the model (or its version)."""

    written: str  # as written, masked and short
    tokens: frozenset[str]  # distinctive words, without the organisation (name_tokens)
    wide: frozenset[str]  # with the organisation's words ("distil-whisper/distil-large-v2")
    squashed: str  # letters and digits only, without the organisation
    line: int | None
    source: str  # plain words: "the front matter's model_name", "the title", ...
    first: str = ""  # the first distinctive word (the family: "llama", "whisper")
    acronyms: tuple[tuple[str, tuple[str, ...]], ...] = ()  # ("sd", ("stable", "diffusion"))
    # other readings of the same name: a short name the title gives in brackets ("... for LLMs
    # (PairRM)"), the words of a CamelCase name ("DistilbertNER" = distilbert ner)
    variants: tuple[Name, ...] = ()

    @classmethod
    def of(cls, value: str, line: int | None, source: str, alias: str = "") -> Name:
        t = _plain(value).strip()
        variants = [cls.of(alias, line, source)] if alias else []
        camel = re.sub(r"(?<=[a-z]{2})(?=[A-Z])", " ", t)  # DistilbertNER, koElectra
        if camel != t:
            variants.append(cls.of(camel, line, source))
        ordered = _ordered_tokens(t)
        words = [w for w in ordered if not w.isdigit()]
        # "stable diffusion" -> sd; "question answering nlu" -> qa, qanlu (initials, last word whole)
        acronyms = tuple(
            (short, tuple(words[i : i + n]))
            for n in (2, 3)
            for i in range(len(words) - n + 1)
            for short in {
                "".join(w[0] for w in words[i : i + n]),
                "".join(w[0] for w in words[i : i + n - 1]) + words[i + n - 1],
            }
        )
        return cls(
            _quote(value, 60),
            frozenset(ordered),
            name_tokens(t, keep_org=True),
            _squash(t),
            line,
            source,
            words[0] if words else "",
            acronyms,
            tuple(variants),
        )

    def spelled_out(self, other: Name) -> frozenset[str]:
        """This name's words, an acronym of the other's words also read as those words
        ("sd-wikiart" next to "stable-diffusion-wikiart": sd = stable diffusion)."""
        extra = {w for short, words in other.acronyms if short in self.tokens for w in words}
        return self.wide | extra


_ID = re.compile(r"^[A-Za-z0-9][\w.+-]{0,95}(?:/[A-Za-z0-9][\w.+-]{0,95})?(?::[\w.-]{1,40})?$")
_LOADS = re.compile(
    r"""(?:from_pretrained|SentenceTransformer|CrossEncoder|hf_hub_download|snapshot_download|"""
    r"""load_checkpoint|from_hub)\s*\(\s*(?:\w+\s*=\s*)?["'](?P<a>[^"'\s]{2,140})["']"""
    r"""|\b(?:model|model_id|model_name|repo_id|model_name_or_path|pretrained_model_name_or_path|"""
    r"""checkpoint)\s*[:=]\s*["'](?P<b>[^"'\s]{2,140})["']"""
    r"""|(?:huggingface-cli|\bhf)\s+download\s+(?P<c>[\w.-]+/[\w.-]+)"""
    r"""|\bollama\s+(?:run|pull)\s+(?P<d>[\w.:/-]{2,140})"""
    r"""|\bdocker\s+model\s+(?:run|pull)\s+(?P<e>[\w.:/-]{2,140})"""
    r"""|--model(?:_name_or_path|-name-or-path|_id|-id)?[= ]+["']?(?P<f>[\w.-]+/[\w.-]+)"""
)
_QUOTED_ID = re.compile(r"""["']([A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95})["']""")
_NOT_THE_MODEL = re.compile(
    r"tokeni[sz]er|processor|feature_?extractor|image_?processor|vocab|dataset|load_dataset|"
    r"scheduler|vae|text_encoder|safety_checker|controlnet|embedding",
    re.I,
)
_BASE_PROSE = re.compile(
    r"(?:fine[- ]?tuned?\s+(?:version\s+|variant\s+|checkpoint\s+)?(?:of|from|on\s+top\s+of)|"
    r"based\s+on|built\s+(?:on|upon)|derived\s+from|initiali[sz]ed\s+(?:from|with)|distilled\s+from|"
    r"quanti[sz](?:ed|ation)\s+(?:version\s+)?of|(?:gguf|awq|gptq|onnx|mlx)\s+(?:version|conversion|"
    r"format|quants?)\s+of|converted\s+from|merge\s+of|adapter\s+(?:for|of)|continued\s+"
    r"pre-?training\s+of|trained\s+on\s+top\s+of)\s+(?:the\s+)?(?:model\s+)?\[?`?(?P<id>[\w./-]{2,120})",
    re.I,
)
_BASE_LABEL = re.compile(
    r"^(?:finetuned from(?: model)?|fine[- ]tuned from(?: model)?|base model|parent model|"
    r"original model|teacher model|foundation model|pretrained model|backbone|built on|based on|"
    r"quantized from|model creator)$"
)
_NAME_LABEL = re.compile(r"^(?:model (?:id|name|identifier)|repo(?:sitory)? id|hub id)$")
_VERSION_LABEL = re.compile(r"^(?:model )?version$")
_ANY_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+|\d{1,3}[.)]\s+)?(?:\*\*|__)?(?P<label>[A-Za-z][^:*_|\n]{0,40}?)\s*(?:\*\*|__)?"
    r"\s*[:：]\s*(?:\*\*|__)?\s*(?P<value>\S.*)$"
)
_VERSION = re.compile(
    r"(?<![\w.])v?(?P<v>\d+(?:\.\d+){0,3}(?:[-.]?(?:alpha|beta|rc|a|b)\d*)?)(?![\w.])", re.I
)


def name_tokens(name: str, keep_org: bool = False) -> frozenset[str]:
    return frozenset(_ordered_tokens(name, keep_org))


def _ordered_tokens(name: str, keep_org: bool = False) -> list[str]:
    """What tells one model from another in ``name``: ``"meta-llama/Meta-Llama-3-8B-Instruct"`` ->
    {meta, llama, 3}. The organisation (unless ``keep_org``), sizes (8B, 128k) and variant words
    (instruct, base, gguf) are left out; words and numbers are split (``gpt2`` -> gpt, 2)."""
    t = _plain(name).strip().lower()
    if "/" in t and _ID.match(t.replace(" ", "")):
        org, t = t.rsplit("/", 1)
        t = f"{org} {t}" if keep_org else t
    t = re.sub(r":[\w.-]+$", "", t)  # a tag (docker/ollama ``:4B``)
    t = re.sub(r"(\d)(?:\.0)+(?![\d.])", r"\1", t)  # v2.0 is v2
    t = re.sub(r"^model card\s*(?:for|of|:|-|–)?\s*|\s*model card$", "", t)
    words = re.split(r"[^a-z0-9.]+", t)
    out: list[str] = []
    for w in words:
        w = w.strip(".")
        if not w or _SIZE.match(w):
            continue
        for part in re.split(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])|\.", w):
            if part and part not in SOFT_NAME_WORDS and not _SIZE.match(part) and part not in out:
                out.append(part)
    return out


def _squash(name: str) -> str:
    t = name.strip().lower()
    if "/" in t and _ID.match(t.replace(" ", "")):
        t = t.rsplit("/", 1)[1]
    t = re.sub(r"^model card\s*(?:for|of|:|-|–)?\s*", "", t)
    return re.sub(r"[^a-z0-9]+", "", t)


def compatible(a: Name, b: Name, loose: bool = False) -> bool:
    """Two names can be the same model: one's distinctive words are among the other's (with its
    organisation, an acronym spelled out), or one is the other written without separators:
    "Llama 3" and "meta-llama/Meta-Llama-3-8B"; "Whisper" and "openai/whisper-large-v3";
    "Distil-Whisper" and "distil-whisper/distil-large-v2"; "DALL·E Mini" and "dalle-mini";
    "sd-wikiart-v2" and "stable-diffusion-wikiart". Each reading of a name counts (its bracketed
    alias, its CamelCase words). ``loose`` (a title written as words): sharing the family word, or
    two distinctive words, is enough ("Stable Diffusion - Aurora Borealis" and "sd-aurora-256px")."""
    return any(_same(x, y, loose) for x in (a, *a.variants) for y in (b, *b.variants))


def _same(a: Name, b: Name, loose: bool) -> bool:
    if not a.tokens or not b.tokens or a.tokens <= b.spelled_out(a) or b.tokens <= a.spelled_out(b):
        return True
    short, long = sorted((a.squashed, b.squashed), key=len)
    if len(short) >= 3 and short in long:
        return True
    if not loose:
        return False
    shared = (a.tokens | {x for x, _ in a.acronyms}) & (b.tokens | {x for x, _ in b.acronyms})
    if shared & {a.first, b.first} - {""}:
        return True
    return len({t for t in a.tokens & b.tokens if not t.isdigit()}) >= 2  # a renaming title


def _compatible(a: Name, b: Name) -> bool:
    """:func:`compatible`, loose when one is a title written as words ("Stable Diffusion - Aurora"),
    strict when the title is an id ("mDeBERTa-v3-base-xnli-multilingual-nli-2mil7")."""
    free = any(n.source == "the title" and " " in n.written.strip() for n in (a, b))
    return compatible(a, b, loose=free)


def _clean_title(title: str) -> tuple[str, str] | None:
    """(the model's name, a short alias in brackets) from a title; None when it names no model."""
    t = " ".join(_plain(title).split()).strip(" #:-–—|")
    bracket = re.search(r"\(([^()]{2,40})\)", t)
    alias = bracket.group(1).strip() if bracket and len(bracket.group(1).split()) <= 3 else ""
    t = re.sub(r"^[^\w]+", "", t)  # emoji, icons
    t = re.sub(r"^model card\s*(?:for|of|:|-|–|—)?\s*", "", t, flags=re.I)
    t = re.sub(r"\s*[-–—:]?\s*model card$", "", t, flags=re.I)
    for sep in (":", " — ", " | ", "("):
        left = t.split(sep, 1)[0].strip()
        if left and sep in t and len(left.split()) <= 5:
            t = left
    if not t or _NOT_A_TITLE.match(t.lower()) or len(t.split()) > 6 or _DESCRIPTIVE_TITLE.search(t):
        return None
    if assess(t).status != "present":
        return None
    return t, alias


def _id_value(value: str) -> str | None:
    v = value.strip().strip("`'\"").split()[0] if value.strip() else ""
    v = re.sub(r"^https?://(?:www\.)?huggingface\.co/", "", v).rstrip("/.,;)")
    if (
        not v
        or v.startswith((".", "/", "~"))
        or re.search(r"\.(bin|pt|pth|safetensors|json|onnx|gguf|h5|ckpt)$", v, re.I)
    ):
        return None
    return v if _ID.match(v) and not re.fullmatch(r"[\d.]+", v) else None


def _base_models(doc: Document, text: Text | None) -> list[Name]:
    found: list[str] = []
    for fv in doc.values("model.base_model"):
        vals = fv.value if isinstance(fv.value, list) else [fv.value]
        found += [str(x) for x in vals if isinstance(x, str)]
    if text is not None:
        base = text.front.get("base_model")
        found += [
            str(x) for x in (base if isinstance(base, list) else [base]) if isinstance(x, str)
        ]
        for ln in text.lines:
            if ln.code:
                continue
            plain = _plain(ln.text)
            found += [m.group("id") for m in _BASE_PROSE.finditer(plain)]
            lab = _ANY_LABEL.match(plain) if ":" in plain else None
            if lab and _BASE_LABEL.match(normalise_heading(lab.group("label"))):
                found.append(lab.group("value"))
    unique = list(dict.fromkeys(f.strip() for f in found if f.strip()))[:MAX_NAMES]
    names = (Name.of(f, None, "the base model") for f in unique)
    return [n for n in names if n.tokens]


def _declared_names(doc: Document, text: Text | None) -> list[Name]:
    """The names the document gives the model, strongest first: structured keys, the front matter,
    model-index, ``Model ID:``/``Model name:`` labels, the title."""
    names: list[Name] = []

    def add(value: Any, line: int | None, source: str, alias: str = "") -> None:
        if (
            isinstance(value, (int, float))
            or not isinstance(value, str)
            or re.fullmatch(r"[\d\s.-]*", value)
        ):
            return  # a job number ("Model ID: 1859363550") is not a name
        if len(value.split()) >= 4 and _DESCRIPTIVE_TITLE.search(value):
            return  # a description, not a name
        if value.strip() and assess(value).status == "present":
            name = Name.of(value, line, source, alias)
            if name.tokens:
                names.append(name)

    if text is None:
        for key, source in (
            ("model.name", "the card's model name"),
            ("model.id", "the card's model id"),
        ):
            for fv in doc.values(key):
                if fv.confidence == "high":
                    add(fv.value, fv.line, f"{source} ({fv.source})")
        return names
    add(
        text.front.get("model_name"), text.front_line("model_name"), "the front matter's model_name"
    )
    index = text.front.get("model-index")
    for i, entry in enumerate(index if isinstance(index, list) else []):
        if isinstance(entry, Mapping):
            add(
                entry.get("name"), text.front_line("model-index", i, "name"), "the model-index name"
            )
    for ln in text.lines:
        if ln.code:
            continue
        if ":" not in ln.text and "|" not in ln.text:
            continue
        plain = _plain(ln.text)
        lab = _ANY_LABEL.match(plain)
        if lab and _NAME_LABEL.match(normalise_heading(lab.group("label"))):
            add(lab.group("value").strip(), ln.no, f"the '{_quote(lab.group('label'), 30)}:' label")
        elif "|" in plain:
            cells = _key_value_row(text, ln)
            if cells and _NAME_LABEL.match(normalise_heading(cells[0])):
                add(cells[1], ln.no, f"the '{_quote(cells[0], 30)}' table row")
    first = text.sections[0] if text.sections else None
    if first is not None and first.level == 1:
        title = _clean_title(first.title)
        if title:
            add(title[0], first.line, "the title", title[1])
    return names


def _key_value_row(text: Text, ln: Line) -> tuple[str, str] | None:
    """(key, value) of a two-column table row that is not the table's header."""
    cells = _cells(ln.text)
    if len(cells) != 2 or not cells[0] or not cells[1]:
        return None
    at = ln.no - text.lines[0].no if text.lines else 0
    after = text.lines[at + 1].text if 0 <= at + 1 < len(text.lines) else ""
    return None if _TABLE_DELIM.match(after) else (cells[0], cells[1])


def _code_ids(text: Text) -> list[tuple[list[Name], list[Name]]]:
    """(ids a code example loads, every quoted Hub id in it) for the examples that are not about
    other models (fine-tuning, comparing, distilling, speculative decoding)."""
    blocks: dict[int, list[Name]] = {}
    quoted: dict[int, list[Name]] = {}
    seen_in: dict[int, set[str]] = {}
    skip: set[int] = set()
    for ln in text.lines:
        if not ln.code:
            continue
        if _TRAINING_CODE.search(ln.text):
            skip.add(ln.code)
        if _OTHER_MODELS_SECTION.search(text.title_at(ln.no)):
            skip.add(ln.code)
        seen = seen_in.setdefault(ln.code, set())
        for q in _QUOTED_ID.finditer(ln.text):
            if q.group(1) not in seen and len(seen) < MAX_NAMES:
                seen.add(q.group(1))
                quoted.setdefault(ln.code, []).append(Name.of(q.group(1), ln.no, "a code example"))
        for m in _LOADS.finditer(ln.text):
            if _NOT_THE_MODEL.search(ln.text[max(0, m.start() - 40) : m.start() + 16]):
                continue  # a tokenizer or processor is often borrowed from another model
            ident = _id_value(next(g for g in m.groups() if g))
            if not ident or not ("/" in ident or m.group("d") or m.group("e")):
                continue
            if f"load:{ident}" in seen or len(seen) >= 2 * MAX_NAMES:
                continue
            seen.add(f"load:{ident}")
            name = Name.of(ident, ln.no, "a code example")
            if name.tokens:
                blocks.setdefault(ln.code, []).append(name)
    found = [(ids, quoted.get(b, [])) for b, ids in blocks.items() if b not in skip]
    return found[:MAX_NAMES]


def _identity_problems(doc: Document, text: Text | None) -> tuple[list[Problem], int]:
    declared = _declared_names(doc, text)
    code = _code_ids(text) if text is not None else []
    bases = _base_models(doc, text)
    checked = len(declared) + sum(len(ids) for ids, _ in code)
    problems: list[Problem] = []
    # a title that names the base model ("# Stable Diffusion" on a fine-tune of it) is no conflict
    declared = [
        n
        for n in declared
        if n.source != "the title"
        or not any(_compatible(n, b) for b in bases)
        or all(_compatible(n, d) for d in declared)
    ]
    if declared:
        ref = declared[0]
        odd = [n for n in declared[1:] if not _compatible(ref, n)]
        agreed = [ref, *(n for n in declared[1:] if _compatible(ref, n))]
        for ids, quoted in code:
            if any(_compatible(i, n) for i in (*ids, *quoted) for n in agreed):
                continue
            if any(_compatible(i, b) for i in ids for b in bases):
                continue  # loads the base model (to fine-tune it, or with an adapter)
            odd.append(ids[0])
        distinct: dict[frozenset[str], Name] = {}
        for n in odd:
            distinct.setdefault(n.tokens, n)
        if distinct:
            listed = [ref, *distinct.values()]
            shown = join(f"'{n.written}' ({n.source}, line {n.line})" for n in listed)
            problems.append(
                Problem(
                    "identity",
                    "model-name",
                    f"The {_doc_name(doc)} names the model in {len(listed)} ways that cannot "
                    f"{'both' if len(listed) == 2 else 'all'} be the same model: {shown}. A reader "
                    "cannot tell which model it documents.",
                    next(iter(distinct.values())).line,
                    None,
                    f"Use one model id throughout (the one users load, e.g. '{ref.written}'): in the "
                    "front matter, the title, the labels and every code example. A base model or "
                    "another model you compare with should be named as such ('fine-tuned from X', "
                    "'compared with Y').",
                    evidence={
                        "names": [
                            {"name": n.written, "line": n.line, "source": n.source} for n in listed
                        ]
                    },
                )
            )
    versions = _versions(doc, text)
    checked += len(versions)
    distinct_v: dict[str, tuple[str, int | None, str]] = {}
    for norm, written, line, source in versions:
        distinct_v.setdefault(norm, (written, line, source))
    if len(distinct_v) > 1:
        items = list(distinct_v.values())
        shown = join(f"{w} ({s}, line {ln})" for w, ln, s in items)
        problems.append(
            Problem(
                "identity",
                "model-version",
                f"The {_doc_name(doc)} gives {len(items)} different versions of the model: {shown}. A "
                "reader cannot tell which version the card describes.",
                items[1][1],
                None,
                "State the version once (and the previous versions only in a changelog section, as "
                "'previous version'); Annex IV 1(a) asks for the version and its relation to previous "
                "versions.",
                evidence={
                    "versions": [{"version": w, "line": ln, "source": s} for w, ln, s in items]
                },
            )
        )
    return problems, checked


def _version_of(value: Any) -> tuple[str, str] | None:
    """(normalised, as written) of a version value (``v2.1.0`` -> ``2.1``), None if it has several."""
    text = str(value).strip() if isinstance(value, (str, int, float)) else ""
    found = _VERSION.findall(text)
    if len(found) != 1 or assess(text).status != "present":
        return None
    norm = found[0].lower()
    while re.search(r"\.0$", norm) and norm.count(".") >= 1:
        norm = norm[:-2]
    return norm, _quote(text, 30)


def _versions(doc: Document, text: Text | None) -> list[tuple[str, str, int | None, str]]:
    out: list[tuple[str, str, int | None, str]] = []
    if text is None:
        for fv in doc.values("model.version"):
            v = _version_of(fv.value)
            if v:
                out.append((*v, fv.line, f"{fv.source}"))
        return out
    v = _version_of(text.front.get("version")) if "version" in text.front else None
    if v:
        out.append((*v, text.front_line("version"), "the front matter's version"))
    for ln in text.lines:
        if ln.code:
            continue
        if _HISTORY.search(text.title_at(ln.no)):
            continue
        plain = _plain(ln.text)
        lab = _ANY_LABEL.match(plain)
        label, value = (lab.group("label"), lab.group("value")) if lab else ("", "")
        if not lab and "|" in plain:
            cells = _key_value_row(text, ln)
            label, value = (cells[0], cells[1]) if cells else ("", "")
        if label and _VERSION_LABEL.match(normalise_heading(label)):
            v = _version_of(value)
            if v:
                out.append((*v, ln.no, f"the '{_quote(label, 30)}' label"))
    return out


# -- licence and distribution ----------------------------------------------------------------------

_RESTRICTED = [re.compile(p, re.I) for p in RESTRICTED_RELEASE]
_PUBLIC = [re.compile(p, re.I) for p in PUBLIC_RELEASE]
_DISTRIBUTION_QUESTION = re.compile(
    r"distribut\w*\s+(?:to\s+)?(?:third[- ]part|outside|external|publicly|beyond)", re.I
)
_ANSWER_NO = re.compile(r"^\W*(?:no|not|none|never)\b", re.I)


@dataclass(frozen=True)
class Statement:
    line: int | None
    quote: str
    source: str


def _sentence(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence of ``text`` around [start, end) and where the match starts in it."""
    left = max(text.rfind(". ", 0, start), text.rfind("? ", 0, start), text.rfind("! ", 0, start))
    left = left + 2 if left >= 0 else 0
    right = min(
        (i for i in (text.find(". ", end), text.find("? ", end)) if i >= 0), default=len(text)
    )
    return text[left : right + 1], start - left


def _about(sentence: str, at: int, hint: str) -> str:
    """Whether a release statement is about the data or the model: the nearest subject word
    before it, else after it, else ``hint`` (what its section or key is about; "" unknown)."""
    before = sentence[:at]
    data = [m.start() for m in _DATA_SUBJECT.finditer(before)]
    model = [m.start() for m in _MODEL_SUBJECT.finditer(before)]
    if data or model:
        if _PRONOUN.search(before):  # "This dataset ... for our models, so it will not be released"
            return "data" if (data[0] if data else at) < (model[0] if model else at) else "model"
        return "data" if (data[-1] if data else -1) > (model[-1] if model else -1) else "model"
    after = sentence[at:]
    d, m = _DATA_SUBJECT.search(after), _MODEL_SUBJECT.search(after)
    if d or m:
        return "data" if d and (not m or d.start() < m.start()) else "model"
    return hint


def _hint(role: str, where: str) -> str:
    """What a passage is about by its section heading or field key: ``model``, ``data`` or ""."""
    if role == "datasheet":
        return "data"
    if _DATA_PLACE.search(where):
        return "data"
    return "model" if _MODEL_PLACE.search(where) else ""


def _passages(doc: Document, text: Text | None) -> Iterator[tuple[int | None, str, str]]:
    """(line, text, subject hint) of the document's prose: Markdown lines outside code, or the text
    values of a structured document."""
    if text is not None:
        for ln in text.lines:
            if not ln.code and ln.text.strip():
                where = text.title_at(ln.no)
                yield (
                    ln.no,
                    _plain(ln.text).strip().lstrip("#>-*+ ").strip(),
                    _hint(doc.role, where),
                )
        return

    def walk(value: Any, line: int | None, hint: str) -> Iterator[tuple[int | None, str, str]]:
        if isinstance(value, str):
            yield line, value[:MAX_LINE], hint
        elif isinstance(value, Mapping):
            for v in value.values():
                yield from walk(v, line, hint)
        elif isinstance(value, list):
            for v in value:
                yield from walk(v, line, hint)

    keys = list(doc.field_keys())
    parents = {k.rsplit(".", 1)[0] for k in keys if "." in k}
    for key in keys:
        if key == "license" or key in parents:
            continue  # a parent mapping repeats its children's text at its own line
        hint = _hint(doc.role, key.replace(".", " ").replace("_", " "))
        for fv in doc.values(key):
            if isinstance(fv.value, list):
                for i, item in enumerate(fv.value):
                    at = fv.item_lines[i] if i < len(fv.item_lines) else None
                    yield from walk(item, at or fv.line, hint)
            else:
                yield from walk(fv.value, fv.line, hint)


def _open_licence(value: Any) -> str | None:
    if isinstance(value, Mapping):
        value = value.get("id") or value.get("identifier") or value.get("spdx") or value.get("name")
    if isinstance(value, list):
        return next((x for x in (_open_licence(v) for v in value) if x), None)
    if not isinstance(value, str):
        return None
    shown = value.strip().rstrip(".;,")
    return shown if "-".join(shown.lower().split()).startswith(OPEN_LICENCES) else None


def _release_statements(
    doc: Document, text: Text | None
) -> tuple[list[Statement], list[Statement]]:
    """(statements that the model/dataset stays with its owner, statements that it is public)."""
    subject = "data" if doc.role == "datasheet" else "model"
    restricted: list[Statement] = []
    public: list[Statement] = []
    for key in ("license", "datasheet.license"):
        for fv in doc.values(key):
            lic = _open_licence(fv.value)
            if lic:
                public.append(Statement(fv.line, _quote(lic, 40), f"the licence {_quote(lic, 40)}"))
    passages = list(_passages(doc, text))
    for idx, (line, passage, hint) in enumerate(passages):
        for patterns, found in ((_RESTRICTED, restricted), (_PUBLIC, public)):
            m = next((m for p in patterns if (m := p.search(passage))), None)
            if m is not None:
                sentence, at = _sentence(passage, m.start(), m.end())
                if _about(sentence, at, hint) != subject:
                    continue
                if found is restricted and _OTHER_DATA.search(sentence):
                    continue  # "the real data which seeded this synthetic data is not public"
                found.append(Statement(line, _quote(sentence), "a statement"))
        if doc.role == "datasheet" and _DISTRIBUTION_QUESTION.search(passage):
            answer, answer_line = passage.split("?", 1)[1].strip() if "?" in passage else "", line
            if not answer:
                answer_line, answer = next(
                    ((ln, p) for ln, p, _ in passages[idx + 1 : idx + 2]), (line, "")
                )
            if _ANSWER_NO.match(answer):
                question = _quote(passage.split("?", 1)[0], 60)
                restricted.append(
                    Statement(answer_line, f"{question}? {_quote(answer, 30)}", "the answer")
                )
    return restricted, public


def _licence_problems(doc: Document, text: Text | None) -> tuple[list[Problem], int]:
    restricted, public = _release_statements(doc, text)
    checked = len(restricted) + len(public)
    if not restricted or not public:
        return [], checked
    r = restricted[0]
    others = [p for p in public if p.line != r.line][:3] or public[:1]
    thing = "dataset" if doc.role == "datasheet" else "model"
    shown = join(
        f"{p.source} '{p.quote}' (line {p.line})"
        if p.source == "a statement"
        else f"{p.source} (line {p.line})"
        for p in others
    )
    return [
        Problem(
            "licence",
            "distribution",
            f"The {_doc_name(doc)} says the {thing} is not released outside its owner "
            f"('{r.quote}', line {r.line}), but also gives {shown}, which lets anyone obtain and "
            f"pass it on. A reader cannot tell whether they may use the {thing}.",
            r.line,
            None,
            f"Make the licence and the distribution statements agree: if the {thing} is internal, "
            "remove the open licence and the public links (or say they cover only the code); if "
            "it is published, drop or correct the 'internal only' wording.",
            evidence={
                "restricted": [{"line": s.line, "text": s.quote} for s in restricted],
                "public": [{"line": s.line, "text": s.quote} for s in public],
            },
        )
    ], checked


# -- sections --------------------------------------------------------------------------------------

_SUBJECT_RULES = [
    (re.compile(pattern), subject, _words(words), missing)
    for pattern, subject, words, missing in SECTION_SUBJECTS
]


def _body(text: Text, section: Section, plain: bool = True) -> str:
    """A section's text with its sub-sections, without code blocks (and, ``plain``, Markdown)."""
    lines = (ln.text for ln in text.span(section) if not ln.code)
    return "\n".join(_plain(t) if plain else t for t in lines)


def _addresses(subject: str, words: re.Pattern[str], body: str, raw: str) -> bool:
    if words.search(body):
        return True
    return subject == "datasets" and bool(_DATA_NAMED.search(body) or _DATA_NAMED.search(raw))


def _english(text: str) -> bool:
    """Whether most letters of ``text`` are Latin (the vocabularies are English; a Russian
    "не более 512 токенов" is a limitation they cannot see)."""
    letters = [c for c in text if c.isalpha()]
    latin = sum(1 for c in letters if c.isascii())
    return not letters or latin >= 0.8 * len(letters)


def _section_problems(doc: Document, text: Text | None) -> tuple[list[Problem], int]:
    if text is None:
        return [], 0
    sections = text.sections[:MAX_SECTIONS]
    titles = [text.title_of(s) for s in sections]
    answers: dict[str, list[Section]] = {}  # subject -> sections whose heading and text answer it

    def answered(subject: str, words: re.Pattern[str], outside: Section) -> bool:
        """Another section, not under ``outside``, whose heading names the subject and whose text
        addresses it (CLIP's "Performance and Limitations" holds performance; "Limitations"
        follows)."""
        if subject not in answers:
            answers[subject] = [
                s
                for s, title in zip(sections, titles, strict=True)
                if ANSWERED_ELSEWHERE[subject].search(title)
                and assess(s.own or _body(text, s), markdown=True).status == "present"
                and _addresses(subject, words, _body(text, s), _body(text, s, plain=False))
            ]
        end = outside.line + len(outside.full.split("\n"))
        return any(not outside.line <= s.line <= end for s in answers[subject])

    problems: list[Problem] = []
    checked = 0
    for s, title in zip(sections, titles, strict=True):
        rule = next((r for r in _SUBJECT_RULES if r[0].search(title)), None)
        if rule is None:
            continue
        _, subject, words, missing = rule
        checked += 1
        if assess(s.own, markdown=True).status != "present":
            continue  # left empty or a placeholder: TRN101 reports the field
        plain = _body(text, s)
        if len(re.findall(r"[^\W\d_]{2,}", plain)) < 3:
            continue  # nothing but markup or a template's <placeholder>: TRN101's finding
        if not _english(plain):
            continue  # the vocabularies are English: another language is not judged
        if _addresses(subject, words, plain, _body(text, s, plain=False)):
            continue
        if answered(subject, words, s):
            continue
        heading = _quote(s.title, 60)
        problems.append(
            Problem(
                "sections",
                f"{subject}:{title}",
                f"The section '{heading}' (line {s.line}) does not mention {missing}, although "
                "its heading promises it: a reader looking for it finds nothing.",
                s.line,
                Severity.LOW,
                f"Write what the heading promises ({missing}) under '{heading}', or rename the "
                "section to what it contains.",
                evidence={"section": heading, "subject": subject, "excerpt": _quote(plain, 120)},
            )
        )
    hidden = _hidden_data(text, sections)
    return problems + hidden[0], checked + hidden[1]


def _hidden_data(text: Text, sections: Sequence[Section]) -> tuple[list[Problem], int]:
    """Front matter ``datasets:`` while every training-data section is a placeholder."""
    datasets = text.front.get("datasets")
    listed = [str(d) for d in (datasets if isinstance(datasets, list) else [datasets]) if d]
    data_sections = [s for s in sections if TRAINING_DATA_HEADINGS.search(text.title_of(s))]
    if not listed or not data_sections:
        return [], 0
    if any(assess(_body(text, s), markdown=True).status == "present" for s in data_sections):
        return [], len(data_sections)
    s = data_sections[0]
    heading = _quote(s.title, 60)
    names = join(f"'{_quote(d, 40)}'" for d in listed[:5]) + (
        " and others" if len(listed) > 5 else ""
    )
    at = text.front_line("datasets")
    return [
        Problem(
            "sections",
            "front-matter-datasets",
            f"The front matter lists the dataset{'s' if len(listed) > 1 else ''} {names} (line {at}), "
            f"but the section '{heading}' (line {s.line}) is left unfilled: a reader of the card "
            "learns nothing about what the data is, how it was selected or how it was split.",
            s.line,
            Severity.LOW,
            f"Describe the data under '{heading}': which dataset and version, which split or "
            "subset, how it was selected and pre-processed.",
            evidence={"datasets": [_quote(d, 40) for d in listed[:10]], "front_matter_line": at},
        )
    ], len(data_sections)


# -- entry point -----------------------------------------------------------------------------------


def check_document(
    doc: Document,
    raw: str | None,
    kinds: Sequence[str] = KINDS,
    perplexity_tolerance: float = 0.02,
) -> Outcome:
    """The problems of one loaded document. ``raw`` is its text (Markdown cards and datasheets are
    read again here for tables, labels, code examples and sentences; None for structured ones)."""
    text = read_markdown(raw) if raw is not None and doc.format not in STRUCTURED else None
    problems: list[Problem] = []
    checked: dict[str, int] = {}
    if "identity" in kinds and doc.role == "card":
        found, checked["identity"] = _identity_problems(doc, text)
        problems += found
    if "ranges" in kinds or "relations" in kinds:
        vals = read_values(doc, text)
        if "ranges" in kinds:
            checked["ranges"] = len(vals)
            problems += [p for v in vals if (p := _range_problem(v, doc)) is not None]
        if "relations" in kinds:
            found, checked["relations"] = _relation_problems(vals, doc, perplexity_tolerance)
            problems += found
    if "licence" in kinds:
        found, checked["licence"] = _licence_problems(doc, text)
        problems += found
    if "sections" in kinds and doc.role == "card" and text is not None:
        found, checked["sections"] = _section_problems(doc, text)
        problems += found
    unique: dict[tuple[str, str], Problem] = {}
    for p in sorted(problems, key=lambda p: p.line or 0):
        unique.setdefault((p.kind, p.subject), p)
    ordered = sorted(unique.values(), key=lambda p: (KINDS.index(p.kind), p.line or 0, p.subject))
    return Outcome(doc, tuple(ordered), checked)
