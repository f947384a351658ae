"""The FastAPI application: ``create_app(settings)`` wires routes, middleware and error answers."""

from __future__ import annotations

import logging
import re
from importlib.metadata import PackageNotFoundError, version

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from sync.protocol import API_PREFIX, MIN_CLIENT_PROTOCOL, PROTOCOL_VERSION, ErrorBody, Health
from sync.server import routes_auth, routes_blobs, routes_communities, routes_sync, routes_usage
from sync.server.auth import Passwords
from sync.server.blobs import BlobStore
from sync.server.config import Settings
from sync.server.db import Database
from sync.server.deps import ContextDep, ServerContext, protocol_version
from sync.server.errors import ApiError
from sync.server.middleware import BodyLimitMiddleware, ProtocolMiddleware

logger = logging.getLogger(__name__)

_HTTP_CODES = {400: "invalid", 401: "auth_required", 403: "forbidden", 404: "not_found", 413: "too_large"}


def server_version() -> str:
    """The installed Imbizo version (``0+unknown`` from a source tree that was never installed)."""
    try:
        return version("imbizo")
    except PackageNotFoundError:
        return "0+unknown"


def create_app(settings: Settings, *, migrate: bool = True) -> FastAPI:
    """The server application on ``settings``; brings the database schema up to date first by default."""
    if migrate:
        from sync.server.migrate import migrate_database

        migrate_database(settings)
    app = FastAPI(
        title="Imbizo sync server",
        version=server_version(),
        description="The central server of Imbizo; see sync/PROTOCOL.md.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.context = make_context(settings)
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(protocol_version)])
    for module in (routes_auth, routes_sync, routes_blobs, routes_communities, routes_usage):
        api.include_router(module.router)
    app.include_router(api)
    app.add_api_route("/health", health, methods=["GET"], response_model=Health, tags=["monitoring"])
    _add_error_handlers(app)
    # Outermost first: compress answers; check the handshake; then read the body within the limit.
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(ProtocolMiddleware)
    app.add_middleware(GZipMiddleware, minimum_size=1000, exclude_content_types=("application/octet-stream",))
    return app


def make_context(settings: Settings) -> ServerContext:
    """What the routes work with: the database, password hashing and the blob store of ``settings``.

    The app reads everything through its context, so a test may give one app a fresh context.
    """
    settings.ensure_dirs()
    blob_store = BlobStore(settings.blob_dir)
    blob_store.ensure()
    return ServerContext(
        settings=settings,
        db=Database(settings.database_url),
        passwords=Passwords(settings.argon2),
        blobs=blob_store,
    )


def health(context: ContextDep) -> Health:
    """For monitoring: ``ok`` when the database answers, else ``degraded``."""
    ok = context.db.ping()
    return Health(
        status="ok" if ok else "degraded",
        protocol=PROTOCOL_VERSION,
        min_client_protocol=MIN_CLIENT_PROTOCOL,
        version=server_version(),
        database="postgresql" if context.db.is_postgres else "sqlite",
    )


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=code, message=message[:500])
    return JSONResponse(status_code=status, content=body.model_dump(), headers=headers)


def _allowed_methods(request: Request) -> set[str]:
    """The methods the schema lists at this path (Starlette's 405 names only the first route's).

    A path named literally in the schema (``/blobs/uploads``) is that path only, not also
    a value of a parameter (``/blobs/{sha256}``).
    """
    paths: dict[str, dict[str, object]] = request.app.openapi()["paths"]
    path = request.url.path
    if path in paths:
        return {method.upper() for method in paths[path]}
    methods: set[str] = set()
    for template, operations in paths.items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            methods |= {method.upper() for method in operations}
    return methods


def _add_error_handlers(app: FastAPI) -> None:
    async def on_api_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiError)
        return _error(exc.status, exc.code, exc.message, exc.headers)

    async def on_validation_error(_request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return _error(422, "invalid", f"{where}: {first.get('msg', 'invalid request')}")

    async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        headers = dict(exc.headers) if exc.headers else {}
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(sorted(_allowed_methods(request)))
        return _error(exc.status_code, _HTTP_CODES.get(exc.status_code, "invalid"), str(exc.detail), headers)

    async def on_integrity_error(_request: Request, exc: Exception) -> JSONResponse:
        # Two requests raced for one unique row (a join twice at once, say): the later one may retry.
        logger.info("a concurrent change won: %s", type(exc).__name__)
        return _error(409, "conflict", "Another change got there first; try again.")

    async def on_unexpected(_request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unexpected error", exc_info=exc)
        return _error(500, "internal", "The server failed; the error is in its log.")

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(IntegrityError, on_integrity_error)
    app.add_exception_handler(Exception, on_unexpected)
