"""The web service: a read-only JSON API over the store, and the page that draws it.

Parameters always travel to DuckDB as bound values, never as SQL text. Validation errors and unknown
ids answer 4xx with a message; nothing a client sends should produce a 500.
"""

from __future__ import annotations

import hmac
import json
import os
import threading
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Body, FastAPI, Header, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from ..errors import EventwireError
from ..model import EVENT_TYPES, Event
from ..store import Store
from ..store.query import EventFilter, QueryError

TOKEN_ENV = "EVENTWIRE_TOKEN"
MAX_LIMIT = 500
STATIC = Path(str(resources.files("eventwire.server").joinpath("static")))

TypeParam = Annotated[str | None, Query(description=f"PLOVER type(s), comma-separated: {', '.join(EVENT_TYPES)}",
                                        max_length=200)]
CountryParam = Annotated[str | None, Query(description="ISO-3 code as source, target or place", max_length=12,
                                           pattern=r"^[A-Za-z]{2,6}$")]


def create_app(db: str | Path | None = None, *, allow_ingest: bool = False) -> FastAPI:
    """The FastAPI app over the store at ``db`` (read-only unless ``allow_ingest``)."""
    store = Store(db, read_only=not allow_ingest)
    lock = threading.Lock()
    app = FastAPI(title="eventwire", version=_version(),
                  description="News events coded in PLOVER and CAMEO, each with the sentence it was read from.")
    app.state.store = store

    def cursor():
        return store.con.cursor()

    def query_events(flt: EventFilter, limit: int, offset: int) -> tuple[list[Event], int]:
        try:
            where, params = flt.sql()
        except QueryError as exc:
            raise HTTPException(400, str(exc)) from None
        with lock:
            con = cursor()
            total = con.execute(f"SELECT count(*) FROM events WHERE {where}", params).fetchone()[0]
            rows = con.execute(f"SELECT record FROM events WHERE {where} ORDER BY day DESC NULLS LAST, event_id "
                               "LIMIT ? OFFSET ?", [*params, limit, offset]).fetchall()
        return [Event.from_dict(json.loads(r[0])) for r in rows], total

    @app.get("/api/events", summary="Events matching the filters, newest first")
    def list_events(
        type: TypeParam = None,
        country: CountryParam = None,
        actor: Annotated[str | None, Query(max_length=100)] = None,
        since: date | None = None,
        until: date | None = None,
        near: Annotated[str | None, Query(max_length=100, description="place name or 'lat,lon'")] = None,
        km: Annotated[float, Query(gt=0, le=20000)] = 50.0,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
        offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    ) -> dict[str, Any]:
        flt = EventFilter(type=type, actor=actor, country=country, since=since, until=until, near=near, km=km)
        events, total = query_events(flt, limit, offset)
        return {"events": [e.to_dict() for e in events], "total": total}

    @app.get("/api/events/{event_id}", summary="One event with every mention and its evidence")
    def get_event(event_id: str) -> dict[str, Any]:
        if len(event_id) > 64:
            raise HTTPException(404, "no event with that id")
        with lock:
            row = cursor().execute("SELECT record, n_mentions, n_articles, n_outlets FROM events WHERE event_id = ?",
                                   [event_id]).fetchone()
            if row is None:
                raise HTTPException(404, f"no event with id '{event_id}'")
            mentions = cursor().execute(
                "SELECT m.record, a.title, a.url, a.outlet, a.published FROM mentions m "
                "LEFT JOIN articles a ON a.id = m.doc_id WHERE m.event_id = ? ORDER BY m.mention_id",
                [event_id]).fetchall()
        event = json.loads(row[0])
        event.update(n_mentions=row[1], n_articles=row[2], n_outlets=row[3])
        return {"event": event, "mentions": [
            {**json.loads(m[0]), "article": {"title": m[1], "url": m[2], "outlet": m[3],
                                             "published": m[4].isoformat() if m[4] else None}}
            for m in mentions]}

    @app.get("/api/stats", summary="What the store holds")
    def stats() -> dict[str, Any]:
        with lock:
            return store.stats()

    @app.get("/api/timeline", summary="Event counts over time by QuadClass (cooperation vs conflict)")
    def timeline(
        interval: Literal["day", "week", "month"] = "month",
        type: TypeParam = None,
        country: CountryParam = None,
        since: date | None = None,
        until: date | None = None,
    ) -> dict[str, Any]:
        flt = EventFilter(type=type, country=country, since=since, until=until)
        try:
            where, params = flt.sql()
        except QueryError as exc:
            raise HTTPException(400, str(exc)) from None
        with lock:
            rows = cursor().execute(
                f"SELECT date_trunc('{interval}', day) AS period, quad_class, count(*) FROM events "
                f"WHERE day IS NOT NULL AND {where} GROUP BY 1, 2 ORDER BY 1", params).fetchall()
        buckets: dict[str, dict[str, Any]] = {}
        for period, quad, n in rows:
            key = period.isoformat()[:10]
            b = buckets.setdefault(key, {"period": key, "quad_class": {"1": 0, "2": 0, "3": 0, "4": 0},
                                         "cooperation": 0, "conflict": 0})
            b["quad_class"][str(quad)] += n
            b["cooperation" if quad in (1, 2) else "conflict"] += n
        return {"interval": interval, "buckets": list(buckets.values())}

    @app.get("/api/situation/{country}", summary="Foreign military presence and partner timelines")
    def situation(country: str) -> dict[str, Any]:
        from ..situation import build_situation

        code = country.strip().upper()
        if not (len(code) == 3 and code.isalpha()):
            raise HTTPException(400, "country must be an ISO-3 code such as NER")
        with lock:
            return build_situation(store, code)

    @app.post("/api/ingest", summary="Add articles (only with --allow-ingest and a bearer token)",
              include_in_schema=allow_ingest)
    def ingest(
        payload: Annotated[dict[str, Any], Body(examples=[{"articles": [{"id": "a1", "text": "...",
                                                                        "published": "2024-05-03"}]}])],
        authorization: Annotated[str | None, Header()] = None,
    ) -> dict[str, Any]:
        if not allow_ingest:
            raise HTTPException(404, "ingest is not enabled on this server (start it with --allow-ingest)")
        token = os.environ.get(TOKEN_ENV, "")
        given = (authorization or "").removeprefix("Bearer ").strip()
        if not token or not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})
        return _ingest(store, lock, payload)

    @app.exception_handler(EventwireError)
    async def eventwire_error(_request, exc: EventwireError):
        from fastapi.responses import JSONResponse

        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _ingest(store: Store, lock: threading.Lock, payload: dict[str, Any]) -> dict[str, Any]:
    from ..ingest import Failure, _record
    from ..pipeline import extract_articles

    items = payload.get("articles")
    if not isinstance(items, list) or not items or len(items) > 1000:
        raise HTTPException(422, "body must be {\"articles\": [...]} with 1 to 1000 articles")
    articles, failures = [], []
    for i, item in enumerate(items):
        try:
            articles.append(_record(item, f"articles[{i}]", None))
        except EventwireError as exc:
            failures.append(Failure(f"articles[{i}]", str(exc)))
    added = events_new = 0
    for article, result in extract_articles(articles):
        with lock:
            if isinstance(result, str):
                store.add_failure(article.id, result)
                failures.append(Failure(article.id, result))
                continue
            res = store.add_article(article, result)
            added += res.added
            events_new += res.events_new
    with lock:
        for f in failures:
            store.add_failure(f.input, f.reason)
    return {"stored": added, "new_events": events_new, "failures": [f.__dict__ for f in failures]}


def _version() -> str:
    from .. import __version__

    return __version__
