"""Toponyms in context: the gazetteer proposes places itself and picks the right one of namesakes."""

from __future__ import annotations

import pytest

from eventwire.coding.places import gazetteer, resolve_places
from eventwire.nlp import load

# (sentence, toponym, expected country ISO-3, expected feature or None for any)
CASES = [
    ("Russian troops entered a base in Niamey on Thursday.", "Niamey", "NER", "city"),
    ("The drone base near Agadez cost more than $100 million.", "Agadez", "NER", "city"),
    ("Russian personnel moved into Airbase 101 last week.", "Airbase 101", "NER", "facility"),
    ("US forces still operate Airbase 201 in the north.", "Airbase 201", "NER", "facility"),
    ("Niger ended its military cooperation with Washington.", "Niger", "NER", "country"),
    ("Fighting broke out in Tripoli, Libya, on Sunday.", "Tripoli", "LBY", "city"),
    ("Clashes erupted in Tripoli, Lebanon, overnight.", "Tripoli", "LBN", "city"),
    ("Protesters gathered in Paris on Saturday.", "Paris", "FRA", "city"),
    ("Missiles struck Kyiv before dawn.", "Kyiv", "UKR", "city"),
    ("Shelling hit Kharkiv and Odesa.", "Kharkiv", "UKR", "city"),
    ("Shelling hit Kharkiv and Odesa.", "Odesa", "UKR", "city"),
    ("Drones attacked Belgorod on Monday.", "Belgorod", "RUS", "city"),
    ("Israeli aircraft struck targets in Gaza.", "Gaza", "PSE", None),
    ("Settlers attacked a village in the West Bank.", "West Bank", "PSE", None),
    ("Fighting continued in Donbas.", "Donbas", "UKR", None),
    ("Russia annexed Crimea in 2014.", "Crimea", "UKR", None),
    ("Azerbaijan retook Nagorno-Karabakh.", "Nagorno-Karabakh", "AZE", None),
    ("Troops patrolled Kashmir.", "Kashmir", "IND", None),
    ("The Houthis fired missiles at ships in the Red Sea.", "Red Sea", None, None),
    ("Gunmen attacked a market in Maiduguri.", "Maiduguri", "NGA", "city"),
    ("Police dispersed protesters in Nairobi.", "Nairobi", "KEN", "city"),
    ("Demonstrations spread to Mombasa and Kisumu.", "Mombasa", "KEN", "city"),
    ("Demonstrations spread to Mombasa and Kisumu.", "Kisumu", "KEN", "city"),
    ("The talks were held in Beijing.", "Beijing", "CHN", "city"),
    ("Delegations met in Doha on Tuesday.", "Doha", "QAT", "city"),
    ("The summit opened in Addis Ababa.", "Addis Ababa", "ETH", "city"),
    ("Officers seized power in Libreville.", "Libreville", "GAB", "city"),
    ("Crowds celebrated in Port-Gentil.", "Port-Gentil", "GAB", "city"),
    ("Strikes hit Sanaa and Hodeidah.", "Sanaa", "YEM", "city"),
    ("Strikes hit Sanaa and Hodeidah.", "Hodeidah", "YEM", "city"),
    ("Fighting raged in Khartoum.", "Khartoum", "SDN", "city"),
    ("Paramilitaries besieged El Fasher in Darfur.", "Darfur", "SDN", None),
    ("Rebels advanced towards Goma.", "Goma", "COD", "city"),
    ("An attack killed soldiers near Bamako.", "Bamako", "MLI", "city"),
    ("Jihadists attacked Ouagadougou.", "Ouagadougou", "BFA", "city"),
    ("Protests erupted in Dakar.", "Dakar", "SEN", "city"),
    ("Ministers gathered in Abuja for the ECOWAS summit.", "Abuja", "NGA", "city"),
    ("Talks took place in Istanbul.", "Istanbul", "TUR", "city"),
    ("Police raided offices in Ankara.", "Ankara", "TUR", "city"),
    ("Protesters marched in Tehran.", "Tehran", "IRN", "city"),
    ("A blast shook Baghdad.", "Baghdad", "IRQ", "city"),
    ("Clashes broke out in Damascus.", "Damascus", "SYR", "city"),
    ("Airstrikes hit Idlib province.", "Idlib", "SYR", None),
    ("Forces entered Aleppo.", "Aleppo", "SYR", "city"),
    ("A car bomb exploded in Mogadishu.", "Mogadishu", "SOM", "city"),
    ("Police arrested activists in Hong Kong.", "Hong Kong", None, None),
    ("Ships sailed through the Taiwan Strait.", "Taiwan Strait", None, None),
    ("Leaders met in Washington.", "Washington", "USA", None),
    ("Officials gathered in Brussels.", "Brussels", "BEL", "city"),
    ("Talks were held in Geneva.", "Geneva", "CHE", "city"),
    ("The ministers met in Luxembourg.", "Luxembourg", "LUX", None),
    ("Voters went to the polls in Caracas.", "Caracas", "VEN", "city"),
    ("Protests filled the streets of Santiago, Chile.", "Santiago", "CHL", "city"),
    ("Troops deployed to Port-au-Prince.", "Port-au-Prince", "HTI", "city"),
    ("Gangs attacked a prison in Port-au-Prince.", "Port-au-Prince", "HTI", "city"),
    ("Police clashed with protesters in Dhaka.", "Dhaka", "BGD", "city"),
    ("Militants attacked a checkpoint in Peshawar.", "Peshawar", "PAK", "city"),
    ("The Taliban took Kabul in 2021.", "Kabul", "AFG", "city"),
    ("Troops massed near Minsk.", "Minsk", "BLR", "city"),
    ("Protesters rallied in Tbilisi.", "Tbilisi", "GEO", "city"),
    ("Georgia recalled its ambassador.", "Georgia", "GEO", "country"),
    ("Talks were held in Yerevan and Baku.", "Yerevan", "ARM", "city"),
    ("Talks were held in Yerevan and Baku.", "Baku", "AZE", "city"),
    ("The junta in Naypyidaw extended the emergency.", "Naypyidaw", "MMR", None),
    ("Fighting spread across Rakhine.", "Rakhine", "MMR", None),
    ("Police arrested protesters in Jakarta.", "Jakarta", "IDN", "city"),
    ("Troops patrolled Manila.", "Manila", "PHL", "city"),
    ("Missiles landed near Seoul.", "Seoul", "KOR", "city"),
    ("Pyongyang fired a missile.", "Pyongyang", "PRK", "city"),
    ("Protesters gathered outside parliament in London.", "London", "GBR", "city"),
    ("Police raided homes in Berlin.", "Berlin", "DEU", "city"),
    ("Farmers blocked roads in Warsaw.", "Warsaw", "POL", "city"),
    ("A summit opened in Vilnius.", "Vilnius", "LTU", "city"),
    ("Drones struck Moscow.", "Moscow", "RUS", "city"),
    ("An explosion hit the Kerch Bridge.", "Kerch Bridge", "UKR", None),
    ("Fighting raged around Bakhmut.", "Bakhmut", "UKR", None),
    ("Troops crossed into the Kursk region.", "Kursk", "RUS", None),
    ("The plant at Zaporizhzhia lost power.", "Zaporizhzhia", "UKR", None),
    ("Rockets hit Sderot.", "Sderot", "ISR", None),
    ("Crowds marched in Tel Aviv.", "Tel Aviv", "ISR", None),
    ("Troops raided Jenin.", "Jenin", "PSE", None),
    ("Aid trucks entered through Rafah.", "Rafah", "PSE", None),
    ("Protesters rallied in Cairo.", "Cairo", "EGY", "city"),
    ("A ship was attacked off Aden.", "Aden", "YEM", None),
    ("Strikes hit Beirut.", "Beirut", "LBN", "city"),
    ("Soldiers were killed in Kidal.", "Kidal", "MLI", None),
    ("Fighting erupted in Tigray.", "Tigray", "ETH", None),
    ("Militants attacked Cabo Delgado.", "Cabo Delgado", "MOZ", None),
    ("Gunmen killed villagers in Zamfara.", "Zamfara", "NGA", None),
    ("Bandits attacked a school in Kaduna.", "Kaduna", "NGA", None),
    ("Clashes erupted in Juba.", "Juba", "SSD", "city"),
    ("Riots broke out in Kampala.", "Kampala", "UGA", "city"),
    ("Police fired tear gas in Harare.", "Harare", "ZWE", "city"),
    ("Protests hit Johannesburg.", "Johannesburg", "ZAF", "city"),
    ("A strike paralysed Lagos.", "Lagos", "NGA", "city"),
    ("Fighting broke out in Benghazi.", "Benghazi", "LBY", "city"),
    ("Troops were sent to Tunis.", "Tunis", "TUN", "city"),
    ("Protesters marched in Algiers.", "Algiers", "DZA", "city"),
    ("Strikes hit Rabat.", "Rabat", "MAR", "city"),
    ("Police arrested activists in Riyadh.", "Riyadh", "SAU", "city"),
    ("Talks were held in Muscat.", "Muscat", "OMN", "city"),
]


@pytest.fixture(scope="module")
def nlp():
    return load()


@pytest.mark.parametrize(("sentence", "toponym", "country", "feature"), CASES)
def test_places_toponym_in_context(nlp, sentence: str, toponym: str, country: str | None, feature: str | None) -> None:
    doc = nlp(sentence)
    places = resolve_places(doc, set(), set())
    found = [p for p in places.values() if p.text == toponym or p.text.startswith(toponym)]
    assert found, f"{toponym!r} not found in {sentence!r}: {[p.text for p in places.values()]}"
    place = found[0]
    if country is not None:
        assert place.country == country, (toponym, place)
    if feature is not None:
        assert place.feature == feature, (toponym, place)
    assert place.lat is None or -90 <= place.lat <= 90


@pytest.mark.parametrize("sentence", [
    "The minister said the talks were useful.",
    "Campbell said the decision was final.",
    "The union called a strike in March.",
    "Police said they had made progress.",
])
def test_places_no_false_places(nlp, sentence: str) -> None:
    assert not resolve_places(nlp(sentence), set(), set())


def test_places_context_picks_the_namesake() -> None:
    gaz = gazetteer()
    cands = gaz.candidates("Tripoli")
    assert gaz.choose(cands, {"LBN"}).country == "LBN"
    assert gaz.choose(cands, {"LBY"}).country == "LBY"


@pytest.mark.parametrize(("sentence", "toponym", "country", "feature"), [
    ("Schoolgirls were abducted from a school in Chibok.", "Chibok", "NGA", "city"),
    ("Ukraine pulled its troops out of the eastern town of Avdiivka.", "Avdiivka", "UKR", "city"),
    ("Iran fired missiles at the Ain al-Asad air base.", "Ain al-Asad air base", "IRQ", "facility"),
    ("US warships struck Syria's Shayrat air base.", "Shayrat air base", "SYR", "facility"),
    ("NATO is sending ships to eastern Europe.", "eastern Europe", None, "region"),
    ("Biden and Xi held talks in Bali on Monday.", "Bali", "IDN", "admin"),
    ("Israeli aircraft struck targets in Gaza.", "Gaza", "PSE", "region"),
    ("The accords were signed at the White House.", "White House", "USA", "facility"),
])
def test_places_curated_names_in_context(nlp, sentence, toponym, country, feature) -> None:
    places = resolve_places(nlp(sentence), set(), set())
    found = [p for p in places.values() if p.text == toponym]
    assert found, f"{toponym!r} not found in {sentence!r}: {[p.text for p in places.values()]}"
    assert (found[0].country, found[0].feature) == (country, feature)


@pytest.mark.parametrize(("sentence", "not_a_place"), [
    ("Canada arrested Huawei executive Meng Wanzhou in Vancouver.", "Wanzhou"),
    ("Hamas freed 10 Thai farm workers on Friday.", "Thai"),
    ("Kazakh President Kassym-Jomart Tokayev declared a state of emergency.", "Kazakh"),
])
def test_places_person_names_and_demonyms_are_not_places(nlp, sentence, not_a_place) -> None:
    places = resolve_places(nlp(sentence), set(), set())
    assert not_a_place not in {p.text for p in places.values()}


def test_places_a_namesake_many_times_smaller_does_not_win_on_context() -> None:
    gaz = gazetteer()
    assert gaz.choose(gaz.candidates("Geneva"), {"USA"}).country == "CHE"


# --- where an event happened --------------------------------------------------------------------------

EVENT_PLACES = [
    # (sentence, trigger word, event type, expected place name or None)
    ("Chinese authorities detained Michael Kovrig in Beijing on Monday, days after Canada arrested Meng Wanzhou "
     "in Vancouver.", "detained", "COERCE", "Beijing"),
    ("Chinese authorities detained Michael Kovrig in Beijing on Monday, days after Canada arrested Meng Wanzhou "
     "in Vancouver.", "arrested", "COERCE", "Vancouver"),
    ("Iraqi protesters stormed and torched the Swedish embassy in Baghdad early on Thursday.", "stormed",
     "PROTEST", "Baghdad"),
    ("Pakistani Taliban gunmen killed more than 140 people, most of them children, at an army-run school in "
     "Peshawar on Tuesday.", "killed", "ASSAULT", "Peshawar"),
    ("Pope Francis apologised in Maskwacis, Alberta, on Monday for the role of the Church in Canada's "
     "residential schools.", "apologised", "CONCEDE", "Maskwacis"),
    ("Meeting in Abuja on Sunday, ECOWAS leaders gave Niger's junta one week to reinstate the president and "
     "imposed sweeping financial sanctions on the country.", "imposed", "SANCTION", "Abuja"),
    ("An Israeli air strike set fire to a tent camp in Rafah on Sunday, killing at least 45 people.", "killing",
     "ASSAULT", "Rafaḩ"),
    ("Saudi Arabia's foreign minister pledged aid to Ukraine during a visit to Kyiv on Sunday.", "pledged",
     "AGREE", "Kyiv"),
    # a relative clause that goes on with the people of the meeting ("whom he urged") happens where it did
    ("The French minister met the Malian foreign minister in Dakar on Tuesday, whom he urged to free the "
     "detainees.", "urged", "REQUEST", "Dakar"),
    # a place that qualifies a noun, or belongs to another clause, is not where the event happened
    ("The French minister met the rebel leader in Dakar on Tuesday, whose fighters attacked soldiers last week.",
     "attacked", "ASSAULT", None),
    ("The prosecutor opened an investigation on Wednesday into possible war crimes in Ukraine.", "opened",
     "ACCUSE", None),
    ("The Trump administration deported more than 200 Venezuelan men to a prison in El Salvador.", "deported",
     "COERCE", None),
    ("Russia has massed around 100,000 troops near Ukraine's borders.", "massed", "MOBILIZE", None),
    ("Israel ordered its ambassadors in Ireland and Norway home for consultations.", "ordered", "SANCTION", None),
    ("Ecuador granted asylum to Julian Assange on Thursday, two months after he took refuge in its London embassy.",
     "granted", "AID", None),
    ("Farmers marched towards New Delhi on Thursday against new agriculture laws.", "marched", "PROTEST", None),
    ("The UN General Assembly voted on Wednesday to deplore Moscow's actions in Ukraine.", "deplore", "ACCUSE", None),
]


@pytest.mark.parametrize(("sentence", "trigger", "event_type", "expected"), EVENT_PLACES)
def test_places_where_the_event_happened(nlp, sentence, trigger, event_type, expected) -> None:
    from eventwire.coding.places import event_location

    doc = nlp(sentence)
    places = resolve_places(doc, set(), set())
    tok = next(t for t in doc if t.text == trigger)
    place = event_location(doc, places, tok, (), event_type, set())
    assert (place.name if place else None) == expected, [(t.text, t.dep_, t.head.i) for t in doc]


@pytest.mark.parametrize(("text", "city", "country"), [
    ("BRUSSELS (AP) — The European Union imposed new sanctions on Russia on Monday.", "Brussels", "BEL"),
    ("NAIROBI: Police fired tear gas at protesters on Tuesday.", "Nairobi", "KEN"),
    ("MOSCOW, June 10. /TASS/. Russia expelled two British diplomats.", "Moscow", "RUS"),
    ("KYIV, Ukraine — Russian drones struck the capital overnight.", "Kyiv", "UKR"),
])
def test_places_datelines_of_real_layouts(text: str, city: str, country: str) -> None:
    from eventwire.coding.places import dateline_place

    place = dateline_place(load()(text), set())
    assert (place.name, place.country) == (city, country)
