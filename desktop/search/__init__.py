"""Search: the Whoosh index, a rebuildable, version-stamped cache of the store, and the expert finder.

Depends only on ``desktop.core``; reads records through the ``RecordStore`` protocol.
"""

from desktop.search.experts import AVAILABILITY, ExpertFilters, ExpertFinder, distinct_places
from desktop.search.index import IndexNotReadyError, Readiness, SearchIndex
from desktop.search.results import Evidence, ExpertMatch, ExpertResult, Hit, IndexCheck, SearchResult
from desktop.search.schema import FACETS, SCHEMA_VERSION
from desktop.search.snippets import MARK_END, MARK_START

__all__ = [
    "AVAILABILITY",
    "FACETS",
    "MARK_END",
    "MARK_START",
    "SCHEMA_VERSION",
    "Evidence",
    "ExpertFilters",
    "ExpertFinder",
    "ExpertMatch",
    "ExpertResult",
    "Hit",
    "IndexCheck",
    "IndexNotReadyError",
    "Readiness",
    "SearchIndex",
    "SearchResult",
    "distinct_places",
]
