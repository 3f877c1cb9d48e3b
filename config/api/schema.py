"""The refusals every operation of the API may answer with, added to the schema (drf-spectacular documents
only the 200), so that a client, and the schema test, know their shape."""

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# A refused filter or page: each parameter's reasons, in Danish.
INVALID = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}

REFUSALS = {
    "400": ("Et filter eller en side af forkert type: grundene pr. parameter.", "Valideringsfejl"),
    "401": ("Ingen, en ukendt, tilbagekaldt eller udløbet nøgle.", "Fejl"),
    "404": ("Findes ikke, eller brugeren må ikke se det.", "Fejl"),
    "429": ("For mange forespørgsler: prøv igen efter Retry-After sekunder.", "Fejl"),
}


def document_refusals(result, generator, request, public):
    """A drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Fejl"], schemas["Valideringsfejl"] = DETAIL, INVALID
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for status, (description, component) in REFUSALS.items():
                operation["responses"].setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}
                        },
                    },
                )
    return result
