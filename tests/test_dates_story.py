"""Dates that come from the story around a sentence: a clause that refers back to the time named before, an
anniversary, a planned act's future time, and background clauses that do not take the main clause's date."""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.coding.dates import date_for_event

PUB = date(2024, 5, 3)  # a Friday


@pytest.fixture(scope="module")
def nlp():
    from eventwire.nlp import load

    return load()


def _date(nlp, text: str, trigger: str, sentence: int = 0, published: date = PUB, report: str | None = None):
    doc = nlp(text)
    sent = list(doc.sents)[sentence]
    tok = next(t for t in sent if t.text == trigger)
    also = [next(t for t in sent if t.text == report)] if report else None
    return date_for_event(sent, tok, published, None, also)


@pytest.mark.parametrize(("text", "trigger", "iso"), [
    # 'later' with no time of its own: the time the sentence before names, as precisely as it names it
    ("The newspaper was forced to close in 2021. A judge later jailed its editor for five years.", "jailed", "2021"),
    # 'There,': the occasion (and its time) the sentence before named
    ("The two leaders met at a summit in Geneva in March. There, the prime minister asked for more weapons.",
     "asked", "2024-03"),
    # a definite occasion already told: 'during the hearing', 'near the end of his testimony'
    ("The minister testified before the committee on Tuesday. During the hearing, she accused the army of lying.",
     "accused", "2024-04-30"),
    ("The envoy toured three capitals in late March. During the negotiations, Beijing proposed a price floor.",
     "proposed", "2024-03"),
    ("The colonel testified before the tribunal on Monday. Near the end of his testimony, he denounced the court.",
     "denounced", "2024-04-29"),
])
def test_dates_a_clause_that_refers_back(nlp, text, trigger, iso) -> None:
    resolved = _date(nlp, text, trigger, sentence=1)
    assert resolved is not None and resolved.iso == iso


@pytest.mark.parametrize(("text", "trigger"), [
    # no back reference: a past act with no time of its own keeps none (the caller falls back to publication)
    ("The minister testified before the committee on Tuesday. The army denied the claim.", "denied"),
    # a 'then' that closes a condition refers back to no time
    ("The minister testified before the committee on Tuesday. If the army lied, then she quit.", "quit"),
    # an occasion not yet told ('a hearing') is not one the sentence before dated
    ("The minister testified before the committee on Tuesday. At a hearing, she accused the army of lying.",
     "accused"),
])
def test_dates_no_back_reference(nlp, text, trigger) -> None:
    assert _date(nlp, text, trigger, sentence=1) is None


def test_dates_a_scene_goes_on_into_the_next_act(nlp) -> None:
    text = ("The talks collapsed at a summit in Vienna in October. There, the rebels demanded an amnesty. "
            "The government refused the demand and offered a truce instead.")
    resolved = _date(nlp, text, "refused", sentence=2)
    assert resolved is not None and resolved.iso == "2023-10"  # published May 2024: last October
    # 'later' moves the time on: the act after it keeps no date of its own
    text = ("The newspaper was forced to close in 2021. A judge later jailed its editor. "
            "An appeals court overturned the verdict.")
    assert _date(nlp, text, "overturned", sentence=2) is None


def test_dates_a_year_before_a_noun_dates_only_that_noun(nlp) -> None:
    text = "Their kidnapping, recalling the 2014 abduction of hundreds of pupils, prompted leaders to demand action."
    assert _date(nlp, text, "demand") is None
    resolved = _date(nlp, text, "abduction")
    assert resolved is not None and resolved.iso == "2014"


@pytest.mark.parametrize(("text", "trigger", "published", "iso"), [
    # the Nth anniversary of an act falls on the day named: the act was N years before it
    ("The envoy renewed his plea on Friday, which is the tenth anniversary of the start of the uprising.",
     "uprising", date(2024, 5, 3), "2014-05-03"),
    ("Monday marked the first anniversary of the raid on the village.", "raid", date(2024, 10, 8), "2023-10-07"),
    ("Mourners gathered on Monday, the 25th anniversary of the bombing of the embassy.", "bombing",
     date(2024, 10, 8), "1999-10-07"),
])
def test_dates_of_an_anniversary(nlp, text, trigger, published, iso) -> None:
    resolved = _date(nlp, text, trigger, published=published)
    assert resolved is not None and resolved.iso == iso


def test_dates_a_planned_act_takes_no_future_time(nlp) -> None:
    # the future time is when the threatened act would happen: the threat is dated by the report, if any
    text = "We will double the duties on steel on June 2, the minister declared on Wednesday."
    resolved = _date(nlp, text, "double", report="declared")
    assert resolved is not None and resolved.iso == "2024-05-01"
    # the only date read in its own clause's tense: the declaration was last Wednesday, not next
    resolved = _date(nlp, text, "double")
    assert resolved is not None and resolved.iso == "2024-05-01"
    assert _date(nlp, "We will double the duties on steel on June 2, the minister declared.", "double") is None
    # a future time named by 'next month' is no date either
    assert _date(nlp, "The army will withdraw its troops from the border next month.", "withdraw") is None


@pytest.mark.parametrize(("text", "trigger", "iso"), [
    # a clause that describes a noun is background: the main clause's date is not its own ...
    ("Last year the title appeared on a list of dozens of novels banned by the junta.", "banned", None),
    # ... unless the date belongs to that noun ('the 2019 accord the rebels signed') ...
    ("The envoy recalled the March 2019 accord the rebels signed with the army.", "signed", "2019-03"),
    # ... or is the day of the report the clause sits in
    ("Kyiv has received its first tanks, supplied by Poland and Germany, the minister said on Sunday.",
     "supplied", "2024-04-28"),
    # a content clause is the noun's act, not a background one
    ("Opposition leaders welcomed Monday's announcement that the rebels had agreed to a truce.", "agreed",
     "2024-04-29"),
    # a running clause that describes a noun dates that noun, not the act beside it
    ("The rebel chief denounced the army in a message he issued for the festival starting this week.", "denounced",
     None),
    # a present state governing an infinitive is not dated by the day of a statement around it
    ("Such trials show how the regime uses broad laws to silence critics, a spokesman wrote in an email sent on "
     "Monday.", "silence", None),
    # a present perfect beside a dated clause names no day of its own
    ("The dialogue, which began in Oslo last June, has since stalled, with each side accusing the other of bad "
     "faith.", "accusing", None),
])
def test_dates_of_background_clauses(nlp, text, trigger, iso) -> None:
    resolved = _date(nlp, text, trigger)
    assert (resolved.iso if resolved else None) == iso


def test_dates_no_past_perfect_act_reported_on_an_occasion(nlp) -> None:
    text = ("The minister testified before the committee on Tuesday. During the hearing, she said her aides had been "
            "followed by soldiers.")
    doc = nlp(text)
    sent = list(doc.sents)[1]
    tok = next(t for t in sent if t.text == "followed")
    # the act came before the hearing, at no time the story names
    assert date_for_event(sent, tok, PUB, date(2024, 4, 30), None) is None
    # a past-perfect act reported afterwards is still the day the story last named
    text = "Rebels raided an army base in the east on Tuesday. Officials said four soldiers had been wounded."
    doc = nlp(text)
    sent = list(doc.sents)[1]
    tok = next(t for t in sent if t.text == "wounded")
    resolved = date_for_event(sent, tok, PUB, date(2024, 4, 30), None)
    assert resolved is not None and resolved.iso == "2024-04-30"


@pytest.mark.parametrize(("text", "trigger", "iso"), [
    # 'since <date>' dates the running act it belongs to ...
    ("Police have detained 300 students for their role in the marches since March 4.", "detained", "2024-03-04"),
    # ... and its own state ...
    ("The editor has been in custody since January.", "custody", "2024-01"),
    # ... but not an act told inside a noun of that clause, nor a purpose
    ("Police have detained 300 students for their role in the marches since March 4.", "marches", None),
    ("The rebels have staged raids since April in a bid to pressure the government.", "pressure", None),
])
def test_dates_since_a_time(nlp, text, trigger, iso) -> None:
    resolved = _date(nlp, text, trigger)
    assert (resolved.iso if resolved else None) == iso


def test_dates_an_act_joined_to_a_past_perfect_one(nlp) -> None:
    # 'had met ... and vowed': the second act shares the auxiliary, so it too is dated by the day last named
    text = ("The president spoke to reporters on Tuesday. He told the cabinet that he had phoned the governor and "
            "promised more police.")
    doc = nlp(text)
    sent = list(doc.sents)[1]
    tok = next(t for t in sent if t.text == "promised")
    resolved = date_for_event(sent, tok, PUB, date(2024, 4, 30), None)
    assert resolved is not None and resolved.iso == "2024-04-30"
