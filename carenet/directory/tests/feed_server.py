"""A remote HSDS server for the tests: ``http.server`` in a thread on 127.0.0.1 (nothing leaves the machine).

``routes`` maps a path (with its query, or without to match any query) to (status, headers, body); every request
is recorded (method, path, headers, body) in ``requests``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FeedServer:
    base: str
    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)

    def serve(self, path: str, body: bytes, *, status: int = 200, content_type: str = "application/zip") -> str:
        self.routes[path] = (status, {"Content-Type": content_type}, body)
        return self.base + path

    def redirect(self, path: str, location: str) -> str:
        self.routes[path] = (302, {"Location": location}, b"")
        return self.base + path


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, body_in: bytes) -> None:
            server.requests.append(
                {"method": self.command, "path": self.path, "headers": dict(self.headers), "body": body_in}
            )
            route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
            status, headers, body = route or (404, {"Content-Type": "text/plain"}, b"not here")
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._answer(b"")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self._answer(self.rfile.read(length))

        def log_message(self, *args: Any) -> None:
            return None

    return Handler


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    holder = FeedServer(base="")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(holder))
    holder.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield holder
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
