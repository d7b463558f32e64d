"""Named leases: a row that one process holds until it expires, taken and renewed atomically.

    lease = store.take_lease("feeds-poller", holder, seconds=60)   # None: someone else holds it
    store.take_lease("feeds-poller", holder, seconds=60)           # renew before it expires
    store.release_lease("feeds-poller", holder)

Many readers may share one database; the feed poller runs in the one holding the lease.  A
holder that dies stops renewing, and once its lease expires another process takes it over.

Taking is one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` (SQLite and PostgreSQL alike): the
row is created, or updated only when its holder is the caller or its time is up, and the
statement returns the row only when the caller got it.  Two processes racing for it are
serialised by the database (SQLite's write lock, PostgreSQL's row lock), so exactly one wins.
Times are the callers' clocks: processes on several machines need clocks in step (NTP) to
within a small part of the lease's length.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select

from inbrief.store.base import StoreBase
from inbrief.store.schema import leases


@dataclass(frozen=True)
class Lease:
    """A lease as stored: who holds it, and until when."""

    name: str
    holder: str
    expires_at: datetime


class LeaseMixin(StoreBase):
    """The :class:`~inbrief.store.Store` methods that take, renew and release leases."""

    def take_lease(
        self, name: str, holder: str, seconds: float, *, now: datetime | None = None
    ) -> Lease | None:
        """Take the lease ``name`` for ``holder`` for ``seconds``, or renew it if ``holder``
        has it already; ``None`` while another holder's lease has not expired."""
        if not seconds > 0:
            raise ValueError(f"a lease lasts a positive number of seconds, not {seconds}")
        now = now or datetime.now(UTC)
        expires = now + timedelta(seconds=seconds)
        statement = self._backend.insert(leases).values(
            name=name, holder=holder, expires_at=expires
        )
        statement = statement.on_conflict_do_update(
            index_elements=[leases.c.name],
            set_={"holder": holder, "expires_at": expires},
            where=or_(leases.c.holder == holder, leases.c.expires_at <= now),
        ).returning(leases.c.name, leases.c.holder, leases.c.expires_at)
        with self._writing() as conn:
            row = conn.execute(statement).first()
        return Lease(row.name, row.holder, row.expires_at) if row is not None else None

    def release_lease(self, name: str, holder: str) -> bool:
        """Give the lease up, so another process may take it at once; ``False`` if ``holder``
        did not hold it (it had expired and was taken)."""
        with self._writing() as conn:
            deleted = conn.execute(
                delete(leases).where(leases.c.name == name, leases.c.holder == holder)
            )
        return deleted.rowcount > 0

    def get_lease(self, name: str) -> Lease | None:
        """The lease ``name`` as stored (it may have expired), or ``None``."""
        with self._reading() as conn:
            row = conn.execute(select(leases).where(leases.c.name == name)).first()
        return Lease(row.name, row.holder, row.expires_at) if row is not None else None
