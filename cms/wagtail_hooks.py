from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Expert, Source


class ExpertViewSet(SnippetViewSet):
    model = Expert
    icon = "user"
    menu_label = "Experts"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["full_name", "credentials", "specialty", "live"]
    list_filter = ["live"]
    search_fields = ["name", "specialty"]


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "doc-full"
    menu_label = "Sources"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["title", "publisher", "year", "kind", "live"]
    list_filter = ["kind", "live"]
    search_fields = ["title", "authors", "publisher"]


register_snippet(ExpertViewSet)
register_snippet(SourceViewSet)
