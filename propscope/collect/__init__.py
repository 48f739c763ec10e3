"""Live collection: fetch a source's listing (index pages, a feed, a sitemap) and its articles, politely, and
ingest them as that listing's current contents so that revisits feed versions and deletions.

    from propscope.collect import collect, resolve_profile
    result = collect("kcna.sqlite", resolve_profile("kcna.kp"))

The flow inside: profiles (what a source looks like) -> fetch (one polite, guarded HTTP client) -> listings
(article links out of index pages, feeds, sitemaps) -> extract (article fields out of a page) -> run (state,
records, Archive.ingest). `state` remembers validators and records between runs, beside the archive.
"""

from __future__ import annotations

from propscope.collect.profiles import PROFILES, Profile, resolve_profile
from propscope.collect.run import CollectResult, collect
from propscope.collect.schedule import collect_forever
from propscope.errors import AddressRefused, CollectError, FetchError, ProfileError

__all__ = [
    "PROFILES",
    "AddressRefused",
    "CollectError",
    "CollectResult",
    "FetchError",
    "Profile",
    "ProfileError",
    "collect",
    "collect_forever",
    "resolve_profile",
]
