"""Data protection: how long each kind of personal data is kept (retention.py), the anonymiser the daily task
and an erasure share (anonymiser.py), and the administrator's export and erasure of one person, with an
account or without one (without_account.py), on the pages of views.py.

The plumbing reaches into the domain apps' models (comments, contact persons, board seats, notices) by their
labels, looked up when it runs: it is the one place that has to know where personal data lives, and the
domain apps need not know about it."""
