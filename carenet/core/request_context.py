"""Who is asking and from where, for the audit log, without threading the request everywhere."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    ip: str | None = None
    user_agent: str = ""
    path: str = ""
    request_id: str = ""  # X-Request-ID: in every log line of the request and on its response


_NO_REQUEST = RequestMeta()  # frozen, so a safe shared default
_current: ContextVar[RequestMeta] = ContextVar("carenet_request_meta", default=_NO_REQUEST)


def current_request_meta() -> RequestMeta:
    return _current.get()


def set_request_meta(meta: RequestMeta):
    return _current.set(meta)


def reset_request_meta(token) -> None:
    _current.reset(token)
