"""Dates resolved against the publication date and tense: a table of expressions news uses."""

from __future__ import annotations

from datetime import date

import pytest

from eventwire.coding.dates import find_expressions, resolve_expression, resolve_weekday

PUB = date(2024, 5, 3)  # a Friday

CASES = [
    # (text, tense, expected iso, precision)
    ("on Thursday", "past", "2024-05-02", "day"),
    ("on Friday", "past", "2024-05-03", "day"),
    ("on Saturday", "past", "2024-04-27", "day"),
    ("on Monday", "future", "2024-05-06", "day"),
    ("on Friday", "future", "2024-05-10", "day"),
    ("last Friday", "past", "2024-04-26", "day"),
    ("next Tuesday", "future", "2024-05-07", "day"),
    ("yesterday", "past", "2024-05-02", "day"),
    ("today", "present", "2024-05-03", "day"),
    ("tomorrow", "future", "2024-05-04", "day"),
    ("on April 19", "past", "2024-04-19", "day"),
    ("on 19 April", "past", "2024-04-19", "day"),
    ("on December 12", "past", "2023-12-12", "day"),
    ("on December 12", "future", "2024-12-12", "day"),
    ("on May 4", "past", "2024-05-04", "day"),
    ("in March", "past", "2024-03", "month"),
    ("in June", "past", "2023-06", "month"),
    ("in June", "future", "2024-06", "month"),
    ("in July 2023", "past", "2023-07", "month"),
    ("a July 2023 coup", "past", "2023-07", "month"),
    ("on March 5, 2022", "past", "2022-03-05", "day"),
    ("on 5 March 2022", "past", "2022-03-05", "day"),
    ("on 2022-03-05", "past", "2022-03-05", "day"),
    ("last month", "past", "2024-04", "month"),
    ("earlier this month", "past", "2024-05", "month"),
    ("last year", "past", "2023", "year"),
    ("this year", "past", "2024", "year"),
    ("next month", "future", "2024-06", "month"),
    ("in 2019", "past", "2019", "year"),
    ("since 2021", "past", "2021", "year"),
    ("three days ago", "past", "2024-04-30", "day"),
    ("two months ago", "past", "2024-03", "month"),
    ("a year ago", "past", "2023", "year"),
    ("the day before yesterday", "past", "2024-05-01", "day"),
    ("on Sunday", "past", "2024-04-28", "day"),
    ("on Wednesday", "past", "2024-05-01", "day"),
    ("on Tuesday", "past", "2024-04-30", "day"),
    ("on Monday", "past", "2024-04-29", "day"),
    ("on Thursday", "future", "2024-05-09", "day"),
    ("on Sunday", "future", "2024-05-05", "day"),
    ("last Monday", "past", "2024-04-29", "day"),
    ("last Thursday", "past", "2024-05-02", "day"),
    ("this Friday", "past", "2024-05-03", "day"),
    ("next Friday", "future", "2024-05-10", "day"),
    ("yesterday", "present", "2024-05-02", "day"),
    ("overnight", "past", "2024-05-03", "day"),
    ("on May 1", "past", "2024-05-01", "day"),
    ("on May 3", "past", "2024-05-03", "day"),
    ("on 1 May", "past", "2024-05-01", "day"),
    ("on January 7", "past", "2024-01-07", "day"),
    ("on August 30", "past", "2023-08-30", "day"),
    ("on August 30", "future", "2024-08-30", "day"),
    ("on Sept. 11", "past", "2023-09-11", "day"),
    ("on 24th February", "past", "2024-02-24", "day"),
    ("in April", "past", "2024-04", "month"),
    ("in May", "past", "2024-05", "month"),
    ("in December", "past", "2023-12", "month"),
    ("in January", "future", "2025-01", "month"),
    ("since January", "past", "2024-01", "month"),
    ("in early March", "past", "2024-03", "month"),
    ("in late July", "past", "2023-07", "month"),
    ("in February 2022", "past", "2022-02", "month"),
    ("in Sept 2023", "past", "2023-09", "month"),
    ("on February 24, 2022", "past", "2022-02-24", "day"),
    ("on 7 October 2023", "past", "2023-10-07", "day"),
    ("on 2023-10-07", "past", "2023-10-07", "day"),
    ("on 10/07/2023", "past", "2023-10-07", "day"),
    ("last week", "past", "2024-04", "month"),
    ("this week", "past", "2024-05", "month"),
    ("next week", "future", "2024-05", "month"),
    ("this month", "present", "2024-05", "month"),
    ("earlier this year", "past", "2024", "year"),
    ("next year", "future", "2025", "year"),
    ("in 2023", "past", "2023", "year"),
    ("during 2022", "past", "2022", "year"),
    ("by 2030", "future", "2030", "year"),
    ("two days ago", "past", "2024-05-01", "day"),
    ("a week ago", "past", "2024-04-26", "day"),
    ("ten days ago", "past", "2024-04-23", "day"),
    ("three years ago", "past", "2021", "year"),
]


def test_dates_table_is_large_enough() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize(("text", "tense", "iso", "precision"), CASES)
def test_dates_expression_table(text: str, tense: str, iso: str, precision: str) -> None:
    [(_start, _end, kind, match)] = find_expressions(text)[-1:]
    resolved = resolve_expression(kind, match, PUB, tense)
    assert resolved is not None, (text, kind)
    assert (resolved.iso, resolved.precision) == (iso, precision), (text, kind)


@pytest.mark.parametrize(("text", "previous", "iso"), [
    ("the following week", date(2024, 4, 19), "2024-04-26"),
    ("the next day", date(2024, 4, 19), "2024-04-20"),
    ("two days later", date(2024, 4, 19), "2024-04-21"),
    ("the previous day", date(2024, 4, 19), "2024-04-18"),
])
def test_dates_relative_to_previous_date(text: str, previous: date, iso: str) -> None:
    [(_, _, kind, match)] = find_expressions(text)
    assert resolve_expression(kind, match, PUB, "past", previous).iso == iso


def test_dates_weekday_on_publication_day_is_that_day() -> None:
    assert resolve_weekday(PUB, 4, "past").iso == "2024-05-03"
    assert resolve_weekday(PUB, 4, "future").iso == "2024-05-10"


# --- dates of events in context: a clause counted from another ----------------------------------------


@pytest.fixture(scope="module")
def nlp():
    from eventwire.nlp import load

    return load()


def _event_date(nlp, sentence: str, trigger: str, published: date):
    from eventwire.coding.dates import date_for_event

    doc = nlp(sentence)
    sent = next(iter(doc.sents))
    tok = next(t for t in doc if t.text == trigger)
    return date_for_event(sent, tok, published, None)


@pytest.mark.parametrize(("sentence", "trigger", "published", "iso", "precision"), [
    # 'a day after': one day before the main clause's date
    ("China lodged a formal protest on Sunday, a day after a US fighter jet shot down a Chinese balloon.",
     "shot", date(2023, 2, 6), "2023-02-04", "day"),
    ("Kenya's president withdrew the finance bill on Wednesday, a day after protesters stormed parliament.",
     "stormed", date(2024, 6, 27), "2024-06-25", "day"),
    # 'nearly a month after': the month before
    ("The African Union suspended Niger on Tuesday, nearly a month after soldiers overthrew the president.",
     "overthrew", date(2023, 8, 23), "2023-07", "month"),
    # 'hours after': the same day
    ("Iran's parliament voted on Sunday to close the strait, hours after American bombers struck nuclear sites.",
     "struck", date(2025, 6, 22), "2025-06-22", "day"),
    # 'the previous day' counts from the day the sentence names, not from the publication date
    ("Russia's FSB said on Thursday it had detained the reporter in Yekaterinburg the previous day.",
     "detained", date(2023, 3, 30), "2023-03-29", "day"),
    # a deadline is not when it happened: the announcement's day is
    ("Biden announced on Wednesday that all American troops would leave Afghanistan by September 11.",
     "announced", date(2021, 4, 15), "2021-04-14", "day"),
    # the main clause keeps its own date
    ("China lodged a formal protest on Sunday, a day after a US fighter jet shot down a Chinese balloon.",
     "lodged", date(2023, 2, 6), "2023-02-05", "day"),
])
def test_dates_counted_from_the_main_clause(nlp, sentence, trigger, published, iso, precision) -> None:
    resolved = _event_date(nlp, sentence, trigger, published)
    assert resolved is not None
    assert (resolved.iso, resolved.precision) == (iso, precision)


@pytest.mark.parametrize(("sentence", "trigger", "published"), [
    # 'days after' names no day: the event gets no date of its own (the caller falls back to publication)
    ("Chinese authorities detained a Canadian on Monday, days after Canada arrested a Huawei executive.",
     "arrested", date(2018, 12, 12)),
    # a present-tense state in a relative clause is not dated by the main clause's day
    ("The United States called on Russia on Thursday to free the reporter, whom Moscow accuses of spying.",
     "accuses", date(2023, 3, 31)),
])
def test_dates_without_a_day_of_their_own(nlp, sentence, trigger, published) -> None:
    assert _event_date(nlp, sentence, trigger, published) is None


def test_dates_of_a_reported_plan_are_read_in_the_report_tense() -> None:
    """'said on April 19 that it had agreed to withdraw': the planned withdrawal is dated by the report, which
    is in the past, so 'April 19' is the last one, not next year's."""
    import eventwire

    events = eventwire.extract("A US official said on April 19 that Washington had agreed to withdraw its troops "
                               "from Niger.", "2024-05-03")
    assert events and {e.date for e in events} == {"2024-04-19"}
