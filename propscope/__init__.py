"""propscope: read state media like an analyst.

The data flows one way: ingest -> parse -> enrich -> store -> search / analyze -> cli, api, web.
"""

__version__ = "0.1.0"
