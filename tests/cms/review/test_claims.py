"""Claim fingerprints: a verification holds for the exact wording and evidence of a claim."""

from cms.review.claims import fingerprint


def statistic(**overrides):
    return {
        "figure": "41",
        "unit": "percent",
        "statement": "41% of men.",
        "population": "men",
        "sample_size": 1208,
        "year": 2019,
        "sources": [3, 1],
        **overrides,
    }


def test_equal_values_spelled_differently_fingerprint_alike():
    assert fingerprint("statistic", statistic()) == fingerprint("statistic", statistic(figure="41.00"))
    assert fingerprint("statistic", statistic()) == fingerprint("statistic", statistic(sources=[1, 3]))
    as_list_items = [{"type": "item", "value": 3, "id": "a"}, {"type": "item", "value": 1, "id": "b"}]
    assert fingerprint("statistic", statistic()) == fingerprint("statistic", statistic(sources=as_list_items))


def test_changing_text_or_sources_changes_the_fingerprint():
    original = fingerprint("statistic", statistic())
    assert fingerprint("statistic", statistic(statement="42% of men.")) != original
    assert fingerprint("statistic", statistic(figure="42")) != original
    assert fingerprint("statistic", statistic(sources=[1])) != original


def test_an_expert_quote_is_pinned_to_its_expert():
    quote = {"expert": 1, "quote": "Words.", "sources": []}
    assert fingerprint("expert_quote", quote) != fingerprint("expert_quote", {**quote, "expert": 2})
