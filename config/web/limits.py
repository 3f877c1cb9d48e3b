"""What the application accepts from a file or a form: one definition of each limit.

The upload forms, the imports (web pages and commands alike) and the table "Input limits" in the README all
read these; tests/test_input_limits.py holds the README to them. A number's range is the range of
the model field it is stored in (NumberRange.of), so a form, which Django builds from that field, and an
import refuse the same values.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from config.web.formatting import danish_number

# An uploaded CSV or XLSX file to import.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A whole request body, refused unread above this (config/request_size.py): room for the largest upload any
# form takes, a 10 MB document (helhedsplaner/uploads.py), with its form's fields.
MAX_REQUEST_BYTES = 12 * 1024 * 1024
# An XLSX file's parts once unpacked: checked in the zip's directory before any part is read.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# An XLSX file's parts read whole (the workbook, its relations and styles), each once unpacked: checked in the
# zip's directory as well.
MAX_WORKBOOK_PART_BYTES = 1 * 1024 * 1024
# The XML elements of an XLSX file's sheet and shared texts together (a row is one, a cell with its value
# two): reading stops at the first beyond, so a file of tiny elements costs no more than one of plain cells.
MAX_XML_ELEMENTS = 2_000_000
# Rows below the header row, counted by their number in the file: a row numbered beyond MAX_ROWS + 1, blank or
# not, refuses the file, so a sheet that skips a million row numbers costs no more than one that does not.
MAX_ROWS = 200_000
MAX_COLUMNS = 100
MAX_CELL_CHARS = 1_000
# A text typed into a form (every form's text field without a shorter limit of its own, DkfdsFormMixin): far
# more than any plan's section needs; a text of megabytes made a pack take minutes to render.
MAX_TEXT_CHARS = 200_000
# How much of a bad cell an error message repeats.
QUOTED_CHARS = 40


def megabytes(size: int) -> str:
    """A limit in whole megabytes, as the messages and the README state it."""
    return f"{size // (1024 * 1024)} MB"


def shortened(text: str) -> str:
    """A cell's text as an error message repeats it: cut short if long."""
    return f"{text[:QUOTED_CHARS]}…" if len(text) > QUOTED_CHARS else text


def quoted(text: str) -> str:
    return f"'{shortened(text)}'"


@dataclass(frozen=True)
class NumberRange:
    minimum: Decimal
    maximum: Decimal
    decimals: int

    @classmethod
    def of(cls, field: models.Field) -> "NumberRange":
        """The values a model's number field holds: its digits (a DecimalField), the database's integer range
        (Django adds it to an IntegerField's validators) and its own min and max validators."""
        decimals = getattr(field, "decimal_places", 0) or 0
        if isinstance(field, models.DecimalField):
            largest = Decimal(10) ** (field.max_digits - decimals) - Decimal(1).scaleb(-decimals)
            minimum, maximum = -largest, largest
        else:
            minimum = maximum = None
        for validator in field.validators:
            if not isinstance(validator, (MinValueValidator, MaxValueValidator)):
                continue
            limit = Decimal(str(validator.limit_value))
            if isinstance(validator, MinValueValidator):
                minimum = limit if minimum is None else max(minimum, limit)
            else:
                maximum = limit if maximum is None else min(maximum, limit)
        return cls(minimum=minimum, maximum=maximum, decimals=decimals)

    def describe(self) -> str:
        """'0 til 2.147.483.647' as the README and the error messages write it."""
        return (
            f"{danish_number(self.minimum, self.decimals)} til {danish_number(self.maximum, self.decimals)}"
        )

    def problem(self, value: Decimal, text: str) -> str | None:
        """A Danish message if `value` (read from `text`) is outside the range, else None."""
        if value < self.minimum:
            if self.minimum == 0:
                return f"{quoted(text)} er negativt; tallet skal ligge fra {self.describe()}."
            return f"{quoted(text)} er for lille; tallet skal ligge fra {self.describe()}."
        if value > self.maximum:
            return f"{quoted(text)} er for stort; tallet skal ligge fra {self.describe()}."
        return None
