"""HTML to PDF with WeasyPrint, reading every resource from disk: rendering never touches the network.

Uploaded PDF appendices are merged in with pypdf. The layout reserves one blank page for every page of
the appendices at its very end (templates/pdf/_appendices.html), so "Side x af y" and the page
references count them; those blank pages are then swapped for the appendices' own pages.
"""

import hashlib
import io
import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.contrib.staticfiles import finders
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
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


@dataclass(frozen=True)
class Appendix:
    """An uploaded PDF to merge in. One that cannot be read has no pages and is only named."""

    titel: str
    filnavn: str
    content: bytes
    pages: int
    sha256: str

    @property
    def readable(self) -> bool:
        return self.pages > 0

    @property
    def page_range(self) -> range:
        """For the layout's loop that reserves one blank page per page."""
        return range(self.pages)


def read_appendix(titel: str, filnavn: str, field_file) -> Appendix:
    with field_file.open("rb") as stored:
        content = stored.read()
    try:
        pages = len(PdfReader(io.BytesIO(content)).pages)
    except (PdfReadError, ValueError, KeyError):
        pages = 0
    return Appendix(titel, filnavn, content, pages, hashlib.sha256(content).hexdigest())


def html_to_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=StaticFilesFetcher()).write_pdf(
        pdf_identifier=False, uncompressed_pdf=False
    )


def render_pdf(html: str, appendices: Sequence[Appendix] = ()) -> RenderedPdf:
    """Render the HTML; the appendices' pages take the place of the blank pages reserved at the end."""
    content = html_to_pdf(html)
    readable = [a for a in appendices if a.readable]
    if not readable:
        return RenderedPdf(content=content, pages=len(PdfReader(io.BytesIO(content)).pages))
    # A clone keeps what WeasyPrint wrote: metadata, language, bookmarks and links.
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    for _ in range(sum(a.pages for a in readable)):
        writer.remove_page(len(writer.pages) - 1)
    for number, appendix in enumerate(appendices, 1):
        if appendix.readable:
            first_page = len(writer.pages)
            writer.append(PdfReader(io.BytesIO(appendix.content)), import_outline=False)
            writer.add_outline_item(title=f"Bilag {number}: {appendix.titel}", page_number=first_page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return RenderedPdf(content=buffer.getvalue(), pages=len(writer.pages))
