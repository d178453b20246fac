"""Person names on real data (issue 12, item 1): lexicons from real name statistics, parsing of
titles, initials and particles, non-Latin scripts, column inference under any name, decoys.

The recall fixture ``data/compas_names.csv`` (``data/SOURCES.md``) holds 300 lower-case first
names and 300 surnames drawn independently from the real ProPublica COMPAS file (Broward County
defendants), and 300 full names recomposed from two further independent draws, so no row links
one name to another or to any other field. The lexicons do not come from it (US Census 1990
lists, public CJK/Russian statistics, Faker's lists); the surname cut-off and the column
threshold were chosen with the whole file in view (``docs/pii.md``, "Person names").
"""

from __future__ import annotations

import calendar
import gzip
import random
import re
import zoneinfo
from pathlib import Path

import matplotlib.colors as mcolors
import pandas as pd
import pytest
from faker.providers.job.en_US import Provider as JobProvider
from faker.providers.lorem.en_US import Provider as LoremProvider

import auditor.pii.names as names_mod
from auditor.attributes import normalise_name
from auditor.pii.lexicon import name_hint
from auditor.pii.measure import scan_frame
from auditor.pii.names import (
    census_names,
    cjk_surnames,
    gazetteer,
    name_score,
    name_shaped,
    parse_name,
    person_name_mask,
    script_of,
)
from auditor.pii.settings import ScanOptions

DATA = Path(__file__).parent / "data" / "compas_names.csv"
NAMES_DIR = Path(names_mod.__file__).parent / "data" / "names"


@pytest.fixture(scope="module")
def compas() -> pd.DataFrame:
    return pd.read_csv(DATA, dtype=str)


def _rows(df: pd.DataFrame) -> dict[str, dict[str, object]]:
    return {r["column"]: r for r in scan_frame(df, ScanOptions()).rows}


# --- lexicons -----------------------------------------------------------------------------------


def test_packaged_lexicons_and_sources() -> None:
    files = sorted(p.name for p in NAMES_DIR.iterdir() if p.name != "SOURCES.md")
    sources = (NAMES_DIR / "SOURCES.md").read_text(encoding="utf-8")
    for name in files:
        assert f"`{name}`" in sources, name  # every list names its source and licence
    assert "public domain" in sources.lower()
    surnames = gzip.decompress((NAMES_DIR / "census1990_surnames.txt.gz").read_bytes())
    lines = surnames.decode().split()
    assert len(lines) == 88_799 and lines[:3] == ["smith", "johnson", "williams"]
    first, last = census_names()
    assert len(first) == 5_163  # 1,219 male + 4,275 female, 331 on both lists
    assert len(last) == names_mod.SURNAME_RANK_CUTOFF == 40_000
    # no GPL/LGPL name data and no mimesis data (the evaluation source) in the package
    assert not any(re.search(r"gender|nameparser|mimesis", p) for p in files)


def test_gazetteer_signature_and_contents() -> None:
    first, last = gazetteer()
    assert isinstance(first, frozenset) and isinstance(last, frozenset)
    assert {"mary", "james", "jennifer", "иван", "анна"} <= first
    assert {"smith", "garcia", "nguyen", "иванов", "иванова", "王", "張", "佐藤", "김"} <= last
    assert {"wang", "cheung", "tanaka", "park", "choi"} <= last  # romanisations
    # romanised CJK surnames that are English words are left out (``In``, ``So``, ``Do``)
    assert not {"in", "so", "do", "no", "go"} & names_mod._cjk_lexicons()[2]
    han, hangul = cjk_surnames()
    assert {"欧阳", "長谷川", "佐々木"} <= han and {"남궁", "이", "박"} <= hangul


# --- real names (recall on data the lexicons were not built from) ------------------------------


def test_real_name_recall_on_compas(compas: pd.DataFrame) -> None:
    """Measured: first 0.79, last 0.83, full 0.96 (any known word), 0.59 (known first + known
    surname). Before issue 12 (Faker lists only) on the whole file: 0.71 / 0.57 / 0.38."""
    share = {c: float(person_name_mask(compas[c])[0].mean()) for c in compas}
    assert share["first"] >= 0.77
    assert share["last"] >= 0.80
    assert share["name"] >= 0.94
    _named, scores = person_name_mask(compas["name"])
    assert float((scores >= 0.85).mean()) >= 0.55


def test_real_name_columns_flagged_under_any_name_and_case(compas: pd.DataFrame) -> None:
    df = pd.DataFrame(
        {
            "first": compas["first"],
            "last": compas["last"],
            "name": compas["name"],
            # no person word in these column names: the values alone decide
            "col_a": compas["first"],
            "col_b": compas["last"].str.upper(),
            "col_c": compas["name"].str.title(),
            "party": compas["name"],
        }
    )
    rows = _rows(df)
    for col in df.columns:
        r = rows[col]
        assert (r["kind"], r["entity_types"]) == ("direct_identifier", ["PERSON"]), col
        assert r["hit_rate"] >= 0.78, col
        assert r["likelihood"] in ("LIKELY", "VERY_LIKELY"), col
        # masked examples only, never a raw name
        for ex in r["masked_examples"]:
            assert ex.lower() not in set(compas[col if col in compas else "name"].str.lower())
    assert rows["first"]["evidence"]["name"]["hint"] == "PERSON"
    assert rows["col_a"]["evidence"]["name"]["hint"] is None
    reason = rows["col_a"]["evidence"]["structure"]["reason"]
    assert re.fullmatch(r"(7[89]|8\d)% of rows are known person names", reason), reason


# --- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "given", "family", "titled", "initials"),
    [
        ("john smith", ("john",), ("smith",), False, 0),
        ("JOHN SMITH", ("john",), ("smith",), False, 0),
        ("Mr. John Smith", ("john",), ("smith",), True, 0),
        ("Dr. Hans M. Müller", ("hans",), ("müller",), True, 1),
        ("Prof. Dr. Anna Schmidt", ("anna",), ("schmidt",), True, 0),
        ("Mme Claire Dubois", ("claire",), ("dubois",), True, 0),
        ("M. Jean-Luc Picard", ("jean-luc",), ("picard",), True, 0),
        ("Mlle Sophie Martin", ("sophie",), ("martin",), True, 0),
        ("Herr Klaus Becker", ("klaus",), ("becker",), True, 0),
        ("Frau Dr. Petra Schulz", ("petra",), ("schulz",), True, 0),
        ("Sra. María de la Cruz", ("maría",), ("de la cruz",), True, 0),
        ("Sr. José García", ("josé",), ("garcía",), True, 0),
        ("Sig. Mario Rossi", ("mario",), ("rossi",), True, 0),
        ("Dhr. Jan de Vries", ("jan",), ("de vries",), True, 0),
        ("Mevr. Anke van der Berg", ("anke",), ("van der berg",), True, 0),
        ("Ludwig van Beethoven", ("ludwig",), ("van beethoven",), False, 0),
        ("Ursula von der Leyen", ("ursula",), ("von der leyen",), False, 0),
        ("Ahmed bin Abdullah", ("ahmed",), ("bin abdullah",), False, 0),
        ("Omar al-Rashid", ("omar",), ("al-rashid",), False, 0),
        ("Maria dos Santos", ("maria",), ("dos santos",), False, 0),
        ("Anna Kowalska-Nowak", ("anna",), ("kowalska-nowak",), False, 0),
        ("Smith, John", ("john",), ("smith",), False, 0),
        ("van der Berg, Pieter J.", ("pieter",), ("van der berg",), False, 1),
        ("John F. Kennedy Jr.", ("john",), ("kennedy",), False, 1),
        ("J. R. R. Tolkien", (), ("tolkien",), False, 3),
        ("Frau Schmidt", (), ("schmidt",), True, 0),
        ("Иванов Иван Иванович", ("иван",), ("иванов",), False, 1),
        ("Иван Иванович Петров", ("иван",), ("петров",), False, 1),
    ],
)
def test_parse_name(
    value: str, given: tuple[str, ...], family: tuple[str, ...], titled: bool, initials: int
) -> None:
    p = parse_name(value)
    assert p is not None
    assert (p.given, p.family, p.titled, p.initials) == (given, family, titled, initials)


@pytest.mark.parametrize(
    "value",
    ["Steel Chair", "New York", "Acme Corp", "Smith & Sons", "Room 12", "a@b.com", "x" * 70],
)
def test_parse_name_rejects(value: str) -> None:
    assert parse_name(value) is None


def test_scores_any_case_titles_initials_particles() -> None:
    first, last = gazetteer()
    for v in ("john smith", "JOHN SMITH", "John Smith", "Smith, John", "smith, john"):
        assert name_score(v, first, last) == 0.85, v
    assert name_score("Hans M. Müller", first, last) == 0.85
    assert name_score("Pieter van der Berg", first, last) == 0.85
    assert name_score("Anna Kowalska-Nowak", first, last) == 0.85
    assert name_score("Frau Schmidt", first, last) == 0.75  # title + surname
    assert name_score("Mrs. Okonkwo", first, last) == 0.75  # Faker en_NG surnames
    assert name_score("Mrs. Ganbold", first, last) == 0.5  # title + a name outside the lists
    assert name_score("mary", first, last) == 0.6  # lone first name
    assert name_score("garcia", first, last) == 0.5  # lone surname
    assert name_score("Zhang Wei", first, last) == 0.6  # surname first
    assert name_score("Park Ji-sung", first, last) == 0.6  # a Korean surname, not a park
    assert name_score("Batbayar Ganbold", first, last) == 0.0  # outside every list
    # surname endings no everyday word has (Georgian, Polish, Ukrainian, Turkish, Lithuanian)
    for surname in ("Kapanadze", "Gelashvili", "Brzęczyszczykiewicz", "Kovalchuk"):
        assert surname.lower() not in last
        assert name_score(surname, first, last) == 0.5, surname
    assert name_score("Grzegorz Brzęczyszczykiewicz", first, last) == 0.85
    assert name_score("Nebraska", first, last) == 0.0  # -ska is not such an ending
    assert name_score("Software Engineer", first, last) == 0.0


# --- non-Latin scripts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "script", "score"),
    [
        ("山田太郎", "han", 0.7),
        ("山田 太郎", "han", 0.7),
        ("佐々木希", "han", 0.7),
        ("王伟", "han", 0.7),
        ("欧阳娜娜", "han", 0.7),
        ("張家豪", "han", 0.7),
        ("김민준", "hangul", 0.7),
        ("남궁민", "hangul", 0.7),
        ("Иванов Иван Иванович", "cyrillic", 0.85),  # surname, given name, patronymic
        ("Анна Петрова", "cyrillic", 0.85),
        ("Ольга Достоевская", "cyrillic", 0.85),  # a surname by its ending
        ("北京", "han", 0.0),  # a city: no known surname at its start
        ("杭州", "han", 0.0),  # 杭 is a surname, 州 ends place names
        ("新宿区", "han", 0.0),
        ("中村", "han", 0.7),  # a surname alone
        ("서울", "hangul", 0.0),  # two syllables: a place, Korean full names have three
        ("사과주스", "hangul", 0.0),  # apple juice
    ],
)
def test_non_latin_lexicons(value: str, script: str, score: float) -> None:
    first, last = gazetteer()
    assert script_of(value) == script
    assert name_score(value, first, last) == score


@pytest.mark.parametrize(
    ("value", "shaped"),
    [
        ("山田太郎", True),
        ("김민준", True),
        ("Иван Петров", True),
        ("محمد علي", True),
        ("राहुल शर्मा", True),
        ("Γιώργος Παπαδόπουλος", True),
        ("Ludwig van Beethoven", True),
        ("Omar al-Rashid", True),
        ("john smith", False),  # lower case: the lexicons decide, not the shape
        ("иван петров", False),
        ("Room 12", False),
        ("東京都渋谷区神南一丁目二番三号", False),  # too long for a name
    ],
)
def test_name_shape_by_script(value: str, shaped: bool) -> None:
    assert name_shaped(value) is shaped


def test_non_latin_name_columns() -> None:
    ja = ["山田太郎", "佐藤花子", "鈴木一郎", "高橋健", "田中美咲", "伊藤翔", "渡辺直美",
          "中村悠真", "小林陽菜", "加藤大輔", "吉田結衣", "山口蓮", "松本さくら", "井上湊"]  # fmt: skip
    ko = ["김민준", "이서연", "박지훈", "최수빈", "정하은", "강도윤", "조예린", "윤시우",
          "장지아", "임준서", "한서윤", "오지호", "서하린", "신유준"]  # fmt: skip
    zh = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊", "黄丽", "赵强", "吴婷", "周杰",
          "徐明", "孙悦", "马超", "朱琳"]  # fmt: skip
    ru = ["Иванов Иван", "Смирнова Анна", "Кузнецов Дмитрий", "Попова Ольга", "Соколов Петр",
          "Лебедева Мария", "Козлов Андрей", "Новикова Елена", "Морозов Сергей", "Волкова Юлия",
          "Павлов Максим", "Семенова Ирина", "Егоров Павел", "Орлова Дарья"]  # fmt: skip
    df = pd.DataFrame(
        {"氏名": ja, "이름": ko, "客户姓名": zh, "ФИО": ru, "col_zh": zh, "col_ko": ko}
    )
    rows = _rows(df)
    for col in df.columns:
        assert (rows[col]["kind"], rows[col]["entity_types"]) == (
            "direct_identifier",
            ["PERSON"],
        ), col
    # Japanese names outside the surname list are found by shape under a person column name
    outside = ["一松ケン", "大坊まい", "鳥山優", "出口葵"] * 5
    assert _rows(pd.DataFrame({"名前": outside}))["名前"]["kind"] == "direct_identifier"


# --- decoys -------------------------------------------------------------------------------------


def _decoys() -> dict[str, list[str]]:
    rnd = random.Random(12)

    def col(xs: list[str], n: int = 600) -> list[str]:
        return [rnd.choice(xs) for _ in range(n)]

    words = list(LoremProvider.word_list)
    cities = sorted(
        {z.split("/")[-1].replace("_", " ") for z in zoneinfo.available_timezones() if "/" in z}
    )
    brands = [
        "Apple",
        "Samsung",
        "Sony",
        "Dell",
        "Ford",
        "Toyota",
        "Honda",
        "Nike",
        "Adidas",
        "Puma",
        "Gucci",
        "Prada",
        "Chanel",
        "Tesla",
        "Lexus",
        "Audi",
        "Porsche",
        "Ferrari",
        "Volvo",
        "Nissan",
        "Mazda",
        "Subaru",
        "Kia",
        "Hyundai",
        "Intel",
        "Cisco",
        "Oracle",
        "Google",
        "Amazon",
        "Microsoft",
        "Target",
        "Walmart",
        "Costco",
        "Kroger",
        "Wendy",
        "Dior",
        "Hermes",
        "Cartier",
        "Tiffany",
        "Canon",
        "Nikon",
        "Philips",
        "Siemens",
        "Bosch",
        "Miele",
        "Lego",
        "Mattel",
        "Hasbro",
        "Pepsi",
        "Heinz",
        "Kellogg",
        "Nestle",
        "Chevrolet",
        "Buick",
        "Cadillac",
        "Lincoln",
        "Dodge",
        "Jeep",
        "Chrysler",
        "Boeing",
        "Pfizer",
        "Merck",
        "Bayer",
        "Dyson",
    ]
    adjectives = [
        "Classic",
        "Deluxe",
        "Premium",
        "Compact",
        "Portable",
        "Wireless",
        "Smart",
        "Ultra",
        "Eco",
        "Vintage",
    ]
    nouns = [
        "Lamp",
        "Chair",
        "Table",
        "Kettle",
        "Blender",
        "Speaker",
        "Backpack",
        "Wallet",
        "Jacket",
        "Watch",
        "Mug",
    ]
    months = [*calendar.month_name[1:], *calendar.day_name]
    months += [
        "Januar",
        "Februar",
        "März",
        "Mai",
        "Juni",
        "Juli",
        "Oktober",
        "Dezember",
        "Janvier",
        "Avril",
        "Juin",
        "Août",
    ]
    colours = list(mcolors.CSS4_COLORS)
    colours += [
        "Rot",
        "Weiß",
        "Schwarz",
        "Blau",
        "Grün",
        "rouge",
        "blanc",
        "noir",
        "vert",
        "bleu",
        "rojo",
        "blanco",
    ]
    return {
        "colour": col(colours),
        "Colour_cap": col([c.capitalize() for c in colours]),
        "month": col(months),
        "city": col(cities),
        "job": col(list(JobProvider.jobs)),
        "word": col(words),
        "Word_cap": col([w.capitalize() for w in words]),
        "brand": col(brands),
        "product": col([f"{a} {b}" for a in adjectives for b in nouns]),
        "two_words": [f"{rnd.choice(words)} {rnd.choice(words)}" for _ in range(600)],
    }


def test_cjk_place_columns_stay_clean() -> None:
    zh = ["北京", "上海", "广州", "深圳", "天津", "重庆", "成都", "武汉", "南京", "杭州", "苏州",
          "郑州", "长沙", "沈阳", "西安", "青岛", "大连", "宁波", "厦门", "福州", "合肥", "昆明",
          "哈尔滨", "济南", "石家庄", "贵阳", "南宁", "太原", "兰州", "海口"]  # fmt: skip
    ko = ["서울", "부산", "인천", "대구", "대전", "광주", "울산", "수원", "창원", "고양", "용인",
          "성남", "청주", "부천", "화성", "남양주", "전주", "천안", "안산", "안양", "김해", "평택",
          "포항", "제주", "시흥", "파주", "의정부", "김포", "광명", "원주"]  # fmt: skip
    rows = _rows(pd.DataFrame({"c1": zh, "c2": ko}))
    assert [r["kind"] for r in rows.values()] == ["none", "none"]


def test_decoy_columns_stay_clean() -> None:
    decoys = _decoys()
    rows = _rows(pd.DataFrame(decoys))
    for col in decoys:
        # city: a place column (LOCATION by its name), never PERSON
        assert "PERSON" not in rows[col]["entity_types"], col
        if col != "city":
            assert rows[col]["kind"] == "none", col
    # the same values under neutral names
    renamed = {f"c{i}": v for i, v in enumerate(decoys.values())}
    assert all(r["kind"] == "none" for r in _rows(pd.DataFrame(renamed)).values())


# --- column names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "column",
    [
        "first", "last", "name", "Vorname", "Nachname", "Familienname", "nom", "prénom",
        "Prenom", "nom_de_famille", "Nom du client", "titular", "nombre", "apellido",
        "apellidos", "nombre_completo", "nome", "cognome", "naam", "voornaam", "achternaam",
        "förnamn", "efternamn", "fornavn", "etternavn", "efternavn", "etunimi", "sukunimi",
        "imię", "nazwisko", "jméno", "příjmení", "имя", "фамилия", "ФИО", "氏名", "姓名",
        "名前", "姓", "名", "顧客名", "이름", "성명", "Όνομα", "passenger_name",
    ],
)  # fmt: skip
def test_person_column_names(column: str) -> None:
    hint = name_hint(column)
    assert hint is not None and hint.entity == "PERSON", column


@pytest.mark.parametrize(
    "column",
    ["product_name", "file_name", "商品名", "会社名", "名称", "nom_produit", "nome_prodotto",
     "first_seen", "last_update", "first_order_date", "company_name", "naam_product"],
)  # fmt: skip
def test_not_person_column_names(column: str) -> None:
    hint = name_hint(column)
    assert hint is None or hint.entity != "PERSON", column


def _old_normalise(name: object) -> str:
    """normalise_name before issue 12 (ASCII only), for the equivalence check."""
    camel = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
    split = re.compile(r"[^a-z0-9]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")
    tokens = [t for t in split.split(camel.sub("_", str(name)).lower()) if t]
    return "_" + "_".join(tokens) + "_" if tokens else "__"


def test_normalise_name_unicode_and_ascii_unchanged() -> None:
    assert normalise_name("prénom") == "_prenom_"
    assert normalise_name("Prénom") == "_prenom_"
    assert normalise_name("PrénomClient") == "_prenom_client_"
    assert normalise_name("Nom de famille") == "_nom_de_famille_"
    assert normalise_name("氏名") == "_氏名_"
    assert normalise_name("生年月日") == "_生年月日_"
    assert normalise_name("Geburtsdatum") == "_geburtsdatum_"
    assert normalise_name("Фамилия") == "_фамилия_"
    assert normalise_name("이름") == "_이름_"
    assert normalise_name("imię") == "_imie_"
    assert normalise_name("Straße") == "_strasse_"
    assert normalise_name("ＩＤ番号") == "_id_番号_"  # full-width letters, split at the script
    assert normalise_name("नाम") == "_नाम_"  # Devanagari vowel signs stay in the word
    rnd = random.Random(7)
    alphabet = "abcXYZ019_- .Ee2"
    samples = ["CustomerEmail", "e-mail 2", "userID", "HTTPServer", "ip_v4", "SSN", "x", ""]
    samples += [
        "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 14))) for _ in range(2000)
    ]
    for s in samples:
        assert normalise_name(s) == _old_normalise(s), s
