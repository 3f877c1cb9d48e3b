"""A page that needs a file from the object store while the store does not answer: a short page that says
so (503), not the error page of a fault. The store's client gives up after two tries of 5 seconds
(settings.s3_storage), so the web worker is held no longer than that."""

import logging

from botocore.exceptions import ConnectionError as StoreConnectionError
from botocore.exceptions import HTTPClientError
from django.shortcuts import render

logger = logging.getLogger(__name__)


class StoreUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, StoreConnectionError | HTTPClientError):
            return None
        logger.error("Objektlageret svarede ikke under %s %s: %s", request.method, request.path, exception)
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "60"
        return response
