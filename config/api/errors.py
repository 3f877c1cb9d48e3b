"""The API's error answers."""

from django.http import Http404
from rest_framework import exceptions, views


def exception_handler(exc, context):
    """REST framework's, except that a missing or foreign object answers with the API's own words for "not
    found" instead of Django's English text, which names the model."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return views.exception_handler(exc, context)
