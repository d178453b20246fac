"""Person names in free text without NER: lexicon pairs, titles and honorifics, in any case.

A name is reported when the text itself says so, never from one ambiguous word:

- a title or honorific before one to four name words (``Mr. smith``, ``Frau Müller``,
  ``M. Dupont``, ``Sra. García``, ``Dr. jane doe``, ``Herr Dr. Klaus Becker``);
- a known first name followed by a surname: ``Jane Doe``, ``John F. Kennedy``,
  ``Pieter van der Berg``, ``Anna Kowalska-Nowak``. Capitalised, the surname may be any
  capitalised word that is not a common word; in lower case or in capitals (where case says
  nothing) both words must be known names and neither a common word (``will``, ``may``,
  ``grant``, ``mark``: verbs and nouns too);
- an initial and a known surname: ``J. Smith``;
- CJK names before an honorific (``田中様``, ``王伟先生``, ``김민수 씨``).

Known names come from :func:`auditor.pii.names.gazetteer`; common words from the stop-word
lists of spaCy and the word lists of Faker's lorem providers (everyday vocabulary, not names) in
the main European languages, plus words that are names and everyday words at once.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from presidio_analyzer import EntityRecognizer, RecognizerResult

from .names import gazetteer

__all__ = [
    "COMMON_NAME_WORDS",
    "PARTICLES",
    "ROLE_WORDS",
    "TITLES",
    "TextNameRecognizer",
    "common_words",
    "find_names",
    "may_hold_name",
]

# titles and honorifics before a name (lower case, without the final dot). ``m``, ``fr``, ``hr``
# and ``dr`` also read as an initial or an abbreviation: they count only with their dot and a
# capitalised name after them
TITLES = frozenset(
    {
        "mr", "mrs", "ms", "mx", "miss", "dr", "prof", "sir", "dame", "lady", "lord", "rev",
        "herr", "frau", "hr", "fr", "dipl", "ing",
        "m", "mme", "mlle", "mm", "me", "monsieur", "madame", "mademoiselle", "pr",
        "sr", "sra", "srta", "señor", "señora", "señorita", "don", "doña", "dña", "dra", "lic",
        "sig", "sigg", "signor", "signora", "signorina", "dott", "dottssa", "dott.ssa", "avv",
        "dhr", "mevr", "mw", "mej", "heer", "mevrouw",
        "pan", "pani", "snr", "sen", "senhor", "senhora", "eng", "ir", "drs", "d", "dª",
        "fru", "frk", "fröken", "herra", "rouva", "neiti", "paní", "pane", "bay", "bayan", "sayın",
    }
)  # fmt: skip
# titles that need their dot and a capitalised word after them (else an initial or a word)
# one-letter titles that need a capital too (``M. Dupont``; ``m.`` is a metre)
_DOT_CAP = frozenset({"m", "d", "fr", "hr", "me", "pr", "mm"})
# words of places and organisations: never part of a name, and a name right after one is a
# place (``Lake Jennifer Port``, ``Mount Grace``)
_PLACE_WORDS = frozenset(
    {
        "lake", "port", "mount", "mt", "fort", "ft", "east", "west", "north", "south", "new",
        "city", "county", "street", "st", "avenue", "ave", "road", "rd", "the", "of", "for",
        "with", "and", "inc", "llc", "ltd", "gmbh", "group", "company", "corp", "steel",
        "wooden", "plastic", "garden", "gardens", "park", "bank", "hotel", "center", "centre",
        "university", "college", "school", "hospital", "church", "airport", "station", "bay",
        "river", "valley", "island", "beach", "bridge", "castle", "tower", "square", "plaza",
        "saint", "san", "santa", "sankt", "bad", "villa", "casa", "haus", "straße", "strasse",
        "platz", "weg", "rue", "via", "calle", "avenida", "rua", "ulica",
    }
)  # fmt: skip
_PLACE_BEFORE = _PLACE_WORDS - {"the", "of", "for", "with", "and", "new"}
_DOTTED_ONLY = frozenset(
    {"m", "fr", "hr", "pr", "me", "sen", "eng", "ing", "lic", "mm", "ir", "d", "dra"}
)
# titles that are also everyday words in some language: capitalised only
_CAPITAL_ONLY = frozenset(
    {"pan", "don", "lady", "lord", "sir", "dame", "miss", "heer", "sig", "bay", "pane", "fru"}
)

# lower-case name particles between a first name and a surname
PARTICLES = frozenset(
    {
        "van", "der", "den", "de", "la", "le", "du", "des", "del", "della", "di", "da", "dos",
        "das", "do", "von", "zu", "vom", "ter", "ten", "te", "bin", "binti", "ibn", "al", "el",
        "y", "mac", "st", "ap", "af", "op", "uit", "het",
    }
)  # fmt: skip

# names that are everyday words too (verbs, nouns, months, colours, places): found only next to
# a known surname, a title, or with both words known and capitalised
COMMON_NAME_WORDS = frozenset(
    {
        "will", "may", "mark", "grant", "bill", "june", "april", "august", "rose", "hope",
        "faith", "grace", "joy", "summer", "autumn", "winter", "dawn", "frank", "sunny", "art",
        "jack", "chase", "pat", "guy", "bob", "sue", "lane", "king", "love", "brown", "white",
        "black", "green", "gray", "grey", "long", "young", "rich", "price", "ray", "ward",
        "page", "hunter", "carter", "miles", "norman", "major", "cash", "penny", "ruby",
        "amber", "crystal", "iris", "lily", "daisy", "ivy", "holly", "violet", "heather",
        "jasmine", "jade", "pearl", "angel", "star", "sky", "river", "storm", "rock", "stone",
        "wood", "woods", "field", "fields", "hill", "hills", "lake", "port", "mount", "fort",
        "east", "west", "north", "south", "new", "city", "county", "street", "road", "avenue",
        "park", "bank", "office", "house", "team", "support", "customer", "service", "order",
        "account", "delivery", "invoice", "payment", "refund", "manager", "director", "sales",
        "dear", "hello", "hi", "thanks", "thank", "regards", "best", "kind", "please", "call",
        "email", "mail", "phone", "contact", "note", "notes", "today", "tomorrow", "monday",
        "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
        "february", "march", "july", "september", "october", "november", "december",
        "general", "royal", "grand", "saint", "san", "santa", "via", "rue", "calle", "plaza",
        "avenida", "rua", "gmbh", "inc", "ltd", "llc", "corp", "group", "company", "bv", "sa",
        "ag", "plc", "co", "and", "the", "of", "for", "with", "steel", "wooden", "plastic",
        "garden", "gardens", "christmas", "easter", "god", "lucky", "happy", "paris", "london",
        "berlin", "madrid", "roma", "rome", "milan", "vienna", "florence", "georgia", "virginia",
        "carolina", "dakota", "victoria", "jordan", "israel", "kenya", "china", "india",
        "chelsea", "sydney", "austin", "dallas", "houston", "phoenix", "denver", "orlando",
    }
)  # fmt: skip

# words that introduce a person in tickets and notes (``Customer``, ``Le client``, ``Kunde``): a
# name after them needs less evidence (two capitalised words, one of them a known name)
ROLE_WORDS = frozenset(
    {
        "customer", "client", "cliente", "clientes", "kunde", "kundin", "klant", "klient",
        "klientka", "kund", "kunden", "asiakas", "patient", "patientin", "paciente", "paziente",
        "pacjent", "patiënt", "employee", "mitarbeiter", "mitarbeiterin", "medewerker",
        "empleado", "empleada", "dipendente", "employé", "employée", "user", "utente",
        "usuario", "usuaria", "utilisateur", "utilisatrice", "gebruiker", "member", "socio",
        "socia", "mitglied", "lid", "tenant", "mieter", "mieterin", "locataire", "inquilino",
        "inquilina", "huurder", "guest", "gast", "invité", "huésped", "ospite", "passenger",
        "passagier", "passager", "pasajero", "applicant", "bewerber", "bewerberin", "candidat",
        "candidate", "candidato", "candidata", "contact", "kontakt", "contacto", "contatto",
        "caller", "anrufer", "sender", "absender", "recipient", "empfänger", "destinataire",
        "destinatario", "subscriber", "abonnent", "abonné", "abonnée", "beneficiary",
        "titular", "titolare", "holder", "inhaber", "inhaberin", "signed", "signé", "firmado",
        "assigned", "agent", "technician", "techniker", "driver", "fahrer", "courier", "kurier",
        "klienten", "zákazník", "zákaznice", "pacient", "pacientka", "müşteri",
        "hasta", "asiakkaan", "klientem", "klienta",
        # field labels of forms and signatures (``Name: Müller, Hans``)
        "name", "naam", "nombre", "nom", "nome", "namn", "navn", "nimi", "imię", "nazwisko",
        "jméno", "vorname", "nachname", "apellido", "apellidos", "cognome", "prénom", "firmato",
        "firma", "unterschrift", "signature", "attn",
    }
)  # fmt: skip

_LORE_LOCALES = ("de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "da_DK")
_STOP_LANGS = ("de", "fr", "es", "it", "nl", "pt", "sv", "da", "nb", "pl", "fi")


def _spacy_stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop-word set for ``lang``, read from ``spacy/lang/<lang>/stop_words.py`` alone.

    Importing ``spacy.lang.<lang>.stop_words`` the normal way runs the language package's
    ``__init__`` first, and French's tokenizer exceptions compile for about 5 s; the stop-word
    modules are plain set literals with no imports, so they are loaded by path instead."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        return frozenset()
    path = Path(spec.origin).parent / "lang" / lang / "stop_words.py"
    file_spec = importlib.util.spec_from_file_location(f"_auditor_spacy_stop_{lang}", path)
    if file_spec is None or file_spec.loader is None or not path.is_file():
        return frozenset()
    module = importlib.util.module_from_spec(file_spec)
    file_spec.loader.exec_module(module)
    return frozenset(str(w).lower() for w in getattr(module, "STOP_WORDS", ()))


@lru_cache(maxsize=1)
def _word_lists() -> tuple[frozenset[str], frozenset[str]]:
    """(common, strict): words never read as a name on their own word. ``common``: English stop
    words, :data:`COMMON_NAME_WORDS`, :data:`ROLE_WORDS`, other languages' stop words that
    are no known first name (``hans`` is a Swedish stop word and a German name) and Faker's
    lorem vocabularies (everyday words: all of the English one; the other locales' lists
    hold names from the texts they were cut from, so known names are left out there).
    ``strict`` adds every stop word, for lower-case text, where case cannot tell ``le``
    (French) from ``Le`` (Vietnamese)."""
    first, last = gazetteer()
    common: set[str] = set(COMMON_NAME_WORDS) | set(ROLE_WORDS)
    common |= _spacy_stop_words("en")
    stop: set[str] = set()
    for lang in _STOP_LANGS:
        stop |= _spacy_stop_words(lang)
    lorem_words: set[str] = set()
    for loc in _LORE_LOCALES:
        try:
            lorem: Any = importlib.import_module(f"faker.providers.lorem.{loc}")
        except ImportError:
            continue
        lorem_words.update(str(w).lower() for w in getattr(lorem.Provider, "word_list", ()))
    english: Any = importlib.import_module("faker.providers.lorem.en_US")
    common |= {str(w).lower() for w in english.Provider.word_list}
    common |= (stop - first) | (lorem_words - first - last)
    return frozenset(common), frozenset(common | stop)


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    out: set[str] = set()
    for lang in ("en", *_STOP_LANGS):
        out |= _spacy_stop_words(lang)
    return frozenset(out)


def common_words() -> frozenset[str]:
    """Everyday words never taken for a name on their own (see :func:`_word_lists`)."""
    return _word_lists()[0]


# a name word: letters with inner apostrophes or hyphens (``O'Connor``, ``Kowalska-Nowak``)
_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANA = "\u30a1-\u30fa\u30fc"
_HANGUL = "\uac00-\ud7a3"
# CJK names before an honorific; what the honorific also follows when it is not a name
_CJK = re.compile(
    rf"(?P<name>[{_HAN}]{{2,4}}|[{_KANA}]{{2,10}})"
    r"(?P<hon>様(?![々式子相])|さま|さん|先生(?!方)|氏(?!名)|女士|小姐|君|殿)"
    rf"|(?<![{_HANGUL}])(?P<kname>[{_HANGUL}]{{2,4}})\s?(?P<khon>씨|님)"
)
_CJK_NOT_NAME = (
    "客", "皆", "奥", "神", "各位", "患者", "先生", "医生", "老师", "同志", "女士", "社長", "部長",
    "課長", "担当", "会員", "お客",
)  # fmt: skip
_HANGUL_NOT_NAME = frozenset(
    {"고객", "선생", "사장", "회원", "여러", "여러분", "부장", "과장", "팀장", "아저", "아가", "담당자",
     "환자", "의사", "기사", "교수", "대표", "원장", "실장", "어르신", "형", "누나"}
)  # fmt: skip

# the prefilter: a title/honorific word, or CJK before an honorific
# a name pair right after a house number (``63 Anthony Viaduct``) or after a street line and a
# comma (``161 Gibbon Heights, Glen Ellyn``) is a street or a town
_IN_ADDRESS = re.compile(
    r"(?:\b\d{1,5}[A-Za-z]?\s{1,2}|\b\d{1,5}[A-Za-z]?(?:\s+[^\W\d_][\w'’.-]*){1,5},\s{1,2})$"
)
_INITIAL_HINT = re.compile(r"(?<![^\W\d_])[A-Z]\.\s{1,2}[^\W\d_]")
_SCRIPT_HINT = re.compile(
    rf"[{_HAN}{_KANA}](?:様|さま|さん|先生|氏|女士|小姐|君|殿)|[{_HANGUL}]\s?[씨님]"
)


def _shape(word: str) -> str:
    """``cap`` (``Smith``, ``McDonald``, ``O'Connor``), ``lower``, ``upper`` or ``mixed``."""
    if word.islower():
        return "lower"
    if word.isupper():
        return "upper" if len(word) > 1 else "cap"
    if word[0].isupper() and any(c.islower() for c in word[1:]):
        return "cap"
    return "mixed"


def _known(word: str, names: frozenset[str]) -> bool:
    w = word.lower().replace("’", "'")
    if w in names:
        return True
    if "-" in w:
        return any(p in names for p in w.split("-") if len(p) > 1)
    return False


class _Tokens:
    """Words of a text with offsets and the gaps between them."""

    def __init__(self, text: str) -> None:
        self.text = text
        found = list(_WORD.finditer(text))
        self.words = [m.group(0) for m in found]
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]
        self.lower = [w.lower() for w in self.words]
        self.shape = [_shape(w) for w in self.words]

    def __len__(self) -> int:
        return len(self.words)

    def gap(self, i: int) -> str:
        """Text between word ``i`` and word ``i + 1``."""
        return self.text[self.ends[i] : self.starts[i + 1]]

    def joined(self, i: int, dot: str = "no") -> bool:
        """Word ``i + 1`` follows word ``i`` on the same line, separated by one or two spaces;
        ``dot``: ``no`` (no dot between them), ``may`` (a title: ``Mr Smith``, ``Mr. Smith``)
        or ``must`` (an initial or a dotted title)."""
        if i + 1 >= len(self.words):
            return False
        g = self.gap(i)
        if g.startswith(".") and dot != "no":
            g = g[1:]
        elif dot == "must":
            return False
        return 0 < len(g) <= 2 and g.isspace() and "\n" not in g

    def initial(self, i: int, lower: bool = False) -> bool:
        """An initial with its dot (``F.``; ``f.`` when ``lower``), joined to the next word."""
        w = self.words[i]
        return len(w) == 1 and (w.isupper() or lower) and self.joined(i, "must")


@dataclass(frozen=True)
class _Lex:
    first: frozenset[str]
    last: frozenset[str]
    common: frozenset[str]
    strict: frozenset[str]
    stop: frozenset[str]  # stop words of every language read

    def known(self, word: str) -> bool:
        return _known(word, self.first) or _known(word, self.last)


def _title_at(tok: _Tokens, i: int) -> bool:
    low = tok.lower[i]
    if low not in TITLES:
        return False
    shape = tok.shape[i]
    if low in _CAPITAL_ONLY and shape != "cap":
        return False
    if low in _DOTTED_ONLY:
        return (shape in ("cap", "upper") or low not in _DOT_CAP) and tok.joined(i, "must")
    return tok.joined(i, "may")


def _name_word(tok: _Tokens, j: int, lex: _Lex, loose: bool) -> bool:
    """Word ``j`` can be part of a name: a capitalised word that is no common word (or is a
    known surname), or in lower case / capitals a known name that is no common word
    (``loose``, after a title: any word of 3+ letters that is no word of any language)."""
    w, low, shape = tok.words[j], tok.lower[j], tok.shape[j]
    if low in _PLACE_WORDS:
        return False
    if shape == "cap":
        if low.endswith("s") and low[:-1] in lex.common and not _known(w, lex.last):
            return False  # ``Cars``, ``Numbers``: the plural of an everyday word
        return low not in lex.common or _known(w, lex.last)
    if shape in ("lower", "upper"):
        if low in lex.strict:
            return False
        return lex.known(w) or (loose and len(w) >= 3)
    return False


def _run(tok: _Tokens, i: int, lex: _Lex, loose: bool, limit: int = 4) -> tuple[int, int, bool]:
    """The name words from word ``i``: (index of the last, how many, an initial among them);
    initials and lower-case particles between them do not count. (-1, 0, False) if none."""
    n = len(tok)
    j = i
    end, words, initial = -1, 0, False
    while j < n and words < limit:
        if tok.initial(j, lower=tok.shape[j] == "lower"):
            initial = True
            j += 1
            continue
        if words and tok.lower[j] in PARTICLES and tok.shape[j] == "lower" and tok.joined(j):
            j += 1
            continue
        if not _name_word(tok, j, lex, loose) or (words and tok.shape[j] != tok.shape[end]):
            break
        end, words = j, words + 1
        if initial:  # the surname follows the middle initial
            break
        if not tok.joined(j):
            break
        j += 1
    return end, words, initial


def _after_title(tok: _Tokens, i: int, lex: _Lex) -> tuple[int, int]:
    """(first, last) word of the name after the title at ``i`` (stacked titles skipped:
    ``Herr Dr. Klaus Becker``), or (-1, -1)."""
    j = i + 1
    while j < len(tok) and _title_at(tok, j):
        j += 1
    if j >= len(tok):
        return -1, -1
    end, words, _ = _run(tok, j, lex, loose=tok.lower[i] not in _DOTTED_ONLY)
    return (j, end) if words else (-1, -1)


def _after_role(tok: _Tokens, i: int, lex: _Lex) -> tuple[int, int]:
    """(first, last) word of a name after a role word (``Customer``, ``El cliente``): two to
    four name words of one case of which one is a known name, or that hold an initial
    (``Montgomery T. Pillet``); or ``SURNAME, First`` with a known first name."""
    j = i + 1
    n = len(tok)
    if j >= n or not (tok.joined(i) or tok.gap(i).strip() in (":", "-", "–", ",")):
        return -1, -1
    # ``DELATTRE, Line``, ``Brahms, Florian``
    if (
        j + 1 < n
        and tok.shape[j] in ("upper", "cap")
        and tok.lower[j] not in lex.common
        and tok.gap(j) == ", "
        and tok.shape[j + 1] == "cap"
        and _known(tok.words[j + 1], lex.first)
    ):
        return j, j + 1
    end, words, initial = _run(tok, j, lex, loose=True)
    if end < 0 or words < 2:
        return -1, -1
    span = range(j, end + 1)
    shapes = {tok.shape[k] for k in span if len(tok.words[k]) > 1 and tok.lower[k] not in PARTICLES}
    if len(shapes) != 1:
        return -1, -1
    names = [k for k in span if len(tok.words[k]) > 1 and tok.lower[k] not in PARTICLES]
    if shapes == {"cap"} and (initial or any(lex.known(tok.words[k]) for k in names)):
        return j, end
    # lower case or capitals: an initial between the words, or a known surname last
    # (``walpurgis a. beyersdorf``, ``ludovic monette``), at most three words
    if words <= 3 and (initial or _known(tok.words[names[-1]], lex.last)):
        return j, end
    return -1, -1


def _pair(tok: _Tokens, i: int, lex: _Lex) -> tuple[int, float]:
    """(index of the surname, score) for a name whose first word, a known first name, is word
    ``i``; (-1, 0) if none."""
    w, low = tok.words[i], tok.lower[i]
    shape = tok.shape[i]
    if shape == "mixed" or not tok.joined(i):
        return -1, 0.0
    if i > 0 and tok.lower[i - 1] in _PLACE_BEFORE and tok.joined(i - 1):
        return -1, 0.0
    n = len(tok)
    j = i + 1
    initial = False
    while j < n and tok.initial(j, lower=shape == "lower"):  # ``John F. Kennedy``
        initial = True
        j += 1
    # a middle name (``Anna Maria Schmidt``) when a surname follows
    if (
        j == i + 1
        and j + 1 < n
        and tok.shape[j] == shape
        and _known(tok.words[j], lex.first)
        and tok.lower[j] not in lex.strict
        and tok.joined(j)
        and _known(tok.words[j + 1], lex.last)
    ):
        j += 1
    while j < n and tok.lower[j] in PARTICLES and tok.shape[j] == "lower" and shape == "cap":
        if not tok.joined(j):
            return -1, 0.0
        j += 1
    if j >= n:
        return -1, 0.0
    s, slow, sshape = tok.words[j], tok.lower[j], tok.shape[j]
    if slow in _PLACE_WORDS or (slow.endswith("s") and slow[:-1] in lex.common):
        return -1, 0.0
    s_known = _known(s, lex.last)
    if shape == "cap" and sshape == "cap":
        if low in lex.common:
            ok = s_known and slow not in lex.common
        else:
            ok = slow not in lex.common or s_known
        score = 0.6 if s_known or _known(s, lex.first) or initial else 0.55
    elif shape == sshape and shape in ("lower", "upper"):
        # case says nothing: a known first name that is no everyday word (``sean`` and
        # ``hans`` are stop words elsewhere, ``mark`` and ``will`` are English words) and a
        # known surname that is no stop word of any language (``brown``, ``fields`` are
        # surnames after a first name), or a middle initial between them
        # (``shelton q. aguirre``)
        if len(w) < 3 or low in lex.common or (low.endswith("s") and low[:-1] in lex.common):
            return -1, 0.0
        if slow in lex.stop or slow in _PLACE_WORDS or slow in ROLE_WORDS:
            return -1, 0.0
        if slow in lex.common and not (s_known and slow in COMMON_NAME_WORDS):
            return -1, 0.0
        ok = s_known or (initial and len(s) >= 3 and slow not in lex.strict)
        score = 0.6
    else:
        return -1, 0.0
    if not ok:
        return -1, 0.0
    # a second surname (``García López``, ``Smith Jones``) of the same shape
    if tok.joined(j) and j + 1 < n and tok.shape[j + 1] == sshape:
        nxt = tok.lower[j + 1]
        words = lex.common if sshape == "cap" else lex.strict
        if _known(tok.words[j + 1], lex.last) and nxt not in words and len(nxt) > 2:
            j += 1
    return j, score


def _lex() -> _Lex:
    first, last = gazetteer()
    common, strict = _word_lists()
    return _Lex(first, last, common, strict, _stop_words())


def find_names(text: str) -> list[tuple[int, int, float]]:
    """(start, end, score) of each person name found in ``text``."""
    lex = _lex()
    tok = _Tokens(text)
    out: list[tuple[int, int, float]] = []
    n = len(tok)
    i = 0
    while i < n:
        low = tok.lower[i]
        if _title_at(tok, i):
            a, b = _after_title(tok, i, lex)
            if b >= 0:
                out.append((tok.starts[a], tok.ends[b], 0.7))
                i = b + 1
                continue
        if low in ROLE_WORDS:
            a, b = _after_role(tok, i, lex)
            if b >= 0:
                out.append((tok.starts[a], tok.ends[b], 0.6))
                i = b + 1
                continue
        if tok.initial(i) and i + 1 < n:
            end, words, _ = _run(tok, i + 1, lex, loose=False, limit=2)
            if words and tok.shape[end] == "cap" and lex.known(tok.words[end]):
                out.append((tok.starts[i], tok.ends[end], 0.6))
                i = end + 1
                continue
        elif low in lex.first and len(tok.words[i]) > 1:
            end, score = _pair(tok, i, lex)
            if end >= 0:
                if not _IN_ADDRESS.search(text, max(0, tok.starts[i] - 60), tok.starts[i]):
                    out.append((tok.starts[i], tok.ends[end], score))
                i = end + 1
                continue
        i += 1
    if _SCRIPT_HINT.search(text):
        out.extend((s, e, 0.6) for s, e in _cjk(text, lex.last))
    return out


def _cjk(text: str, last: frozenset[str]) -> Iterable[tuple[int, int]]:
    for m in _CJK.finditer(text):
        if m.group("kname"):
            name = m.group("kname")
            if name in _HANGUL_NOT_NAME or any(name.startswith(x) for x in _HANGUL_NOT_NAME):
                continue
            yield m.start("kname"), m.end("kname")
            continue
        name = m.group("name")
        start = m.start("name")
        if any(name.endswith(x) or name == x for x in _CJK_NOT_NAME):
            continue
        # a known surname inside the run starts the name (``联系王伟先生`` -> ``王伟``)
        for k in range(max(0, len(name) - 4), len(name) - 1):
            if name[k : k + 1] in last or name[k : k + 2] in last:
                start += k
                break
        else:
            if len(name) > 3 and name[0] in _HAN_VERBS:
                start += 2
        yield start, m.end("name")


# Chinese verbs that often precede a name without a space (``联系``, ``请``): dropped from the
# start of a run of 4+ characters when no known surname locates the name
_HAN_VERBS = frozenset("联请给向与和找问叫通知")


def may_hold_name(values: Sequence[str]) -> np.ndarray:
    """Prefilter for free text that has no capitalised pair (those pass the regex prefilter):
    which values can hold a name :func:`find_names` reports: a title or role word before
    another word, an initial, a CJK honorific, or a lower-case or capitals first name that is
    no everyday word followed by a known surname or an initial. Loose (it ignores the gaps
    between words), but never false where :func:`find_names` finds a name."""
    lex = _lex()
    cues = _cue_words()
    out = np.zeros(len(values), dtype=bool)
    for k, v in enumerate(values):
        if _INITIAL_HINT.search(v) or (not v.isascii() and _SCRIPT_HINT.search(v)):
            out[k] = True
            continue
        words = _WORD.findall(v)
        lows = [w.lower() for w in words]
        for i in range(len(words) - 1):
            low = lows[i]
            if low in cues:
                out[k] = True
                break
            if low not in lex.first or len(low) < 2:
                continue
            nxt = lows[i + 1]
            if _shape(words[i]) == "cap":
                # ``Pieter van der Berg``, ``Ángel Müller`` (the regex reads ASCII pairs only)
                if nxt in PARTICLES or _shape(words[i + 1]) == "cap":
                    out[k] = True
                    break
            elif low not in lex.common and (
                len(nxt) == 1 or (nxt in lex.last and nxt not in lex.stop)
            ):
                out[k] = True
                break
    return out


@lru_cache(maxsize=1)
def _cue_words() -> frozenset[str]:
    return TITLES | ROLE_WORDS


class TextNameRecognizer(EntityRecognizer):
    """PERSON in free text without NER (:func:`find_names`): titles and honorifics, known
    first name + surname pairs in any case, initials, particles, CJK honorifics."""

    def __init__(self) -> None:
        super().__init__(
            supported_entities=["PERSON"], name="TextNameRecognizer", supported_language="en"
        )

    def load(self) -> None:
        return None

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        meta = {
            RecognizerResult.RECOGNIZER_NAME_KEY: "TextNameRecognizer",
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }
        return [
            RecognizerResult("PERSON", s, e, score, recognition_metadata=dict(meta))
            for s, e, score in find_names(text)
        ]
