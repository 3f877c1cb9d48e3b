"""Writing many rows at once. PostgreSQL's COPY takes a national import's 150.000 figures in about a second,
where bulk_create spends most of that time building model objects and SQL; other databases get bulk_create."""

from collections.abc import Iterable

from django.db import connection

BATCH = 2000


def insert_rows(model, fields: list[str], rows: Iterable[tuple]) -> None:
    """Insert plain tuples, one value per field (attribute names: `runde_id`). No save() runs, no signal is
    sent and no field default or auto_now is applied: the caller gives every value."""
    if connection.vendor == "postgresql":
        columns = ", ".join(model._meta.get_field(name).column for name in fields)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    else:
        objects = (model(**dict(zip(fields, row, strict=True))) for row in rows)
        model.objects.bulk_create(objects, batch_size=BATCH)
