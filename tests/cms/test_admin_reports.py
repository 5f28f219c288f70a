"""Every admin report (cms/admin_reports.py): its page, its results fragment and its menu item for those who
may see it, a refusal (and no menu item) for the others."""

import pytest
from django.urls import reverse

from cms.admin_reports import AdminReport
from cms.review.roles import EDITORIAL_LEADS, EDITORS, MEDICAL_REVIEWERS, SHOP_MANAGERS

from .workflow_helpers import make_user

ROLES = {
    "editor": EDITORS,
    "lead": EDITORIAL_LEADS,
    "reviewer": MEDICAL_REVIEWERS,
    "shop": SHOP_MANAGERS,
}


def all_reports(cls=AdminReport):
    for report in cls.__subclasses__():
        yield report
        yield from all_reports(report)


REPORTS = sorted(all_reports(), key=lambda report: report.url_path)


@pytest.fixture
def people(db):
    people = {name: make_user(name, group) for name, group in ROLES.items()}
    people["admin"] = make_user("admin", superuser=True)
    return people


def test_the_reports_are_the_four_of_the_product():
    assert [report.url_path for report in REPORTS] == [
        "credentials-expiring",
        "failed-cache-purges",
        "medical-reviews-due",
        "stock-in-live-posts",
    ]


@pytest.mark.parametrize("report", REPORTS, ids=lambda report: report.url_path)
def test_a_report_answers_whom_it_admits_and_refuses_the_rest(client, people, report):
    index, results = reverse(report.index_url_name), reverse(report.index_results_url_name)
    assert index == f"/admin/reports/{report.url_path}/" and results == f"{index}results/"
    label = report.menu_label or report.page_title
    for name, user in people.items():
        client.force_login(user)
        allowed = report.can_see(user)
        menu = client.get(reverse("wagtailadmin_home")).content.decode()
        assert (label in menu) == allowed, name
        for url in (index, results):
            response = client.get(url)
            assert response.status_code == (200 if allowed else 302), (name, url)
            if not allowed:  # Wagtail sends a refused admin user home with a message
                assert response.url == reverse("wagtailadmin_home")
    assert report.can_see(people["admin"])
