"""Imported by a drill's worker (`celery worker --include`): every pack render waits instead of rendering.

The job is then marked running and stays so, and the drill can kill the worker in the middle of the job
rather than hoping to hit the second or two a real render takes.
"""

import time

from helhedsplaner.packs import documents


def wait_instead_of_rendering(*args, **kwargs):
    time.sleep(600)


documents.render = wait_instead_of_rendering
