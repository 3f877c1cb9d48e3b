"""The web plumbing every app uses: htmx responses, the form mixin, number formatting, CSV/XLSX reading and
writing with the formula guard, input limits, roles and the helpers for list pages.

It sits at the bottom of the layers, below screening/: it imports from no app of the project, and it holds
no domain code (no models of its own, nothing about afdelinger, indsatser or plans).
"""
