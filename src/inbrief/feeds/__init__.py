"""RSS and Atom feeds: poll a subscribed feed and store each new entry's article.

    feed, _ = store.add_feed("https://example.org/news/feed.xml")
    result = poll_feed(store, feed)
    result.added, result.duplicates, result.entry_errors, result.error, result.failed
    poll_all(store)        # every feed; one feed's failure never stops the others

One poll:

1. **Fetch** the feed through inbrief's safe fetcher (limits, redirects, the destination
   guard), as a conditional GET: the ETag and Last-Modified stored from the previous poll go
   out as ``If-None-Match`` / ``If-Modified-Since``, and ``304 Not Modified`` ends the poll
   with nothing new.
2. **Parse** the bytes with feedparser, which never fetches anything itself here (it is handed
   a stream, never a URL or a string it could take for a path).  Relative entry links resolve
   against the feed's URL.  A malformed feed (feedparser's *bozo*) is used for whatever entries
   it yields; with no entries it is an error.  A document that is no feed at all (an HTML page)
   is an error naming the feed the page links to, when it links to one.
3. For each entry not seen before (its link or guid is already stored for this feed), **fetch
   and extract** the linked page; when the link is empty or the page fails, fall back to the
   feed's own text (``content:encoded``, Atom ``content``, else the summary).  The article is
   stored through :func:`inbrief.ingest.add_article` (which also skips the same story arriving
   from elsewhere, by URL or by text, and caches the default summaries).  One bad entry never
   stops the others: it is reported in :attr:`PollResult.entry_errors`, with the page's
   failure (``HTTP 404 Not Found from ...``) when the feed's text is no article either.
4. **Record** the outcome on the feed: its title (when it has none), the new validators (only
   when every entry was stored), the poll time, and ``last_error`` when the feed or any entry
   failed ("3 of 3 entries failed (first: ...)"); a good poll clears it.

Each step has its module: :mod:`~inbrief.feeds.fetcher` (1), :mod:`~inbrief.feeds.parse` (2),
:mod:`~inbrief.feeds.poll` (3 and 4).
"""

from inbrief.errors import FeedError
from inbrief.feeds.fetcher import FEED_LIMITS, FeedResponse, Fetcher, WebFetcher, fetch_feed
from inbrief.feeds.parse import (
    FEED_CONTENT_TYPES,
    MAX_ENTRIES_PER_POLL,
    FeedEntry,
    ParsedFeed,
    parse_feed,
)
from inbrief.feeds.poll import EntryError, PollResult, poll_all, poll_feed

__all__ = [
    "FEED_CONTENT_TYPES",
    "FEED_LIMITS",
    "MAX_ENTRIES_PER_POLL",
    "EntryError",
    "FeedEntry",
    "FeedError",
    "FeedResponse",
    "Fetcher",
    "ParsedFeed",
    "PollResult",
    "WebFetcher",
    "fetch_feed",
    "parse_feed",
    "poll_all",
    "poll_feed",
]
