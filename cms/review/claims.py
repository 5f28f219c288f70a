"""Medical claims: the `statistic`, `claim` and `expert_quote` blocks of a page's body.

A claim is identified by its StreamField block id and fingerprinted by its text, its expert and its
sources, so a verification holds for that exact wording and evidence: editing a verified claim
changes its fingerprint and reopens it, while untouched claims keep their verification.
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from cms.blocks import format_number

CLAIM_BLOCK_TYPES = ("statistic", "claim", "expert_quote")

# The parts of each claim block that a verification vouches for.
CLAIM_TEXT_FIELDS = {
    "statistic": ("figure", "unit", "statement", "population", "sample_size", "year"),
    "claim": ("statement",),
    "expert_quote": ("quote",),
}


@dataclass(frozen=True)
class Claim:
    block_id: str
    block_type: str
    text: str
    expert_id: int | None
    source_ids: tuple
    fingerprint: str
    figures: str  # a statistic's numbers as readers see them: "41% · 1,208 men · 2019"; else ""
    stream: object = field(compare=False, repr=False)
    index: int = field(compare=False, repr=False)

    @property
    def label(self):
        return {"statistic": "Statistic", "claim": "Claim", "expert_quote": "Expert quote"}[self.block_type]

    @property
    def value(self):
        """The block's resolved value (expert and sources as objects), for display. Read on demand, so
        whoever needs only fingerprints never queries; the stream resolves each block type in bulk."""
        return self.stream[self.index].value


def canonical(value):
    """One spelling per value, so "41", 41 and "41.00" fingerprint alike."""
    if value is None or value == "":
        return None
    try:
        return str(Decimal(str(value)).normalize())
    except InvalidOperation:
        return " ".join(str(value).split())


def canonical_data(data):
    """`canonical` applied through nested lists and dicts, such as a StreamField's raw data."""
    if isinstance(data, dict):
        return {key: canonical_data(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [canonical_data(value) for value in data]
    return canonical(data)


def source_ids(raw_value):
    """Source ids from a claim's raw value; ListBlock stores items as bare ids or as {"value": id} dicts."""
    items = raw_value.get("sources") or []
    ids = [item.get("value") if isinstance(item, dict) else item for item in items]
    return [source_id for source_id in ids if source_id is not None]


def fingerprint(block_type, raw_value):
    """A stable digest of what a reviewer verifies: the claim's text fields, expert and sources."""
    evidence = {
        "type": block_type,
        "fields": {name: canonical(raw_value.get(name)) for name in CLAIM_TEXT_FIELDS[block_type]},
        "expert": raw_value.get("expert"),
        "sources": sorted(source_ids(raw_value)),
    }
    return hashlib.sha256(json.dumps(evidence, sort_keys=True).encode()).hexdigest()


def claim_text(block_type, raw_value):
    return raw_value.get("quote") if block_type == "expert_quote" else raw_value.get("statement")


def statistic_figures(raw_value):
    """The numbers of a statistic beside its sentence, so a reviewer sees them (and any change to them)."""
    parts = []
    figure, sample_size = raw_value.get("figure"), raw_value.get("sample_size")
    if canonical(figure) is not None:
        try:
            parts.append(format_number(figure) + ("%" if raw_value.get("unit") == "percent" else ""))
        except InvalidOperation:
            parts.append(str(figure))
    if canonical(sample_size) is not None:
        population = raw_value.get("population") or ""
        parts.append(f"sample of {format_number(sample_size)} {population}".strip())
    if canonical(raw_value.get("year")) is not None:
        parts.append(str(raw_value["year"]))
    return " · ".join(parts)


def claims_in(stream):
    """Every claim of a StreamValue, in page order, read from its raw data."""
    claims = []
    for index, raw in enumerate(stream.raw_data):
        block_type = raw["type"]
        if block_type not in CLAIM_BLOCK_TYPES:
            continue
        value = raw["value"]
        claims.append(
            Claim(
                block_id=raw.get("id"),
                block_type=block_type,
                text=claim_text(block_type, value) or "",
                expert_id=value.get("expert"),
                source_ids=tuple(source_ids(value)),
                fingerprint=fingerprint(block_type, value),
                figures=statistic_figures(value) if block_type == "statistic" else "",
                stream=stream,
                index=index,
            )
        )
    return claims
