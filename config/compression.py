"""Pages are sent gzipped to browsers that accept it: a form listing every afdeling in the country is about
2 MB of HTML, some 150 kB compressed. There is no proxy in front of gunicorn to do it (docker-compose.yml)."""

from django.middleware.gzip import GZipMiddleware


class TextGZipMiddleware(GZipMiddleware):
    """Django's gzip, with its mitigation of BREACH (random bytes in each response's gzip header; the CSRF
    token is masked anew per response too), for text only: the other downloads are workbooks and ZIP files
    that are compressed already, or PDFs streamed from storage."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/"):
            return response
        return super().process_response(request, response)
