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
from pypdf import PdfReader, PdfWriter, apply_configuration
from pypdf.errors import LimitReachedError, PyPdfError
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_PREFIX = "static:"
# An uploaded PDF is merged into the packs page by page, and the layout reserves a blank page for each first:
# more pages than this are refused at upload and left out of a pack.
MAX_APPENDIX_PAGES = 200
# pypdf walks a PDF's page tree entry by entry, and a file of a few kilobytes can name the same page a
# hundred thousand times: reading stops long before that.
PDF_LIMITS = {"page_tree_maximum_entries": 4 * MAX_APPENDIX_PAGES, "page_tree_maximum_depth": 20}


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


_UNREADABLE = "Filen kan ikke læses som PDF. Gem den som PDF igen (fx «Udskriv som PDF») og prøv igen."
_TOO_COMPLEX = (
    f"PDF-filens sideopbygning er for stor eller for indviklet; et bilag må højst have {MAX_APPENDIX_PAGES} "
    "sider. Gem den som PDF igen (fx «Udskriv som PDF») og prøv igen."
)


class UnusablePdf(Exception):
    """A PDF that cannot be merged into a pack; the message says why, in Danish."""


def count_pages(content: bytes) -> int:
    """The number of pages of a PDF that can be merged into a pack, or UnusablePdf with the reason.

    The pages are copied into a writer as the pack does, so a file that passes here merges there.
    """
    with apply_configuration(**PDF_LIMITS):
        try:
            reader = PdfReader(io.BytesIO(content))
            if reader.is_encrypted:
                raise UnusablePdf(
                    "PDF-filen er krypteret eller beskyttet med adgangskode. Gem den uden beskyttelse."
                )
            pages = len(reader.pages)
            if 0 < pages <= MAX_APPENDIX_PAGES:
                PdfWriter().append(reader, import_outline=False)
        except (LimitReachedError, RecursionError) as error:  # pypdf follows nested objects by recursion
            raise UnusablePdf(_TOO_COMPLEX) from error
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
            raise UnusablePdf(_UNREADABLE) from error  # malformed objects surface as any of these
    if pages == 0:
        raise UnusablePdf("PDF-filen har ingen sider.")
    if pages > MAX_APPENDIX_PAGES:
        raise UnusablePdf(f"PDF-filen har {pages} sider; et bilag må højst have {MAX_APPENDIX_PAGES} sider.")
    return pages


@dataclass(frozen=True)
class Appendix:
    """An uploaded PDF to merge in. One that cannot be used has no pages: it is named, with the reason."""

    titel: str
    filnavn: str
    content: bytes
    pages: int
    sha256: str
    problem: str = ""

    @property
    def readable(self) -> bool:
        return self.pages > 0

    @property
    def page_range(self) -> range:
        """For the layout's loop that reserves one blank page per page."""
        return range(self.pages)


def read_appendix(titel: str, filnavn: str, field_file) -> Appendix:
    """An uploaded PDF as the packs use it; one stored before the checks at upload may fail them now."""
    try:
        with field_file.open("rb") as stored:
            content = stored.read()
    except OSError:
        return Appendix(titel, filnavn, b"", 0, "", "Filen findes ikke længere.")
    digest = hashlib.sha256(content).hexdigest()
    try:
        pages = count_pages(content)
    except UnusablePdf as problem:
        return Appendix(titel, filnavn, content, 0, digest, str(problem))
    return Appendix(titel, filnavn, content, pages, digest)


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
    with apply_configuration(**PDF_LIMITS):
        for number, appendix in enumerate(appendices, 1):
            if appendix.readable:
                first_page = len(writer.pages)
                writer.append(PdfReader(io.BytesIO(appendix.content)), import_outline=False)
                writer.add_outline_item(title=f"Bilag {number}: {appendix.titel}", page_number=first_page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return RenderedPdf(content=buffer.getvalue(), pages=len(writer.pages))
