"""The DuckDB schema, as named migrations recorded in a table, each applied in a transaction."""

from __future__ import annotations

import duckdb

DATE_KEY_SQL = (
    "CASE WHEN coalesce(date, '') = '' THEN '' WHEN starts_with(date, '0000') THEN '*' "
    "WHEN regexp_full_match(date, '[0-9]{4}(-(0[1-9]|1[0-2]))?') THEN date "
    "WHEN regexp_full_match(date, '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND try_cast(date AS DATE) IS NOT NULL THEN date "
    "ELSE '*' END")
"""``resolve.date_key`` in SQL: a valid YYYY, YYYY-MM or YYYY-MM-DD as it is, '' for no date, '*' for any other."""
MERGE_KEY_SQL = f"event_type || '|' || factuality || '|' || source_key || '|' || ({DATE_KEY_SQL})"
"""``resolve.merge_key`` of an events row: the mentions that may merge into it are found by this key (indexed)."""

MIGRATIONS: list[tuple[str, str]] = [
    ("0001_initial", """
CREATE TABLE runs (
    run_id VARCHAR PRIMARY KEY, started TIMESTAMP, finished TIMESTAMP, inputs VARCHAR,
    articles_added INTEGER DEFAULT 0, events_added INTEGER DEFAULT 0, mentions_added INTEGER DEFAULT 0,
    failures INTEGER DEFAULT 0, version VARCHAR
);
CREATE TABLE articles (
    id VARCHAR PRIMARY KEY, title VARCHAR, published DATE, url VARCHAR, outlet VARCHAR, lang VARCHAR,
    source_path VARCHAR, text VARCHAR, n_chars INTEGER, simhash UBIGINT,
    band0 USMALLINT, band1 USMALLINT, band2 USMALLINT, band3 USMALLINT,
    group_id VARCHAR, run_id VARCHAR, ingested_at TIMESTAMP
);
CREATE TABLE events (
    event_id VARCHAR PRIMARY KEY, event_type VARCHAR, mode VARCHAR, cameo VARCHAR, quad_class INTEGER,
    goldstein DOUBLE, source_key VARCHAR, target_key VARCHAR, source_code VARCHAR, target_code VARCHAR,
    source_country VARCHAR, target_country VARCHAR, date VARCHAR, date_precision VARCHAR, day DATE,
    location_name VARCHAR, location_country VARCHAR, lat DOUBLE, lon DOUBLE, factuality VARCHAR,
    confidence DOUBLE, n_mentions INTEGER, n_articles INTEGER, n_outlets INTEGER, first_seen TIMESTAMP,
    record JSON
);
CREATE TABLE mentions (
    mention_id VARCHAR PRIMARY KEY, event_id VARCHAR, doc_id VARCHAR, outlet VARCHAR, sentence VARCHAR,
    start_char INTEGER, end_char INTEGER, trigger VARCHAR, record JSON
);
CREATE TABLE actors (
    code VARCHAR, country VARCHAR, sector VARCHAR, name VARCHAR, text VARCHAR, doc_id VARCHAR, event_id VARCHAR
);
CREATE TABLE failures (input VARCHAR, reason VARCHAR, failed_at TIMESTAMP, run_id VARCHAR);
CREATE INDEX events_type_idx ON events (event_type);
CREATE INDEX events_key_idx ON events (event_type, source_key, target_key);
CREATE INDEX mentions_doc_idx ON mentions (doc_id);
CREATE INDEX articles_band0 ON articles (band0);
"""),
    # the language of the article an event was first read from ('en', 'fr'), beside the article's own
    ("0002_event_lang", """
ALTER TABLE events ADD COLUMN lang VARCHAR;
UPDATE events SET lang = coalesce(json_extract_string(record, '$.lang'), 'en');
"""),
    # a failure says where it stopped and whether the input was lost; first_seen orders what is new
    ("0003_typed_failures", """
ALTER TABLE failures ADD COLUMN stage VARCHAR DEFAULT 'read';
ALTER TABLE failures ADD COLUMN severity VARCHAR DEFAULT 'error';
UPDATE failures SET severity = 'warning', reason = substr(reason, 10) WHERE reason LIKE 'warning: %';
UPDATE failures SET severity = 'skipped', stage = 'language', reason = substr(reason, 10) WHERE reason LIKE 'skipped: %';
UPDATE failures SET stage = 'extract' WHERE reason LIKE 'extraction failed:%';
CREATE INDEX events_first_seen_idx ON events (first_seen);
"""),
    # what `eventwire watch` follows: each source's health and HTTP validators, and every item it has taken
    ("0004_sources", """
CREATE TABLE sources (
    source VARCHAR PRIMARY KEY, kind VARCHAR, added TIMESTAMP, last_checked TIMESTAMP, last_success TIMESTAMP,
    last_error VARCHAR, last_error_at TIMESTAMP, consecutive_errors INTEGER DEFAULT 0, etag VARCHAR,
    last_modified VARCHAR, items_seen INTEGER DEFAULT 0, articles_stored INTEGER DEFAULT 0,
    events_new INTEGER DEFAULT 0, failures INTEGER DEFAULT 0
);
CREATE TABLE source_items (
    source VARCHAR, item VARCHAR, article_id VARCHAR, status VARCHAR, attempts INTEGER DEFAULT 0,
    seen_at TIMESTAMP, article JSON, PRIMARY KEY (source, item)
)
"""),
    # filters kept as alerts, and each event delivered to each alert (pending until the delivery is done)
    ("0005_alerts", """
CREATE TABLE alerts (alert_id VARCHAR PRIMARY KEY, spec VARCHAR, target VARCHAR, created TIMESTAMP);
CREATE TABLE alert_deliveries (
    alert_id VARCHAR, event_id VARCHAR, status VARCHAR, delivered_at TIMESTAMP, error VARCHAR,
    PRIMARY KEY (alert_id, event_id)
)
"""),
    # what ingest looks up stays cheap as the store grows: a mention's candidate events by one indexed key (type,
    # factuality, source, date window), an event's mentions by their event_id (to count them), a near-duplicate
    # article by any of its four simhash bands (two migrations: DuckDB builds no index in the transaction that
    # updated the rows)
    ("0006_merge_key", f"""
ALTER TABLE events ADD COLUMN merge_key VARCHAR;
UPDATE events SET merge_key = {MERGE_KEY_SQL}
"""),
    ("0007_lookup_indexes", """
CREATE INDEX events_merge_idx ON events (merge_key);
CREATE INDEX mentions_event_idx ON mentions (event_id);
CREATE INDEX articles_band1 ON articles (band1);
CREATE INDEX articles_band2 ON articles (band2);
CREATE INDEX articles_band3 ON articles (band3)
"""),
]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet recorded; returns the names applied."""
    con.execute("CREATE TABLE IF NOT EXISTS migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)")
    done = {row[0] for row in con.execute("SELECT name FROM migrations").fetchall()}
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in filter(str.strip, sql.split(";")):
                con.execute(statement)
            con.execute("INSERT INTO migrations VALUES (?, now())", [name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied
