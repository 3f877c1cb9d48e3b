"""Uploaded documents (attachments, decision letters, minutes): what is accepted, and how it is handed out.

Files are stored in the default storage, which is private (settings.STORAGES: the local disk or an object
store): no URL serves them. They are downloaded only through views that first check that the user may see
the plan.
"""

import mimetypes
from pathlib import PurePosixPath

from django import forms
from django.http import FileResponse, Http404

from config.web.filenames import attachment_header
from config.web.formatting import one_decimal
from helhedsplaner.packs.pdf import MAX_APPENDIX_PAGES, UnusablePdf, count_pages

MAX_BYTES = 10 * 1024 * 1024

PDF = b"%PDF-"
ZIP = b"PK\x03\x04"  # Office Open XML and OpenDocument files are zip archives
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"

# Extension -> the first bytes such a file must start with (so a renamed program is refused).
ALLOWED = {
    ".pdf": PDF,
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".pptx": ZIP,
    ".odt": ZIP,
    ".ods": ZIP,
    ".png": PNG,
    ".jpg": JPEG,
    ".jpeg": JPEG,
}
ACCEPT = ",".join(ALLOWED)
HELP_TEXT = "PDF, Word, Excel, PowerPoint, OpenDocument, PNG eller JPEG. Højst 10 MB."
ATTACHMENT_HELP_TEXT = (
    f"{HELP_TEXT} En PDF vedlægges ansøgningspakkerne og må højst have {MAX_APPENDIX_PAGES} sider."
)


def validate(upload):
    """Raise a Danish ValidationError unless the file is an allowed type of at most MAX_BYTES. A PDF must
    also be one the application packs can merge in (packs.pdf.count_pages: readable, not encrypted, at
    most MAX_APPENDIX_PAGES pages in a page tree of sane size): a header alone is no PDF."""
    suffix = PurePosixPath(upload.name).suffix.lower()
    if suffix not in ALLOWED:
        raise forms.ValidationError(f"Filtypen «{suffix or 'uden endelse'}» kan ikke bruges. {HELP_TEXT}")
    if upload.size > MAX_BYTES:
        size = one_decimal(upload.size / 1024 / 1024)
        raise forms.ValidationError(f"Filen fylder {size} MB; grænsen er 10 MB.")
    if upload.size == 0:
        raise forms.ValidationError("Filen er tom.")
    upload.seek(0)
    head = upload.read(len(ALLOWED[suffix]))
    upload.seek(0)
    if head != ALLOWED[suffix]:
        raise forms.ValidationError(f"Filen er ikke en gyldig {suffix[1:].upper()}-fil.")
    if suffix == ".pdf":
        try:
            count_pages(upload.read())
        except UnusablePdf as problem:
            raise forms.ValidationError(str(problem)) from problem
        finally:
            upload.seek(0)
    return upload


def original_name(upload) -> str:
    """The file's own name, at most 200 characters, its extension kept (the download's type follows it)."""
    name = PurePosixPath(upload.name)
    suffix = name.suffix[:10]
    return name.name[: 200 - len(suffix)] if not suffix else name.stem[: 200 - len(suffix)] + suffix


def download(field_file, filename) -> FileResponse:
    """The stored file as an attachment, streamed from the storage (the local disk or the object store): the
    store is never linked to, so the caller's permission check is the only way in."""
    if not field_file:
        raise Http404("Filen findes ikke.")
    try:
        stored = field_file.storage.open(field_file.name, "rb")
    except FileNotFoundError:
        raise Http404("Filen findes ikke.") from None
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(stored, content_type=content_type)
    response["Content-Disposition"] = attachment_header(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
