"""The product's first customer story: the Airbase 101 report turns into the events DESIGN.md lists."""

from __future__ import annotations

import json

import pytest

import eventwire
from eventwire.model import Event

from .conftest import SEED
from .test_model import CONTRACT_FIELDS


@pytest.fixture(scope="module")
def seed_events(seed_text: str) -> list[Event]:
    return eventwire.extract(seed_text, "2024-05-03", doc_id="seed")


def _find(events: list[Event], event_type: str, source: str, target: str | None = None) -> list[Event]:
    return [e for e in events if e.event_type == event_type and e.source and source in e.source.countries
            and (target is None or (e.target is not None and target in e.target.countries))]


def test_seed_cli_prints_events_with_every_field(cli, seed_text: str) -> None:
    result = cli("extract", str(SEED), "--published", "2024-05-03", "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(records) >= 5
    for record in records:
        assert list(record) == CONTRACT_FIELDS
        ev = record["evidence"]
        assert seed_text[ev["start"] : ev["end"]] == ev["sentence"]
        assert seed_text[ev["trigger_start"] : ev["trigger_end"]].split()[0] == ev["trigger"].split()[0]
        assert record["doc_id"] and record["event_type"] in eventwire.model.EVENT_TYPES


def test_seed_russian_troops_mobilize_in_niger(seed_events: list[Event]) -> None:
    found = _find(seed_events, "MOBILIZE", "RUS", "NER")
    assert found, [(e.event_type, e.source, e.target) for e in seed_events]
    first = found[0]
    assert first.source.sector == "MIL" and first.factuality == "asserted"
    assert first.date == "2024-05-02" and first.location is not None and first.location.country == "NER"
    assert first.attribution is not None and "Reuters" in first.attribution.text
    assert any(e.location and e.location.name == "Airbase 101" for e in found)


def test_seed_niger_severs_military_ties_with_us(seed_events: list[Event]) -> None:
    [event] = _find(seed_events, "SANCTION", "NER", "USA")
    assert event.mode == "discontinue" and event.date == "2024-03" and event.date_precision == "month"
    assert event.source.sector == "GOV"


def test_seed_us_agrees_to_leave_on_april_19(seed_events: list[Event]) -> None:
    agreed = [e for e in _find(seed_events, "AGREE", "USA", "NER") if e.factuality == "asserted"]
    assert [e.date for e in agreed] == ["2024-04-19"]
    assert "Campbell" in agreed[0].attribution.text


def test_seed_niger_expelled_french_forces(seed_events: list[Event]) -> None:
    [event] = _find(seed_events, "COERCE", "NER", "FRA")
    assert event.target.sector == "MIL" and event.factuality == "asserted"


def test_seed_no_event_from_reporting_verbs(seed_events: list[Event]) -> None:
    assert not any(e.evidence.trigger.lower() in ("said", "reported", "told", "claimed") for e in seed_events)
