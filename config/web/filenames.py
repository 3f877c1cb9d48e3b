"""Names of downloaded files: ASCII slugs, and the Content-Disposition header that carries a name.

A name goes out twice (RFC 6266): as plain ASCII in filename="…", for any client, and percent-encoded UTF-8
in filename*=, which browsers prefer; an uploaded document thus keeps its Danish name where it can.
"""

import re
import unicodedata
from urllib.parse import quote

DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def slug(text: str, max_length: int = 80) -> str:
    """Lower-case ASCII words joined by hyphens, with æ, ø and å spelt out as Danes do without them:
    "Tingbjerg/Utterslevhuse 2025" -> "tingbjerg-utterslevhuse-2025"."""
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(DANISH_LETTERS)).encode("ascii", "ignore").decode()
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_length].rstrip("-")


def ascii_name(filename: str) -> str:
    """The name itself if it is plain ASCII without spaces or quotes, else its slug with its extension."""
    if SAFE_NAME.fullmatch(filename):
        return filename
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    name = slug(stem) or "fil"
    return f"{name}.{slug(extension)}" if slug(extension) else name


def attachment_header(filename: str) -> str:
    """Content-Disposition for a download named `filename`."""
    return f"attachment; filename=\"{ascii_name(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"
