"""The web plumbing every app uses: htmx responses, the form mixin, number formatting, download file names,
CSV/XLSX reading and writing with the formula guard, input limits, roles, the helpers for list pages, and the
background-job base (jobs.py: the abstract model every kind of job is, its claim and its resend sweep).

It sits at the bottom of the layers, below screening/: it imports from no app of the project, and it holds
no domain code (no tables of its own, nothing about afdelinger, indsatser or plans).
"""
