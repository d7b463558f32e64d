"""Security headers on every response: a strict Content-Security-Policy and its companions.

Pages allow scripts, styles, images and requests from the reader itself only, and nothing
else (an article's page may show its top image from the publisher's https address too): no
inline script or style (the templates carry none), no plug-ins, no framing, no ``<base>``, forms
that post only here, and Trusted Types, so even the reader's own scripts cannot pass a string to
an HTML sink. ``/docs`` (Swagger UI) gets the same policy less
Trusted Types, which Swagger UI's rendering does not use. Every other response (JSON, scripts,
styles) gets ``default-src 'none'``: it is never meant to be a document.

A pure ASGI middleware, outermost, so that answers made before the app runs (CORS preflights,
413 from the guard, the summary fast lane) carry the headers too; the one answer made outside
it, the 500 page, gets them from :func:`secure_response`. A header the endpoint set itself
wins (``/widget.js`` is ``Cross-Origin-Resource-Policy: cross-origin``).

``Strict-Transport-Security`` is sent only on requests that arrived over HTTPS (directly, or
through a proxy uvicorn trusts with ``X-Forwarded-Proto``): on plain HTTP it would be ignored
by browsers, and sent by mistake it could lock a host out of plain HTTP for a year.
"""

from __future__ import annotations

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; "
    "require-trusted-types-for 'script'"
)
# An article's page shows the story's top image from where the publisher serves it (the
# reader never fetches or proxies it); only pictures may come from elsewhere, only over https.
ARTICLE_CSP = PAGE_CSP.replace("img-src 'self' data:;", "img-src 'self' data: https:;")
ARTICLES = "/articles/"
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
RESOURCE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
HSTS = "max-age=31536000"
COMMON: tuple[tuple[str, str], ...] = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    # Full referrer within the reader (so same-origin form posts keep their Origin), none
    # to the sites an article links to.
    ("Referrer-Policy", "same-origin"),
    (
        "Permissions-Policy",
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
        "microphone=(), payment=(), usb=()",
    ),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)


def headers_for(
    path: str, content_type: str, scheme: str, root: str = "", status: int = 200
) -> list[tuple[str, str]]:
    """The security headers of a response to ``path`` with this ``Content-Type`` and status."""
    if content_type.startswith("text/html"):
        if path == root + "/docs":
            csp = DOCS_CSP
        elif status == 200 and _is_article_page(path, root):
            csp = ARTICLE_CSP
        else:
            csp = PAGE_CSP
    else:
        csp = RESOURCE_CSP
    headers = [("Content-Security-Policy", csp), *COMMON]
    if scheme == "https":
        headers.append(("Strict-Transport-Security", HSTS))
    return headers


def _is_article_page(path: str, root: str) -> bool:
    """``/articles/<id>``: the one page that shows an article's top image."""
    prefix = root + ARTICLES
    return path.startswith(prefix) and path[len(prefix) :].isdigit()


def _encoded(headers: list[tuple[str, str]]) -> tuple[tuple[bytes, bytes], ...]:
    return tuple(
        (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers
    )


# Every response gets one of a few fixed sets: encoded once, not per request (this runs on
# the summary fast lane's answers too, thousands a second).
_ENCODED = {
    (kind, scheme): _encoded(headers_for(path, content_type, scheme))
    for kind, path, content_type in (
        ("page", "/", "text/html"),
        ("docs", "/docs", "text/html"),
        ("article", "/articles/1", "text/html"),
        ("resource", "/", ""),
    )
    for scheme in ("http", "https")
}


def _add_missing(raw: list[tuple[bytes, bytes]], scope: Scope, status: int) -> None:
    present = {name.lower() for name, _ in raw}
    content_type = next((v for n, v in raw if n.lower() == b"content-type"), b"")
    if content_type.startswith(b"text/html"):
        root = scope.get("root_path", "")
        if scope["path"] == root + "/docs":
            kind = "docs"
        elif status == 200 and _is_article_page(scope["path"], root):
            kind = "article"
        else:
            kind = "page"
    else:
        kind = "resource"
    scheme = "https" if scope.get("scheme") == "https" else "http"
    if status == 304:
        # A 304's headers replace the kept answer's: it has no Content-Type to choose a policy
        # by, and the page's own policy must stand (a resource's would break the page).
        present.add(b"content-security-policy")
    raw.extend(item for item in _ENCODED[kind, scheme] if item[0] not in present)


def secure_response(response: Response, scope: Scope) -> Response:
    """``response`` with the security headers it lacks (for answers made outside the
    middleware)."""
    _add_missing(response.raw_headers, scope, response.status_code)
    return response


class SecurityHeaders:
    """Add the security headers to every HTTP response that lacks them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                # The headers may arrive as a tuple; the app may not expect them changed.
                headers = list(message.get("headers", ()))
                _add_missing(headers, scope, message.get("status", 200))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_secured)
