"""The packaged actor dictionary (src/eventwire/data/actors.yaml): shape, codes and consistency.

These tests read the YAML directly, so they hold whatever the lexicon code does with it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

import pycountry
import pytest
import yaml

ACTORS = Path(__file__).resolve().parents[1] / "src" / "eventwire" / "data" / "actors.yaml"

TOP_LEVEL = {"version", "countries", "igos", "groups", "regions", "sectors", "titles", "people"}
COUNTRY_FIELDS = {"names", "demonyms", "capital", "metonyms"}
EXTRA_CODES = {"XKX"}  # Kosovo: user-assigned code, not in ISO 3166-1
ORG_SECTORS = {"IGO", "NGO"}

# ISO 3166-1 entries that are not sovereign states (dependencies, overseas parts, uninhabited
# lands, associated states). Everything else in pycountry must be in the dictionary.
_NOT_SOVEREIGN_CODES = """
    ABW AIA ALA ASM ATA ATF BES BLM BMU BVT CCK COK CUW CXR CYM ESH FLK FRO GGY GIB GLP GRL GUF GUM HKG
    HMD IMN IOT JEY MAC MAF MNP MSR MTQ MYT NCL NFK NIU PCN PRI PYF REU SGS SHN SJM SPM SXM TCA TKL UMI
    VGB VIR WLF
"""
NOT_SOVEREIGN = set(_NOT_SOVEREIGN_CODES.split())


@pytest.fixture(scope="module")
def data() -> dict:
    return yaml.safe_load(ACTORS.read_text(encoding="utf-8"))


def _day(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _sectors(data: dict) -> set[str]:
    return set(data["sectors"]) | ORG_SECTORS


def _org_surfaces(data: dict) -> dict[str, set[tuple[str, str]]]:
    """Surface form -> the entries (kind, id) it stands for, over countries, IGOs and groups."""
    owners: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for code, info in data["countries"].items():
        for name in info["names"]:
            owners[name].add(("country", code))
            if name.startswith("the "):
                owners[name[4:]].add(("country", code))
        for demonym in info.get("demonyms") or []:
            owners[demonym].add(("country", code))
        for met in info.get("metonyms") or []:
            owners[met["text"]].add(("country", code))
    for code, info in data["igos"].items():
        for name in info["names"]:
            owners[name].add(("igo", code))
    for i, group in enumerate(data["groups"]):
        for name in group["names"]:
            owners[name].add(("group", f"{i}:{group['names'][0]}"))
    return owners


def _windows_overlap(a: dict, b: dict) -> bool:
    a_from, a_to = _day(a.get("from")) or date.min, _day(a.get("to")) or date.max
    b_from, b_to = _day(b.get("from")) or date.min, _day(b.get("to")) or date.max
    return a_from < b_to and b_from < a_to


def _person_owner(person: dict) -> str | None:
    return person.get("country") or person.get("igo")


def lookup(data: dict, surface: str, day: date | None = None) -> tuple[str | None, str | None]:
    """(code, sector) for a surface form, most specific entry first, as the lexicon ranks them."""
    for person in data["people"]:
        if surface == person["name"] or surface in (person.get("aliases") or []):
            start, end = _day(person.get("from")), _day(person.get("to"))
            if day is None or ((start is None or start <= day) and (end is None or day < end)):
                return _person_owner(person), person["sector"]
    for group in data["groups"]:
        if surface in group["names"]:
            return group["country"], group["sector"]
    for code, info in data["igos"].items():
        if surface in info["names"]:
            return code, info.get("sector", "IGO")
    for code, info in data["countries"].items():
        for met in info.get("metonyms") or []:
            if met["text"] == surface:
                return code, met["sector"]
    for code, info in data["countries"].items():
        names = info["names"] + [n[4:] for n in info["names"] if n.startswith("the ")]
        if surface in names or surface in (info.get("demonyms") or []):
            return code, None
    return None, None


# ---------------------------------------------------------------- shape


def test_top_level_structure(data: dict) -> None:
    assert set(data) == TOP_LEVEL
    assert data["version"] == 1


def test_every_surface_string_is_a_clean_string(data: dict) -> None:
    """YAML turns bare yes/no/on/off/numbers into other types: every form must stay a string."""
    bad = []

    def check(where: str, value: object) -> None:
        if not isinstance(value, str) or not value or value != value.strip() or "  " in value:
            bad.append(f"{where}: {value!r}")

    for code, info in data["countries"].items():
        assert set(info) <= COUNTRY_FIELDS, code
        assert info["names"], code
        check(f"{code} capital", info.get("capital"))
        for value in [*info["names"], *(info.get("demonyms") or [])]:
            check(code, value)
        for met in info.get("metonyms") or []:
            check(f"{code} metonym", met.get("text"))
    for code, info in data["igos"].items():
        for value in info["names"]:
            check(code, value)
    for group in data["groups"]:
        for value in group["names"]:
            check("group", value)
    for person in data["people"]:
        for value in [person["name"], *(person.get("aliases") or [])]:
            check("person", value)
    for sector, words in data["sectors"].items():
        for value in words:
            check(f"sector {sector}", value)
    for sector, titles in data["titles"].items():
        for value in titles:
            check(f"title {sector}", value)
    assert not bad, bad


# ---------------------------------------------------------------- countries


def test_country_keys_are_iso3(data: dict) -> None:
    invalid = [c for c in data["countries"] if c not in EXTRA_CODES and pycountry.countries.get(alpha_3=c) is None]
    assert not invalid, invalid


def test_every_sovereign_state_is_present(data: dict) -> None:
    sovereign = {c.alpha_3 for c in pycountry.countries} - NOT_SOVEREIGN
    assert len(sovereign) >= 190
    missing = sorted(sovereign - set(data["countries"]))
    assert not missing, missing
    for code in ("XKX", "PSE", "TWN"):
        assert code in data["countries"]


def test_metonym_sectors_are_known(data: dict) -> None:
    sectors = _sectors(data)
    bad = [
        (code, met)
        for code, info in data["countries"].items()
        for met in info.get("metonyms") or []
        if met.get("sector") not in sectors
    ]
    assert not bad, bad


def test_enough_seats_of_power(data: dict) -> None:
    with_metonyms = [c for c, info in data["countries"].items() if info.get("metonyms")]
    assert len(with_metonyms) >= 60


# ---------------------------------------------------------------- uniqueness


def test_no_surface_form_stands_for_two_things(data: dict) -> None:
    collisions = {s: sorted(o) for s, o in _org_surfaces(data).items() if len(o) > 1}
    assert not collisions, collisions


def test_no_name_or_demonym_maps_to_two_countries(data: dict) -> None:
    by_surface: dict[str, set[str]] = defaultdict(set)
    for code, info in data["countries"].items():
        for form in [*info["names"], *(info.get("demonyms") or [])]:
            by_surface[form].add(code)
    collisions = {s: sorted(c) for s, c in by_surface.items() if len(c) > 1}
    assert not collisions, collisions


def test_igo_codes_are_not_country_codes(data: dict) -> None:
    clash = [c for c in data["igos"] if c in data["countries"] or pycountry.countries.get(alpha_3=c)]
    assert not clash, clash


def test_person_names_do_not_shadow_other_entries(data: dict) -> None:
    others = _org_surfaces(data)
    shadowed = sorted(
        {form for p in data["people"] for form in [p["name"], *(p.get("aliases") or [])] if form in others}
    )
    assert not shadowed, shadowed


def test_person_aliases_are_unambiguous_on_any_day(data: dict) -> None:
    """A form shared by two people must not stand for two countries on the same day."""
    by_form: dict[str, list[dict]] = defaultdict(list)
    for person in data["people"]:
        for form in {person["name"], *(person.get("aliases") or [])}:
            by_form[form].append(person)
    clashes = []
    for form, people in by_form.items():
        for i, a in enumerate(people):
            for b in people[i + 1 :]:
                if _person_owner(a) != _person_owner(b) and _windows_overlap(a, b):
                    clashes.append((form, a["name"], b["name"]))
    assert not clashes, clashes


# ---------------------------------------------------------------- groups, people, sectors, titles


def test_igo_entries(data: dict) -> None:
    sectors = _sectors(data)
    for code, info in data["igos"].items():
        assert info["names"], code
        assert info.get("sector", "IGO") in sectors, code
    for code in ("UN", "UNSC", "NATO", "EU", "AU", "ECOWAS", "ICC", "ICJ", "IMF", "WB", "IAEA", "ICRC", "MSF", "AES"):
        assert code in data["igos"], code


def test_group_countries_and_sectors(data: dict) -> None:
    known = set(data["countries"]) | set(data["igos"])
    sectors = _sectors(data)
    assert len(data["groups"]) >= 60
    for group in data["groups"]:
        assert group["names"], group
        assert "country" in group, group
        assert group["country"] is None or group["country"] in known, group
        assert group["sector"] in sectors, group


def test_people_entries(data: dict) -> None:
    countries, igos, sectors = set(data["countries"]), set(data["igos"]), _sectors(data)
    assert len({p["name"] for p in data["people"]}) >= 150
    for person in data["people"]:
        where = person["name"]
        assert not (person.get("country") and person.get("igo")), where
        assert person.get("country") is None or person["country"] in countries, where
        assert person.get("igo") is None or person["igo"] in igos, where
        assert person["sector"] in sectors, where
        start, end = _day(person.get("from")), _day(person.get("to"))
        if start and end:
            assert start < end, where
        assert isinstance(person.get("aliases", []), list), where


def test_same_person_roles_do_not_overlap(data: dict) -> None:
    roles: dict[str, list[dict]] = defaultdict(list)
    for person in data["people"]:
        roles[person["name"]].append(person)
    overlaps = [
        (name, a.get("from"), b.get("from"))
        for name, rs in roles.items()
        for i, a in enumerate(rs)
        for b in rs[i + 1 :]
        if _windows_overlap(a, b)
    ]
    assert not overlaps, overlaps


def test_sector_words_are_lower_case_and_unique(data: dict) -> None:
    seen: dict[str, str] = {}
    dup = []
    for sector, words in data["sectors"].items():
        assert len(sector) == 3 and sector.isupper(), sector
        for word in words:
            assert word == word.lower(), word
            if word in seen:
                dup.append((word, seen[word], sector))
            seen[word] = sector
    assert not dup, dup


def test_titles_are_unique_and_known(data: dict) -> None:
    sectors = _sectors(data)
    seen: dict[str, str] = {}
    dup = []
    for sector, titles in data["titles"].items():
        assert sector in sectors, sector
        for title in titles:
            if title in seen:
                dup.append((title, seen[title], sector))
            seen[title] = sector
    assert not dup, dup


# ---------------------------------------------------------------- lookups


@pytest.mark.parametrize(
    ("surface", "code", "sector"),
    [
        ("Nigerien", "NER", None),
        ("Nigerian", "NGA", None),
        ("Emirati", "ARE", None),
        ("Emiratis", "ARE", None),
        ("U.S.", "USA", None),
        ("the United States", "USA", None),
        ("United States", "USA", None),
        ("Britain", "GBR", None),
        ("Britons", "GBR", None),
        ("Northern Ireland", "GBR", None),
        ("DRC", "COD", None),
        ("Congo-Brazzaville", "COG", None),
        ("Ivory Coast", "CIV", None),
        ("Cote d'Ivoire", "CIV", None),
        ("Palestinian", "PSE", None),
        ("Kosovo", "XKX", None),
        ("Taiwan", "TWN", None),
        ("Kremlin", "RUS", "GOV"),
        ("Pentagon", "USA", "MIL"),
        ("White House", "USA", "GOV"),
        ("Downing Street", "GBR", "GOV"),
        ("Knesset", "ISR", "LEG"),
        ("Élysée", "FRA", "GOV"),
        ("Brussels", "EU", "IGO"),
        ("NATO", "NATO", "IGO"),
        ("Security Council", "UNSC", "IGO"),
        ("ICC", "ICC", "JUD"),
        ("Red Cross", "ICRC", "NGO"),
        ("Houthis", "YEM", "REB"),
        ("Hamas", "PSE", "REB"),
        ("Hezbollah", "LBN", "REB"),
        ("Wagner", "RUS", "MIL"),
        ("Africa Corps", "RUS", "MIL"),
        ("RSF", "SDN", "MIL"),
        ("Taliban", "AFG", "GOV"),
        ("IDF", "ISR", "MIL"),
        ("IRGC", "IRN", "MIL"),
        ("ISIS", None, "REB"),
        ("CIA", "USA", "SPY"),
        ("Polisario Front", "ESH", "REB"),
        ("U.N.", "UN", "IGO"),
        ("the European Union", "EU", "IGO"),
        ("Group of Seven", "G7", "IGO"),
        ("C.A.R.", "CAF", None),
        ("MINUSCA", "MINUSCA", "MIL"),
        ("al-Shabab", "SOM", "REB"),
        ("BLA", "PAK", "REB"),
        ("HTS", "SYR", "REB"),
        ("SDF", "SYR", "REB"),
        ("M23", "COD", "REB"),
        ("JNIM", "MLI", "REB"),
        ("anti-Balaka", "CAF", "REB"),
        ("ICE", "USA", "COP"),
        ("World Uyghur Congress", "WUC", "NGO"),
    ],
)
def test_lookup(data: dict, surface: str, code: str | None, sector: str | None) -> None:
    assert lookup(data, surface) == (code, sector)


@pytest.mark.parametrize(
    ("surface", "day", "code", "sector"),
    [
        ("Trump", date(2019, 6, 1), "USA", "GOV"),
        ("Trump", date(2023, 6, 1), "USA", "OPP"),
        ("Trump", date(2025, 6, 1), "USA", "GOV"),
        ("Biden", date(2022, 1, 1), "USA", "GOV"),
        ("Bazoum", date(2022, 1, 1), "NER", "GOV"),
        ("Tiani", date(2024, 5, 3), "NER", "GOV"),
        ("Kurt Campbell", date(2024, 4, 19), "USA", "GOV"),
        ("Navalny", date(2021, 1, 17), "RUS", "OPP"),
        ("Guterres", date(2024, 1, 1), "UN", "IGO"),
        ("Rutte", date(2020, 1, 1), "NLD", "GOV"),
        ("Rutte", date(2025, 1, 1), "NATO", "IGO"),
        ("al-Sharaa", date(2025, 3, 1), "SYR", "GOV"),
        ("Min Aung Hlaing", date(2022, 1, 1), "MMR", "GOV"),
        ("Clinton", date(2000, 6, 1), "USA", "GOV"),
        ("Pedersen", date(2025, 3, 14), "UN", "IGO"),
    ],
)
def test_dated_person_lookup(data: dict, surface: str, day: date, code: str, sector: str) -> None:
    assert lookup(data, surface, day) == (code, sector)


@pytest.mark.parametrize(
    ("word", "sector"),
    [
        ("troops", "MIL"),
        ("soldiers", "MIL"),
        ("officials", "GOV"),
        ("police", "COP"),
        ("security forces", "COP"),
        ("rebels", "REB"),
        ("militia", "UAF"),
        ("protesters", "CVL"),
        ("journalists", "MED"),
        ("refugees", "REF"),
        ("aid workers", "NGO"),
        ("prosecutors", "JUD"),
        ("lawmakers", "LEG"),
    ],
)
def test_sector_words(data: dict, word: str, sector: str) -> None:
    found = [s for s, words in data["sectors"].items() if word in words]
    assert found == [sector]


@pytest.mark.parametrize(
    ("title", "sector"),
    [
        ("Gen.", "MIL"),
        ("Adm.", "MIL"),
        ("Prime Minister", "GOV"),
        ("Sen.", "LEG"),
        ("Attorney General", "JUD"),
        ("Ayatollah", "REL"),
    ],
)
def test_titles(data: dict, title: str, sector: str) -> None:
    found = [s for s, titles in data["titles"].items() if title in titles]
    assert found == [sector]


def test_region_names_are_no_actors_and_name_no_country() -> None:
    """'Latin America' holds 'America' but names no actor: a region's name is no mention at all."""
    import spacy

    from eventwire.coding.lexicon import lexicon

    nlp = spacy.blank("en")
    mentions = lexicon("en").mentions(nlp("the Latin America bureau of Reporters Without Borders"))
    assert [m.entries[0].name for m in mentions] == ["Reporters Without Borders"]
