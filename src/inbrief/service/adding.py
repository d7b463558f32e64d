"""Add an article from the reader (by URL or pasted text or HTML), and the bookmarklet (15.4)."""

from __future__ import annotations

from fastapi import APIRouter

from inbrief.service.access import ReadAccess

router = APIRouter(include_in_schema=False, dependencies=[ReadAccess])
