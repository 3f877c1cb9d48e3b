"""A request whose body is larger than any form takes is refused before a byte of it is read.

Django reads a POST's whole body to find its CSRF token, and writes an uploaded file of any size to a
temporary file before a form can look at its size. A body that announces more than MAX_REQUEST_BYTES is
answered 413 at once; a body longer than it announces is read only as far as announced (Django's
LimitedStream)."""

from django.http import HttpResponse

from config.web.limits import MAX_REQUEST_BYTES, megabytes


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        announced = request.META.get("CONTENT_LENGTH") or "0"
        if announced.isascii() and announced.isdigit() and int(announced) > MAX_REQUEST_BYTES:
            return HttpResponse(
                f"Forespørgslen er for stor: højst {megabytes(MAX_REQUEST_BYTES)} ad gangen.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
