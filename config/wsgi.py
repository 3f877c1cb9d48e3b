import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A page allocates tens of thousands of short-lived objects (model instances, rows, rendered template
# pieces). With CPython's default threshold of 700 new objects the garbage collector runs dozens of times
# per request, and its older generations hold everything the worker loaded at start-up. Moving the start-up
# objects out of its sight and collecting the young generation less often takes some 10 % off the CPU time
# of the heavier pages (see the benchmarks in the README); memory grows by a few MB per worker.
gc.freeze()
gc.set_threshold(50_000)
