"""Caching that follows publishing: the application's page cache, the edge's purges and their retries, Redis."""
