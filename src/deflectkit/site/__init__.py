"""The published site: a page generator from the data, and a thin MkDocs plugin over it.

The generator is plain library code (engine-independent): it turns providers, policies and
the event log into Markdown pages and JSON/JS assets. The MkDocs plugin only runs it.
"""
