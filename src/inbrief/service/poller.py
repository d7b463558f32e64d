"""The reader's background poller: each subscribed feed polled when it is due, by one process.

    poller = Poller(store, Schedule(interval=900))
    poller.start()      # the app's lifespan does this when Settings.poll is on
    poller.stop()

Two threads, so that polling never runs on the event loop (page answers are not kept waiting
behind a slow feed):

* the **lease keeper** takes the database lease :data:`LEASE` and renews it every third of its
  length (:mod:`inbrief.store.lease`).  Of the readers sharing a database only the holder
  polls; when it dies its lease runs out and another reader takes over.
* the **poller** waits until the earliest feed is due (or :data:`MAX_PAUSE`, so new feeds and a
  lease newly won are noticed), then, while holding the lease, polls each due feed in turn.  A
  feed is first *claimed* (:meth:`~inbrief.store.Store.claim_feed`), so even a holder that lost
  its lease mid-round, stalled, never polls a due time another process polled.

Each poll records its own outcome and next due time (:func:`inbrief.feeds.poll_feed`); a failure
to reach the database is logged and the round tried again later.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import UTC, datetime, timedelta

from inbrief.errors import InbriefError
from inbrief.feeds import Fetcher, poll_feed
from inbrief.feeds.schedule import Schedule
from inbrief.store import Store

LEASE = "feeds-poller"
"""The lease's name in the database."""
MAX_PAUSE = 5.0
"""The poller looks for due feeds at least this often (seconds): a feed just added is due."""

LOGGER = logging.getLogger("inbrief.poller")


def holder_name() -> str:
    """Who holds the lease, as shown in the database: host, process and a random part (one
    process may run several apps, as tests do)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Poller:
    """Polls ``store``'s feeds by ``schedule`` in background threads while it holds the lease.

    ``lease_seconds`` is how long a dead holder keeps others from polling; ``fetcher``
    replaces the web fetcher (tests).  :meth:`start` and :meth:`stop` are each called once.
    """

    def __init__(
        self,
        store: Store,
        schedule: Schedule,
        *,
        lease_seconds: float = 60.0,
        fetcher: Fetcher | None = None,
        holder: str | None = None,
    ) -> None:
        self.store = store
        self.schedule = schedule
        self.lease_seconds = lease_seconds
        self.fetcher = fetcher
        self.holder = holder or holder_name()
        self._stopping = threading.Event()
        self._holding = threading.Event()
        self._wake = threading.Event()
        self._pause = min(MAX_PAUSE, schedule.interval, lease_seconds / 3)
        self._threads = (
            threading.Thread(target=self._keep_lease, name="inbrief-lease", daemon=True),
            threading.Thread(target=self._poll_loop, name="inbrief-poller", daemon=True),
        )

    @property
    def holding(self) -> bool:
        """Whether this poller holds the lease (and so is the one polling)."""
        return self._holding.is_set()

    def start(self) -> None:
        """Start both threads; they run until :meth:`stop`."""
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop polling; give the lease up when no poll is still under way, so another reader
        may take over at once (else it expires, and the feed being polled stays claimed)."""
        self._stopping.set()
        self._wake.set()
        keeper, poller = self._threads
        poller.join(timeout)
        keeper.join(timeout)
        if not poller.is_alive() and self._holding.is_set():
            try:
                self.store.release_lease(LEASE, self.holder)
            except InbriefError as error:
                LOGGER.warning("could not release the poller's lease: %s", error)
        self._holding.clear()

    def _keep_lease(self) -> None:
        renew_every = self.lease_seconds / 3
        while not self._stopping.is_set():
            try:
                taken = self.store.take_lease(LEASE, self.holder, self.lease_seconds)
            except InbriefError as error:
                LOGGER.warning("could not take the poller's lease: %s", error)
                taken = None
            if taken is not None and not self._holding.is_set():
                self._holding.set()
                self._wake.set()
            elif taken is None:
                self._holding.clear()
            self._stopping.wait(renew_every)

    def _poll_loop(self) -> None:
        while not self._stopping.is_set():
            pause = None
            if self._holding.is_set():
                try:
                    self._poll_due()
                except InbriefError as error:  # the database: try again after a pause
                    LOGGER.warning("polling feeds failed: %s", error)
                    pause = self._pause
                except Exception:  # a bug must not end polling for the life of the server
                    LOGGER.exception("polling feeds failed")
                    pause = self._pause
            self._wake.wait(self._seconds_to_next() if pause is None else pause)
            self._wake.clear()

    def _poll_due(self) -> None:
        now = datetime.now(UTC)
        claim_until = now + timedelta(seconds=self.lease_seconds)
        for feed in self.store.due_feeds(now):
            if self._stopping.is_set() or not self._holding.is_set():
                return
            claimed = self.store.claim_feed(feed.id, now, claim_until)
            if claimed is not None:
                poll_feed(self.store, claimed, fetcher=self.fetcher, schedule=self.schedule)

    def _seconds_to_next(self) -> float:
        if not self._holding.is_set():
            return self._pause
        try:
            due = self.store.next_poll_due()
        except InbriefError:
            return self._pause
        if due is None:
            return self._pause
        return min(max((due - datetime.now(UTC)).total_seconds(), 0.0), self._pause)
