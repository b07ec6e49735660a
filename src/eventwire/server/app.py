"""The web service: a read-only JSON API over the store, and the page that draws it.

Parameters always travel to DuckDB as bound values, never as SQL text. Validation errors and unknown
ids answer 4xx with a message; nothing a client sends should produce a 500.
"""

from __future__ import annotations

import hmac
import os
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Body, FastAPI, Header, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from ..errors import EventwireError
from ..model import EVENT_TYPES, Article, Event, Failure
from ..store import Store
from ..store.query import EventFilter, QueryError, country_code

TOKEN_ENV = "EVENTWIRE_TOKEN"
MAX_LIMIT = 500
STATIC = Path(str(resources.files("eventwire.server").joinpath("static")))

TypeParam = Annotated[str | None, Query(description=f"PLOVER type(s), comma-separated: {', '.join(EVENT_TYPES)}",
                                        max_length=200)]
CountryParam = Annotated[str | None, Query(description="ISO-3 code as source, target or place", max_length=12,
                                           pattern=r"^[A-Za-z]{2,6}$")]


def create_app(db: str | Path | None = None, *, allow_ingest: bool = False, store: Store | None = None) -> FastAPI:
    """The FastAPI app over the store at ``db`` (read-only unless ``allow_ingest``), or over ``store`` when the
    process already holds one open for writing (``serve --watch``: the watcher writes, the page reads)."""
    store = store or Store(db, read_only=not allow_ingest)
    app = FastAPI(title="eventwire", version=_version(),
                  description="News events coded in PLOVER and CAMEO, each with the sentence it was read from.")
    app.state.store = store

    def query_events(flt: EventFilter, limit: int, offset: int) -> tuple[list[Event], int]:
        try:
            return store.page(flt, limit, offset)
        except QueryError as exc:
            raise HTTPException(400, str(exc)) from None

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
        detail = store.event_detail(event_id) if len(event_id) <= 64 else None
        if detail is None:
            raise HTTPException(404, f"no event with id '{event_id[:64]}'")
        return detail

    @app.get("/api/stats", summary="What the store holds")
    def stats() -> dict[str, Any]:
        return store.stats()

    @app.get("/api/timeline", summary="Event counts over time by QuadClass (cooperation vs conflict)")
    def timeline(
        interval: Literal["day", "week", "month", "year"] = "month",
        type: TypeParam = None,
        country: CountryParam = None,
        actor: Annotated[str | None, Query(max_length=100)] = None,
        since: date | None = None,
        until: date | None = None,
    ) -> dict[str, Any]:
        flt = EventFilter(type=type, country=country, actor=actor, since=since, until=until)
        try:
            return {"interval": interval, "buckets": store.timeline(flt, interval)}
        except QueryError as exc:
            raise HTTPException(400, str(exc)) from None

    @app.get("/api/situation/{country}", summary="Foreign military presence and partner timelines")
    def situation(country: str) -> dict[str, Any]:
        try:
            code = country_code(country[:60])
        except QueryError as exc:
            raise HTTPException(400, str(exc)) from None
        return store.situation(code)

    @app.get("/api/updates", summary="Events stored since the cursor of the previous answer (the page follows these)")
    def updates(
        after: Annotated[str | None, Query(max_length=80, pattern=r"^[0-9T:.\- ]+\|[0-9a-f]*$")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 200,
    ) -> dict[str, Any]:
        try:
            events, cursor = store.new_events(after, limit)
        except EventwireError as exc:
            raise HTTPException(400, str(exc)) from None
        return {"events": events, "cursor": cursor}

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
        return _ingest(store, payload)

    @app.exception_handler(EventwireError)
    async def eventwire_error(_request, exc: EventwireError):
        from fastapi.responses import JSONResponse

        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _ingest(store: Store, payload: dict[str, Any]) -> dict[str, Any]:
    from ..ingest import ingest
    from ..reader import article_from_record

    items = payload.get("articles")
    if not isinstance(items, list) or not items or len(items) > 1000:
        raise HTTPException(422, "body must be {\"articles\": [...]} with 1 to 1000 articles")
    sources: list[Article | Failure] = []
    for i, item in enumerate(items):
        try:
            sources.append(article_from_record(item, f"articles[{i}]", None))
        except EventwireError as exc:
            sources.append(Failure(f"articles[{i}]", str(exc)))
    report = ingest(sources, store, label=["POST /api/ingest"])
    return report.to_dict()


def _version() -> str:
    from .. import __version__

    return __version__
