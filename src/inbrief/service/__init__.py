"""The web reader: pages, REST API and publisher widget over a :class:`~inbrief.store.Store`.

``serve("127.0.0.1", 8000, None)`` is ``inbrief serve``; ``create_app(store, settings)`` is the
ASGI app for another server or a test.
"""

from __future__ import annotations

from inbrief.service.app import create_app
from inbrief.service.server import serve
from inbrief.service.settings import Settings

__all__ = ["Settings", "create_app", "serve"]
