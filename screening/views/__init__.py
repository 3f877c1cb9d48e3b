"""The screening app's pages: the afdeling register (afdelinger.py) and screening rounds (screening.py)."""
