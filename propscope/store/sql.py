"""The archive's methods, one concern per module, put together over an engine (engine.py: the connection and
its writing transaction) and its dialect (dialect.py: the SQL fragments a database spells its own way).
sqlite.py and postgres.py each give SQLStore their engine and dialect, and their own way of finding a page
of full-text matches fast."""

from __future__ import annotations

from propscope.store.analytics import Analytics
from propscope.store.languages import Languages
from propscope.store.leadership import Leadership
from propscope.store.listings import Listings
from propscope.store.reads import Reads
from propscope.store.saved import SavedSearches
from propscope.store.search import Search
from propscope.store.writes import Writes


class SQLStore(Writes, Listings, Reads, Search, Analytics, Leadership, Languages, SavedSearches):
    """Every write goes through the engine's one writing transaction (`_writing`): one writer at a time."""
