"""A page with a form, for the HTTP cache tests: rendering its CSRF token sets the CSRF cookie."""

from django.urls import path

from .test_http_cache import csrf_form_view

urlpatterns = [path("form/", csrf_form_view)]
