"""One store, two languages: each article's language is told from its text (or its ``lang`` field), each goes
through its own pipeline in the same process, and an article in a language we do not code is recorded as
skipped with its language, never coded with the English rules."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

import eventwire
from eventwire.language import assign, detect, normalize
from eventwire.model import Article

EN = ("---\npublished: 2024-03-18\n---\nNiger's military junta revoked its military accord with the United States on "
      "Saturday, a government spokesman said in Niamey.\n")
FR = ("---\npublished: 2024-03-18\n---\nNIAMEY (AFP) — La junte au pouvoir au Niger a dénoncé samedi l'accord de "
      "coopération militaire qui la liait aux États-Unis, a annoncé le porte-parole du gouvernement. Des milliers de "
      "manifestants ont défilé dimanche à Niamey pour réclamer le départ des soldats américains.\n")
ES = ("---\npublished: 2024-03-18\n---\nLa junta militar de Níger anunció el sábado el fin de su acuerdo militar con "
      "Estados Unidos, según un portavoz del gobierno.\n")


@pytest.mark.parametrize(("text", "lang"), [
    ("Russian troops entered an air base in Niamey on Thursday.", "en"),
    ("Des soldats russes sont entrés jeudi dans une base aérienne de Niamey.", "fr"),
    ("Tiani reçoit Lavrov à Niamey", "fr"),
    ("El presidente de México visitó Madrid el lunes.", "es"),
    ("Die Bundesregierung hat am Montag neue Sanktionen gegen Russland beschlossen.", "de"),
])
def test_language_is_told_from_short_news_text(text: str, lang: str) -> None:
    assert detect(text) == lang


def test_language_given_by_the_input_wins_unless_forced() -> None:
    art = Article(id="a", text="Russian troops entered an air base in Niamey on Thursday.", lang="")
    assert assign(art).lang == "en"
    assert assign(Article(id="a", text=art.text, lang="fr-FR")).lang == "fr"
    assert assign(art, "fr").lang == "fr"
    assert normalize("FR_ca") == "fr"


def test_language_extract_codes_french_with_the_french_pipeline() -> None:
    events = eventwire.extract("Des jihadistes ont attaqué mardi un camp de l'armée malienne près de Gao.", "2024-05-03")
    assert events, "a French attack is coded"
    assert {e.lang for e in events} == {"fr"}
    assert any(e.event_type == "ASSAULT" and e.date == "2024-04-30" for e in events)
    with pytest.raises(eventwire.errors.InputError, match="'es'"):
        eventwire.extract("La junta militar de Níger anunció el sábado el fin de su acuerdo militar.", "2024-05-03")


def test_language_mixed_folder_is_one_store_and_other_languages_are_skipped(cli, tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in (("en.txt", EN), ("fr.txt", FR), ("es.txt", ES)):
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path / "store.duckdb"
    proc = cli("ingest", str(folder), "--db", str(db), "--workers", "2", "--quiet")
    err = proc.stderr.decode()
    assert proc.returncode == 0, err
    assert "1 skipped for their language (es 1)" in err
    con = duckdb.connect(str(db), read_only=True)
    assert dict(con.execute("SELECT source_path LIKE '%fr.txt', lang FROM articles").fetchall()) == {
        True: "fr", False: "en"}
    langs = {row[0] for row in con.execute("SELECT lang FROM events").fetchall()}
    assert langs == {"en", "fr"}, "both languages' events are in the one store"
    records = [json.loads(r[0]) for r in con.execute("SELECT record FROM events WHERE lang = 'fr'").fetchall()]
    assert records and all(r["lang"] == "fr" and r["evidence"]["sentence"] in FR for r in records)
    assert any(r["event_type"] == "PROTEST" for r in records), "the protest only the French report tells"
    # one happening told in both languages is one event with a mention from each article
    (n_articles,) = con.execute("SELECT n_articles FROM events WHERE event_type = 'SANCTION'").fetchone()
    assert n_articles == 2
    mention_langs = {json.loads(r[0])["lang"] for r in con.execute(
        "SELECT m.record FROM mentions m JOIN events e USING (event_id) WHERE e.event_type = 'SANCTION'").fetchall()}
    assert mention_langs == {"en", "fr"}
    (skip,) = con.execute("SELECT input, reason FROM failures").fetchall()
    assert skip[0].endswith("es.txt") and "language 'es' is not coded" in skip[1]
    con.close()
    again = cli("ingest", str(folder), "--db", str(db), "--quiet")
    assert again.returncode == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_language_bad_lang_option_is_one_line(cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(EN, encoding="utf-8")
    proc = cli("extract", str(tmp_path / "a.txt"), "--lang", "xx")
    err = proc.stderr.decode().strip()
    assert proc.returncode == 2 and "Traceback" not in err
    assert "--lang 'xx' is not known" in err and len(err.splitlines()) == 1
