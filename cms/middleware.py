"""Request guards that apply to the whole site and API."""

from django.http import HttpResponseBadRequest, JsonResponse

NUL = "\x00"


class RejectNulBytesMiddleware:
    """Refuse a NUL character in the path or query string: a 400 on the site, and on the API the 422
    problem document its other invalid input gets.

    No text Verity stores or searches may hold one (PostgreSQL refuses them), so without this guard a
    stray %00 in a search or a filter would surface as a server error from deep inside a query.
    """

    message = "The request contains a NUL character, which no field accepts."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query_values = (value for values in request.GET.lists() for value in [values[0], *values[1]])
        if NUL in request.path or any(NUL in value for value in query_values):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"type": "about:blank", "title": "Unprocessable Content", "status": 422, "detail": self.message},
                    status=422,
                    content_type="application/problem+json",
                )
            return HttpResponseBadRequest(self.message)
        return self.get_response(request)
