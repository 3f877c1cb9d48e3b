"""HTML to PDF with WeasyPrint, reading every resource from disk: rendering never touches the network."""

import hashlib
import io
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "static:"


class StaticFilesFetcher(URLFetcher):
    """Serves `static:path` and `data:` URLs; refuses everything else (http, file, ...)."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(STATIC_PREFIX):
            raise ValueError(f"PDF-layout må kun hente filer fra static/: {url}")
        found = finders.find(url.removeprefix(STATIC_PREFIX).lstrip("/"))
        if not found:
            raise ValueError(f"Filen findes ikke i static/: {url}")
        path = Path(found)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=StaticFilesFetcher()).write_pdf(
        pdf_identifier=False, uncompressed_pdf=False
    )


def render_pdf(template_name: str, context: dict, appendices: list[bytes] = ()) -> RenderedPdf:
    """Render a print template; uploaded PDF appendices are appended at the end, in the order given."""
    content = html_to_pdf(render_to_string(template_name, context))
    if appendices:
        writer = PdfWriter()
        writer.append(io.BytesIO(content))
        for appendix in appendices:
            writer.append(io.BytesIO(appendix))
        writer.add_metadata(PdfReader(io.BytesIO(content)).metadata or {})
        buffer = io.BytesIO()
        writer.write(buffer)
        content = buffer.getvalue()
    return RenderedPdf(content=content, pages=len(PdfReader(io.BytesIO(content)).pages))
