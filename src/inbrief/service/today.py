"""Today in brief: the day's articles grouped into stories (issue 15.5)."""

from __future__ import annotations

from fastapi import APIRouter

from inbrief.service.access import ReadAccess

router = APIRouter(include_in_schema=False, dependencies=[ReadAccess])
