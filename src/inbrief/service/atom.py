"""Summarized feeds out, as Atom: the latest articles, one feed's, a search's (issue 15.3)."""

from __future__ import annotations

from fastapi import APIRouter

from inbrief.service.access import ReadAccess

router = APIRouter(include_in_schema=False, dependencies=[ReadAccess])
