def plain_words(query):
    """A search query as plain words. Double quotes mean nothing to Wagtail's plain-text queries but break
    SQLite's full-text syntax, so they are dropped; a query of blanks is empty."""
    return " ".join((query or "").replace('"', " ").split())
