"""Errors the services raise; the app turns each into an HTTP status and an ``ErrorBody``."""

from __future__ import annotations

from collections.abc import Mapping

from sync.protocol import ErrorBody


class ApiError(Exception):
    """An error answer: HTTP status, a stable code (PROTOCOL.md) and a message for a person."""

    def __init__(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})

    def body(self) -> ErrorBody:
        """The error as the wire model."""
        return ErrorBody(error=self.code, message=self.message[:500])


def not_found(what: str = "Not found.") -> ApiError:
    """404: the object does not exist, or the caller may not know that it does."""
    return ApiError(404, "not_found", what)


def forbidden(message: str) -> ApiError:
    """403: the caller may read the object but not do this."""
    return ApiError(403, "forbidden", message)


def invalid(message: str, status: int = 422) -> ApiError:
    """422 (or 400): the request is malformed."""
    return ApiError(status, "invalid", message)


def too_large(message: str) -> ApiError:
    """413: more bytes than the server accepts."""
    return ApiError(413, "too_large", message)
