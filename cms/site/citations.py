"""Numbered citations: the Sources list at the end of a page, and the number each claim cites.

Sources are numbered in the order they are first cited. Unpublished sources, and the quotes of
unpublished experts, are left out, so a draft never shows on the public site.
"""

from dataclasses import dataclass, field

# Which blocks cite sources, and where in their value the sources are.
CITING_BLOCKS = {
    "statistic": "sources",
    "claim": "sources",
    "expert_quote": "sources",
    "quote": "source",
}


def cited_sources(block):
    """The sources a body block cites, in order (empty for blocks that cite nothing)."""
    key = CITING_BLOCKS.get(block.block_type)
    if key is None:
        return []
    if block.block_type == "expert_quote" and not is_live(block.value.get("expert")):
        return []
    value = block.value.get(key)
    sources = value if key == "sources" else [value]
    return [source for source in sources or [] if is_live(source)]


def is_live(obj):
    return obj is not None and getattr(obj, "live", True)


@dataclass
class Citations:
    sources: list = field(default_factory=list)
    numbers: dict = field(default_factory=dict)

    @classmethod
    def from_stream(cls, stream):
        citations = cls()
        for block in stream:
            for source in cited_sources(block):
                citations.add(source)
        return citations

    def add(self, source):
        if source.pk not in self.numbers:
            self.sources.append(source)
            self.numbers[source.pk] = len(self.sources)

    def number_of(self, source):
        return self.numbers.get(getattr(source, "pk", None))

    def numbered(self):
        return [(self.numbers[source.pk], source) for source in self.sources]

    def __bool__(self):
        return bool(self.sources)
