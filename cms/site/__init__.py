"""The public site's shared pieces: its one address, its sections, page meta and JSON-LD, citations, sitemaps,
search and listings."""
