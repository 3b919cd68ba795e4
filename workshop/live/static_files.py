"""The page's files and the headers every answer carries.

The server serves its page assets and nothing else from disk: a fixed table of
routes, read once at start. Every answer, an error included, carries a strict
Content-Security-Policy and names no versions (they only help someone looking
for a known hole).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from workshop.live.page_style import diagram_css
from workshop.resources import assets_dir

PAGE_FILES = {
    "/": ("index.html", "text/html"),
    "/participant.css": ("participant.css", "text/css"),
    "/participant.js": ("participant.js", "text/javascript"),
}
"""The page's files, served as they are from ``assets/participant``; ``/diagram.css`` is generated (below)."""

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


class PageFiles:
    """The participant page's files, read once, and the headers middleware."""

    def __init__(self, page_dir: Path | None = None) -> None:
        folder = page_dir or assets_dir() / "participant"
        self._pages = {route: ((folder / name).read_bytes(), kind) for route, (name, kind) in PAGE_FILES.items()}
        # the diagram's colours and widths come from the style table the canvas and the exports read
        self._pages["/diagram.css"] = (diagram_css().encode("utf-8"), "text/css")

    def add_routes(self, app: web.Application) -> None:
        for route in self._pages:
            app.router.add_get(route, self._page)
        app.on_response_prepare.append(self._name_server)

    async def _page(self, request: web.Request) -> web.Response:
        body, kind = self._pages[request.path]
        return web.Response(body=body, content_type=kind, charset="utf-8")

    @staticmethod
    async def _name_server(_request: web.Request, response: web.StreamResponse) -> None:
        """No versions in the Server header: they only help someone looking for a known hole."""
        response.headers["Server"] = "Process Workshop"

    @staticmethod
    @web.middleware
    async def headers(request: web.Request, handler: Callable[[web.Request], Any]) -> web.StreamResponse:
        """The security headers on every answer, errors included."""
        try:
            response: web.StreamResponse = await handler(request)
        except web.HTTPException as error:
            error.headers.update(SECURITY_HEADERS)
            raise
        if not response.prepared:
            response.headers.update(SECURITY_HEADERS)
        return response
