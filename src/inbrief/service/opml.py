"""OPML in and out on the reader and the API (issue 15.2)."""

from __future__ import annotations

from fastapi import APIRouter

from inbrief.service.access import ReadAccess

router = APIRouter(include_in_schema=False, dependencies=[ReadAccess])
