"""Dates of events in real news: which of a sentence's dates an event takes, and when it takes none."""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.coding.dates import date_for_event, find_expressions, resolve_expression

PUB = date(2024, 5, 3)  # a Friday


@pytest.fixture(scope="module")
def nlp():
    from eventwire.nlp import load

    return load()


def _date(nlp, text: str, trigger: str, previous: date | None = None, sentence: int = 0):
    doc = nlp(text)
    sent = list(doc.sents)[sentence]
    tok = next(t for t in sent if t.text == trigger)
    return date_for_event(sent, tok, PUB, previous)


@pytest.mark.parametrize(("text", "trigger", "iso"), [
    # the lone date of the trigger's own clause, or of a clause above it, still dates the event
    ("The opposition candidate was detained by police while campaigning in the capital on Wednesday.",
     "detained", "2024-05-01"),
    ("Police arrested the editor in 2021 and later seized the newspaper's offices.", "arrested", "2021"),
    # a possessive date dates its noun, the clause that noun governs, and the verb it is the subject of
    ("Opposition leaders welcomed Monday's announcement that the rebels had agreed to a truce.", "agreed",
     "2024-04-29"),
    ("Sunday's mortar attack killed twelve soldiers near the border.", "killed", "2024-04-28"),
    # a present perfect beside a report keeps the report's day
    ("Ankara has agreed to reopen its consulate in the city, a senior diplomat said on Thursday.", "agreed",
     "2024-05-02"),
])
def test_dates_lone_date_that_applies(nlp, text, trigger, iso) -> None:
    resolved = _date(nlp, text, trigger)
    assert resolved is not None and resolved.iso == iso


@pytest.mark.parametrize(("text", "trigger"), [
    # the date of a clause set at another time ('after', 'since') is not the main clause's
    ("Local officials are urging villagers to go home, after thousands were displaced this week by clashes.",
     "urging"),
    ("The envoy has made four visits to the region to document abuses since he took up the post in 2021.",
     "document"),
    # 'later': some time after the date the sentence names
    ("Police arrested the editor in 2021 and later seized the newspaper's offices.", "seized"),
    # a possessive date on the object dates the object, not the verb
    ("Opposition leaders welcomed Monday's announcement that the rebels had agreed to a truce.", "welcomed"),
    # a present perfect names no day; the day of the clause beside it is that clause's
    ("Britain has voiced alarm over the fighting, with its foreign secretary speaking by phone on Sunday with "
     "his Sudanese counterpart.", "voiced"),
])
def test_dates_lone_date_of_another_clause(nlp, text, trigger) -> None:
    assert _date(nlp, text, trigger) is None


def test_dates_past_perfect_takes_the_day_the_story_named(nlp) -> None:
    text = "Gunmen stormed a police post in the north on Tuesday. Officials said nine attackers had been killed."
    resolved = _date(nlp, text, "killed", previous=date(2024, 4, 30), sentence=1)
    assert resolved is not None and (resolved.iso, resolved.precision) == ("2024-04-30", "day")
    # a simple past with no date in its sentence keeps none (the publication date is the caller's fallback)
    text = "Gunmen stormed a police post in the north on Tuesday. The governor condemned the raid."
    assert _date(nlp, text, "condemned", previous=date(2024, 4, 30), sentence=1) is None
    # nor does the background of a relative clause
    text = "Gunmen stormed a police post in the north on Tuesday. A negotiator who had met the gunmen spoke."
    assert _date(nlp, text, "met", previous=date(2024, 4, 30), sentence=1) is None
    # and with no day named before, nothing to take
    assert _date(nlp, "Officials said nine attackers had been killed.", "killed") is None


def test_dates_past_perfect_in_a_story() -> None:
    import eventwire

    events = eventwire.extract("Militants attacked a passenger train on Tuesday in the southwest of the country. "
                               "Security officials said that 16 militants had been killed.", "2024-05-03")
    killed = [e for e in events if e.evidence.trigger == "killed"]
    assert killed and {e.date for e in killed} == {"2024-04-30"}


@pytest.mark.parametrize(("text", "iso"), [
    ("the 2014 bombing of the embassy", "2014"),
    ("after the 2019 massacre", "2019"),
    ("the 2008 elections", "2008"),
])
def test_dates_year_before_an_event_noun(text, iso) -> None:
    [(_s, _e, kind, m)] = find_expressions(text)
    assert resolve_expression(kind, m, PUB, "past").iso == iso
