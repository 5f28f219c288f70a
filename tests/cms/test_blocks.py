"""Validation of the editorial blocks and of the models editors fill in: bad input gets a per-field error."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.blocks import StructBlockValidationError

from cms.blocks import ClaimBlock, ExpertQuoteBlock, QuoteBlock, StatisticBlock
from cms.models import Source

from .. import factories

THIS_YEAR = timezone.now().year


def clean(block, raw):
    """Validate raw StreamField data the way the admin form does: to_python, then clean."""
    return block.clean(block.to_python(raw))


def block_errors(block, raw):
    """The per-field messages of a value the block refuses."""
    with pytest.raises(StructBlockValidationError) as caught:
        clean(block, raw)
    return {name: error.messages for name, error in caught.value.block_errors.items()}


@pytest.fixture
def source(db):
    return factories.make_source()


@pytest.fixture
def expert(db):
    return factories.make_expert(photo=False)


def statistic_value(source, **overrides):
    return {**factories.statistic([source] if source else [])["value"], **overrides}


class TestStatisticBlock:
    def test_accepts_a_sourced_statistic(self, source):
        value = clean(StatisticBlock(), statistic_value(source))
        assert value["figure"] == Decimal("41")
        assert [s.pk for s in value["sources"]] == [source.pk]

    def test_needs_a_source(self, db):
        errors = block_errors(StatisticBlock(), statistic_value(None))
        assert errors == {"sources": ["A statistic needs at least one source."]}

    def test_a_deleted_source_is_flagged_on_its_item(self, db):
        with pytest.raises(StructBlockValidationError) as caught:
            clean(StatisticBlock(), {**statistic_value(None), "sources": [987654]})
        item_errors = caught.value.block_errors["sources"].block_errors
        assert {index: error.messages for index, error in item_errors.items()} == {0: ["This field is required."]}

    def test_a_draft_may_wait_for_its_source(self, db):
        """Saving a draft defers what is required, as Wagtail does for required fields; the range
        checks still hold."""
        block = StatisticBlock()
        assert list(block.clean_deferred(block.to_python(statistic_value(None)))["sources"]) == []
        with pytest.raises(StructBlockValidationError) as caught:
            block.clean_deferred(block.to_python(statistic_value(None, figure="101")))
        assert list(caught.value.block_errors) == ["figure"]

    def test_the_admin_forms_strings_are_cleaned_before_the_checks(self, source):
        """The admin form hands clean() the strings it read from the request."""
        block = StatisticBlock()
        data = {
            "stat-figure": "1000",
            "stat-unit": "count",
            "stat-statement": "1,000 people.",
            "stat-population": "",
            "stat-sample_size": "1208",
            "stat-year": "",
            "stat-sources-count": "1",
            "stat-sources-0-value": str(source.pk),
            "stat-sources-0-deleted": "",
            "stat-sources-0-order": "0",
            "stat-sources-0-id": "a",
        }
        value = block.clean(block.value_from_datadict(data, {}, "stat"))
        assert (value["figure"], value["sample_size"], value["year"]) == (Decimal("1000"), 1208, None)
        assert (value.figure_display, value.sample_size_display) == ("1,000", "1,208")
        data.update({"stat-unit": "percent", "stat-year": str(THIS_YEAR + 1), "stat-sample_size": "many"})
        with pytest.raises(StructBlockValidationError) as caught:
            block.clean(block.value_from_datadict(data, {}, "stat"))
        assert set(caught.value.block_errors) == {"figure", "year", "sample_size"}

    @pytest.mark.parametrize("figure", ["101", "-1", "100.01"])
    def test_a_percentage_outside_0_to_100_is_refused(self, source, figure):
        errors = block_errors(StatisticBlock(), statistic_value(source, figure=figure))
        assert errors == {"figure": ["A percentage lies between 0 and 100."]}

    @pytest.mark.parametrize("figure", ["0", "100", "41.5", "91.9"])
    def test_a_percentage_within_0_to_100_is_accepted(self, source, figure):
        value = clean(StatisticBlock(), statistic_value(source, figure=figure))
        assert value["figure"] == Decimal(figure)

    def test_a_count_may_exceed_100(self, source):
        value = clean(StatisticBlock(), statistic_value(source, unit="count", figure="1208"))
        assert value["figure"] == Decimal("1208")

    def test_a_study_year_in_the_future_is_refused(self, source):
        errors = block_errors(StatisticBlock(), statistic_value(source, year=THIS_YEAR + 1))
        assert errors == {"year": ["A study's year cannot be in the future."]}

    def test_this_years_study_is_accepted(self, source):
        assert clean(StatisticBlock(), statistic_value(source, year=THIS_YEAR))["year"] == THIS_YEAR

    def test_the_year_is_optional(self, source):
        assert clean(StatisticBlock(), statistic_value(source, year=None))["year"] is None

    def test_reports_every_bad_field_at_once(self, db):
        errors = block_errors(StatisticBlock(), statistic_value(None, figure="150", year=THIS_YEAR + 5))
        assert set(errors) == {"figure", "year", "sources"}

    def test_the_statement_is_required(self, source):
        errors = block_errors(StatisticBlock(), statistic_value(source, statement=""))
        assert set(errors) == {"statement"}


class TestExpertQuoteBlock:
    def test_accepts_an_expert_and_a_quote(self, expert, source):
        raw = factories.expert_quote(expert, quote="Words.", sources=[source])["value"]
        value = clean(ExpertQuoteBlock(), raw)
        assert value["expert"] == expert
        assert value["quote"] == "Words."

    def test_sources_are_optional(self, expert):
        value = clean(ExpertQuoteBlock(), factories.expert_quote(expert)["value"])
        assert list(value["sources"]) == []

    def test_needs_an_expert(self, db):
        errors = block_errors(ExpertQuoteBlock(), {"expert": None, "quote": "Words.", "sources": []})
        assert errors == {"expert": ["Choose the expert who said this."]}

    def test_an_expert_that_no_longer_exists_is_refused(self, db):
        errors = block_errors(ExpertQuoteBlock(), {"expert": 987654, "quote": "Words.", "sources": []})
        assert errors == {"expert": ["Choose the expert who said this."]}

    @pytest.mark.parametrize("quote", ["", "   \n "])
    def test_needs_a_quote(self, expert, quote):
        errors = block_errors(ExpertQuoteBlock(), factories.expert_quote(expert, quote=quote)["value"])
        assert errors == {"quote": ["Enter what the expert said."]}

    def test_reports_both_missing_fields(self, db):
        errors = block_errors(ExpertQuoteBlock(), {"expert": None, "quote": "", "sources": []})
        assert set(errors) == {"expert", "quote"}


class TestClaimBlock:
    def test_accepts_a_sourced_claim(self, source):
        value = clean(ClaimBlock(), factories.claim([source])["value"])
        assert value["statement"] == "A medical statement."

    def test_needs_a_source(self, db):
        errors = block_errors(ClaimBlock(), factories.claim([])["value"])
        assert errors == {"sources": ["Add at least one source for this claim."]}

    def test_needs_a_statement(self, source):
        errors = block_errors(ClaimBlock(), factories.claim([source], statement="")["value"])
        assert set(errors) == {"statement"}


class TestQuoteBlock:
    def test_an_unnamed_quote_needs_no_source(self, db):
        value = clean(QuoteBlock(), {"quote": "When it feels good, I cry.", "attribution": "A respondent"})
        assert value["source"] is None

    def test_needs_an_attribution(self, db):
        errors = block_errors(QuoteBlock(), {"quote": "When it feels good, I cry.", "attribution": ""})
        assert set(errors) == {"attribution"}


class TestSourceClean:
    def source(self, **fields):
        return Source(**{"title": "A study", "year": 2020, **fields})

    def field_errors(self, source):
        with pytest.raises(ValidationError) as caught:
            source.clean()
        return caught.value.message_dict

    def test_a_complete_source_is_valid(self):
        source = self.source(doi="10.1080/0092623X.2018.1488326", pmid="30096034", year=THIS_YEAR)
        source.clean()
        source.full_clean()

    def test_a_year_in_the_future_is_refused(self):
        assert self.field_errors(self.source(year=THIS_YEAR + 1)) == {
            "year": ["A source cannot be published in the future."]
        }

    @pytest.mark.parametrize("doi", ["doi:10.1080/abc", "10.12/abc", "10.1080/", "https://doi.org/10.1080/abc"])
    def test_a_bad_doi_is_refused(self, doi):
        errors = self.field_errors(self.source(doi=doi))
        assert list(errors) == ["doi"]
        assert errors["doi"][0].startswith('A DOI starts with "10."')

    @pytest.mark.parametrize("pmid", ["PMID30096034", "3009-6034", "abc"])
    def test_a_non_numeric_pmid_is_refused(self, pmid):
        assert self.field_errors(self.source(pmid=pmid)) == {"pmid": ["A PMID is a number."]}

    def test_reports_every_bad_field_at_once(self):
        errors = self.field_errors(self.source(year=THIS_YEAR + 1, doi="nope", pmid="nope"))
        assert set(errors) == {"year", "doi", "pmid"}

    def test_full_clean_runs_the_checks(self):
        with pytest.raises(ValidationError) as caught:
            self.source(pmid="abc").full_clean()
        assert "pmid" in caught.value.message_dict


class TestProductPageClean:
    @pytest.fixture
    def product(self, shop):
        return factories.make_product(shop, price=Decimal("20.00"))

    def field_errors(self, product):
        with pytest.raises(ValidationError) as caught:
            product.clean()
        return caught.value.message_dict

    def test_a_higher_compare_at_price_is_accepted(self, product):
        product.compare_at_price = Decimal("25.00")
        product.clean()
        assert product.is_on_sale

    def test_no_compare_at_price_is_accepted(self, product):
        product.compare_at_price = None
        product.clean()
        assert not product.is_on_sale

    @pytest.mark.parametrize("compare_at_price", ["20.00", "19.99", "0"])
    def test_the_compare_at_price_must_exceed_the_price(self, product, compare_at_price):
        product.compare_at_price = Decimal(compare_at_price)
        assert self.field_errors(product) == {
            "compare_at_price": ["The compare-at price must be higher than the price."]
        }

    @pytest.mark.parametrize("currency", ["US", "EURO", "U$D", "123"])
    def test_the_currency_must_be_three_letters(self, product, currency):
        product.currency = currency
        assert self.field_errors(product) == {"currency": ["Use a three-letter ISO 4217 code, like USD."]}

    def test_a_lowercase_currency_is_normalised(self, product):
        product.currency = "eur"
        product.clean()
        assert product.currency == "EUR"

    def test_reports_both_errors_at_once(self, product):
        product.compare_at_price = Decimal("1.00")
        product.currency = "dollars"
        assert set(self.field_errors(product)) == {"compare_at_price", "currency"}
