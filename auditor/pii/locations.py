"""Whose place is it: people's locations versus places of business, and people's pages versus
product pages (issue 12, item 7).

- :func:`business_place_name`: the column is named for an asset or a place of business
  (``store_lat``, ``warehouse_city``, ``depot_address``, ``filiale_ort``, ``店舗_緯度``), so its
  coordinates, city or address are not a data subject's location; names that also say whose
  (``home_``, ``residence_``, ``patient_``, ``customer_``) stay personal (:func:`personal_place_name`).
- :class:`TableContext` / :func:`table_context`: whether the table is about people, decided from
  the first-pass column verdicts (a column flagged as a person's identifier: name, e-mail, phone,
  national id, record key of a person, birth date, sex or age, special-category data) or from a
  column named for people (``user_id``, ``patient``). Coordinates and cities are a data subject's
  location only in such a table.
- :func:`url_profile`: which share of a column's URLs point to a person's page (``/u/``,
  ``/user/``, ``/users/``, ``/profile/``, ``/people/``, LinkedIn ``/in/``, ``/@handle``, social
  hosts, ``?uid=``, ``mailto:``) and which to a product, article or asset page (``/product/``,
  ``/p/``, ``/dp/``, ``/item/``, ``/sku/``, ``/shop/``, ``/cart``, ``/docs/``, images).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..attributes import name_pattern, normalise_name

__all__ = [
    "LOCATION_ENTITIES",
    "PEOPLE_ENTITIES",
    "PEOPLE_GATED",
    "TableContext",
    "UrlProfile",
    "business_place_name",
    "merge_url_profiles",
    "people_column_name",
    "personal_place_name",
    "table_context",
    "url_profile",
]

#: entity types of a place: dropped in a column named for a place of business
LOCATION_ENTITIES = frozenset({"PRECISE_LOCATION", "LOCATION", "STREET_ADDRESS", "US_ZIP"})
#: entity types of a place that are a data subject's location only in a table about people
PEOPLE_GATED = frozenset({"PRECISE_LOCATION", "LOCATION"})

# Assets and places of business, multilingual where cheap (German, French, Spanish, Italian,
# Portuguese, Dutch, Nordic, Polish; Japanese and Chinese without word boundaries).
_BUSINESS = name_pattern(
    r"_(depots?|stores?|shops?|warehouses?|branch|branches|office|offices|site|sites|plant|plants"
    r"|factory|factories|venue|venues|hotel|hotels|restaurant|restaurants|merchant|merchants"
    r"|station|stations|airport|airports|port|ports|harbou?r|terminal|facility|facilities"
    r"|outlet|outlets|dealer|dealers|dealership|supplier|suppliers|vendor|vendors|retailer"
    r"|company|companies|business|businesses|firm|employer|hq|headquarters|head_?office"
    r"|campus|building|buildings|premises|mall|pharmacy|pharmacies|hospital|hospitals|clinic"
    r"|clinics|bank|atm|atms|branch_?office|showroom|franchise|location_?id|asset|assets"
    r"|tower|towers|antenna|cell_?tower|sensor|sensors|weather_?station|substation|pole"
    r"|well|wells|mine|mines|farm|farms|field_?office|distribution_?cent(er|re)|dc|fulfil?ment"
    r"|hub|hubs|garage|workshop|school|university|college|museum|stadium|theat(er|re)|cinema"
    r"|bar|cafe|gym|church|charger|chargers|charging_?station|parking|lot_?location|pickup_?point"
    r"|locker|lockers|kiosk|poi|landmark|competitor|property_?manager|organisation"
    r"|organization|org|agency|institution|filiale|filialen|niederlassung|geschaft|laden"
    r"|lager|werk|fabrik|standort|betrieb|firma|unternehmen|lieferant|handler|magasin"
    r"|boutique|entrepot|usine|agence|succursale|entreprise|societe|fournisseur|tienda"
    r"|almacen|sucursal|fabrica|oficina|empresa|proveedor|negozio|magazzino|stabilimento"
    r"|filiale|azienda|fornitore|sede|loja|armazem|fornecedor|winkel|vestiging|fabriek"
    r"|magazijn|bedrijf|leverancier|butik|fabrikk|kontor|foretag|foretak|sklep|magazyn"
    r"|oddzial|fabryka|firmy)_",
    r"店舗|支店|倉庫|工場|営業所|事業所|本社|店铺|门店|仓库|工厂|分店|公司|매장|지점|창고|공장",
)
# Words that say the place is a person's (they win over a business word: ``customer_store_city``
# is still the customer's). ``shipping`` and ``delivery`` addresses are a customer's home.
_PERSONAL = name_pattern(
    r"_(home|homes|residence|residential|resident|residents|domicile|dwelling|household|private"
    r"|personal|patient|patients|customer|customers|cust|client|clients|user|users|member"
    r"|members|employee|employees|staff|person|persons|people|individual|subscriber|applicant"
    r"|student|students|pupil|driver|drivers|rider|riders|passenger|passengers|traveller"
    r"|traveler|guest|guests|visitor|owner|owners|tenant|tenants|voter|respondent|participant"
    r"|subject|citizen|victim|offender|defendant|inmate|suspect|donor|recipient|beneficiary"
    r"|mailing|billing|shipping|delivery|birth|birthplace|born|wohnort|wohnsitz|heimat"
    r"|privat|kunde|kunden|patient|mitarbeiter|geburtsort|domicilio|residencia|cliente"
    r"|clientes|paciente|usuario|nacimiento|naissance|naiss|nascita|nascimento|woonplaats"
    r"|klant|bostad|bopael|hjem|zamieszkania|adres_?zamieszkania)_",
    r"自宅|住所|現住所|住址|居住|주소|거주",
)
# Column names of people (``user_id``, ``patient``, ``driver_name``): in a table holding one,
# coordinates and cities are the person's even when no other column is flagged.
_PEOPLE_COLUMN = name_pattern(
    r"_(user|users|userid|customer|customers|cust|custid|client|patient|patients|person|people"
    r"|member|employee|emp|staff|student|pupil|driver|rider|passenger|traveller|traveler|guest"
    r"|visitor|subscriber|applicant|candidate|respondent|participant|citizen|resident|tenant"
    r"|voter|donor|victim|offender|defendant|inmate|suspect|person_?id|device|imei|msisdn"
    r"|kunde|mitarbeiter|cliente|paciente|usuario|utilisateur|klant|gebruiker)_",
)

#: entity types a first-pass verdict names that show a table is about people (online identifiers
#: and vehicle numbers included: a trace of a device or a car is a trace of its user)
PEOPLE_ENTITIES = frozenset(
    {
        "PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "USERNAME", "US_SSN", "US_ITIN", "UK_NINO",
        "US_PASSPORT", "US_DRIVER_LICENSE", "MEDICAL_RECORD_NUMBER", "HEALTH_PLAN_ID", "UK_NHS",
        "US_MBI", "RECORD_KEY", "CREDIT_CARD", "BANK_ACCOUNT", "IBAN_CODE", "US_BANK_NUMBER",
        "DATE_OF_BIRTH", "AGE", "AGE_OVER_89", "GENDER", "DEVICE_ID", "IMEI", "MAC_ADDRESS",
        "IP_ADDRESS", "VIN", "MEDICAL_LICENSE",
    }
)  # fmt: skip
# not a person's identifier on their own: places, dates, links, keys of anything
_NOT_PEOPLE = frozenset(
    {
        "PRECISE_LOCATION", "LOCATION", "STREET_ADDRESS", "US_ZIP", "URL", "UUID", "DATE_TIME",
        "EVENT_DATE", "CREDENTIAL", "NRP", "CRYPTO",
    }
)  # fmt: skip


def business_place_name(column_name: object) -> str | None:
    """The word naming ``column_name`` for an asset or a place of business (``store`` in
    ``store_lat``), or None; None too when the name also says whose place it is
    (``customer_store_city``, ``home_office_lat``)."""
    norm = normalise_name(column_name)
    m = _BUSINESS.search(norm)
    if m is None or _PERSONAL.search(norm):
        return None
    return m.group(0).strip("_")


def personal_place_name(column_name: object) -> str | None:
    """The word saying the place is a person's (``home`` in ``home_lat``), or None."""
    m = _PERSONAL.search(normalise_name(column_name))
    return m.group(0).strip("_") if m else None


def people_column_name(column_name: object) -> bool:
    """True for a column named for people (``user_id``, ``patient``, ``driver_name``)."""
    return bool(_PEOPLE_COLUMN.search(normalise_name(column_name)))


def _is_people_entity(entity: str) -> bool:
    if entity in PEOPLE_ENTITIES:
        return True
    # national identifiers (``DE_TAX_ID``, ``FR_NIR``, ``IN_AADHAAR``, ...) and custom ones
    return entity not in _NOT_PEOPLE and bool(re.match(r"^[A-Z]{2}_[A-Z_]+$", entity))


@dataclass(frozen=True)
class TableContext:
    """What the whole table says about one column's values: which *other* columns show that
    the rows are people (``evidence``: column -> why)."""

    evidence: Mapping[str, str] = field(default_factory=dict)

    def about_people(self, column: str) -> str:
        """Why the table is about people, judged without ``column`` itself (``""``: it is not)."""
        others = [(c, why) for c, why in self.evidence.items() if c != column]
        if not others:
            return ""
        shown = ", ".join(f"{c!r} ({why})" for c, why in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        return f"the table is about people: {shown}{more}"


def table_context(rows: Iterable[Mapping[str, Any]]) -> TableContext:
    """The people evidence in first-pass column verdicts (``classify`` rows): a column flagged
    as a person's identifier, birth date, sex or age, a special category, free text with
    personal data, or a column named for people."""
    evidence: dict[str, str] = {}
    for r in rows:
        col = str(r["column"])
        kind = r.get("kind", "none")
        if kind == "special_category":
            evidence[col] = "special-category data"
            continue
        if kind == "free_text_pii":
            evidence[col] = "free text naming people"
            continue
        if kind in ("direct_identifier", "quasi_identifier"):
            people = [e for e in r.get("entity_types", []) if _is_people_entity(str(e))]
            if people:
                evidence[col] = str(people[0])
                continue
        if people_column_name(col) and business_place_name(col) is None:
            evidence[col] = "named for people"
    return TableContext(evidence)


# --- URLs ------------------------------------------------------------------------------------
_SOCIAL_HOSTS = (
    r"(?:[\w-]+\.)*(?:twitter\.com|x\.com|facebook\.com|fb\.com|fb\.me|instagram\.com"
    r"|linkedin\.com|tiktok\.com|youtube\.com|github\.com|gitlab\.com|medium\.com"
    r"|reddit\.com|pinterest\.\w+|vk\.com|ok\.ru|weibo\.com|xing\.com|t\.me|threads\.net"
    r"|snapchat\.com|soundcloud\.com|flickr\.com|behance\.net|dribbble\.com|about\.me"
    r"|linktr\.ee|keybase\.io|stackoverflow\.com|bsky\.app|mastodon\.\w+|tumblr\.com"
    r"|twitch\.tv|vimeo\.com|patreon\.com|onlyfans\.com|telegram\.me|wa\.me|quora\.com"
    r"|researchgate\.net|orcid\.org|scholar\.google\.\w+|gravatar\.com|myspace\.com"
    r"|badoo\.com|tinder\.com|skype\.com)"
)
# a person's page: a user path, a handle, a profile id in the query, a mailto link, or a social
# host's page that is not one of its own (help, search, hashtag, company and job pages)
_PERSON_URL = re.compile(
    r"^mailto:"
    r"|^(?:https?://)?[^/?#\s]+/(?:[^?#\s]*/)?(?:u|user|users|profile|profiles|people|person"
    r"|persons|member|members|in|pub|author|authors|contributor|staff|employee|employees"
    r"|team|~|mitglied|benutzer|utilisateur|usuario|perfil|profil|profilo|gebruiker)/[^/?#\s]+"
    r"|^(?:https?://)?[^/?#\s]+/(?:[^?#\s]*/)?@[\w.-]+"
    r"|^(?:https?://)?[^/?#\s]+/~[\w.-]+"
    r"|[?&](?:uid|user_?id|userid|user|username|profile_?id|member_?id|customer_?id|person_?id"
    r"|account_?id|patient_?id|email)=[^&#\s]+"
    rf"|^(?:https?://)?(?:www\.)?{_SOCIAL_HOSTS}/(?!(?:hashtag|search|explore|help|about"
    r"|legal|privacy|terms|company|jobs|job|school|groups|events|pages|watch|results|topics"
    r"|trending|settings|login|signup|i|intent|share|sharer|home|policies|blog|press|careers"
    r"|developers|business|ads|marketplace|gaming|feed|notifications|messages|tag|tags|p"
    r"|reel|reels|stories|tv|explore|collections|marketplace|orgs|features|pricing|topics"
    r"|sponsors|enterprise|apps|questions|tour|r)(?:[/?#]|$))[\w.@~-]+/?(?:[?#]|$)",
    re.IGNORECASE,
)
# a product, article, document or asset page
_THING_URL = re.compile(
    r"/(?:products?|p|dp|gp/product|item|items|itm|sku|skus|shop|store|cart|basket|checkout"
    r"|catalog|catalogue|category|categories|collections?|listing|listings|offer|offers|deal"
    r"|deals|docs?|documentation|articles?|news|blog|blogs|posts?|story|stories|wiki|help|faq"
    r"|support|kb|press|events?|jobs?|careers|downloads?|files?|images?|img|media|assets?"
    r"|static|cdn|videos?|watch|search|tag|tags|topics?|page|pages|api|releases?|issues?|pull"
    r"|produkt|produkte|artikel|produit|produits|producto|productos|prodotto|prodotti|produto"
    r"|produtos|artikelen|recipe|recipes|hotel|hotels|restaurant|menu|property|properties"
    r"|listing|rooms?|flights?|tickets?|book|books|ebook|course|courses)(?:[/?#.=]|$)"
    r"|\.(?:jpe?g|png|gif|webp|svg|pdf|docx?|xlsx?|pptx?|csv|zip|gz|mp[34]|mov|css|js|json"
    r"|xml)(?:[?#]|$)"
    r"|[?&](?:product_?id|pid|sku|item_?id|article_?id|post_?id|page_?id|v|q|query|search"
    r"|category|cat)=",
    re.IGNORECASE,
)
_URLISH = re.compile(r"^(?:mailto:|https?://|www\.|[\w-]+(?:\.[\w-]+)+/)", re.IGNORECASE)


@dataclass(frozen=True)
class UrlProfile:
    """Which share of a column's rows are URLs, links to a person's page, or links to a
    product, article or asset page (all shares in scanned rows)."""

    urls: float
    person: float
    thing: float

    def verdict(self) -> str:
        """``"person"``, ``"thing"`` or ``""`` (generic pages: neither clearly)."""
        if self.person >= 0.2:
            return "person"
        if self.thing >= 0.5 and self.person < 0.05:
            return "thing"
        return ""


def url_profile(uniques: pd.Series, counts: np.ndarray) -> UrlProfile | None:
    """URL shares of a column's distinct values (``None`` when under a fifth are URLs); of the
    first 2,000 distinct values (sample order) when there are more."""
    if not len(uniques):
        return None
    if len(uniques) > 2000:
        uniques, counts = uniques.iloc[:2000], np.asarray(counts)[:2000]
    texts = uniques.astype(str).str.strip()
    w = np.asarray(counts, dtype=float)
    total = float(w.sum())
    is_url = texts.str.contains(_URLISH).to_numpy(dtype=bool)
    if total == 0 or w[is_url].sum() / total < 0.2:
        return None
    urls = texts[is_url]
    wu = w[is_url]
    person = urls.str.contains(_PERSON_URL).to_numpy(dtype=bool)
    thing = urls.str.contains(_THING_URL).to_numpy(dtype=bool) & ~person
    return UrlProfile(
        urls=round(float(wu.sum() / total), 4),
        person=round(float(wu[person].sum() / total), 4),
        thing=round(float(wu[thing].sum() / total), 4),
    )


def merge_url_profiles(parts: Sequence[tuple[Mapping[str, Any] | None, int]]) -> UrlProfile | None:
    """One profile from per-partition profiles (as dicts, with each partition's scanned rows);
    a partition without one had under a fifth URLs and adds scanned rows only."""
    total = sum(n for _, n in parts)
    got = [(p, n) for p, n in parts if p]
    if not total or not got:
        return None

    def share(key: str) -> float:
        return round(sum(float(p[key]) * n for p, n in got) / total, 4)

    merged = UrlProfile(urls=share("urls"), person=share("person"), thing=share("thing"))
    return merged if merged.urls >= 0.2 else None
