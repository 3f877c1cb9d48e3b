# Production image: gunicorn serves Django, whitenoise serves the collected static files.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint needs pango; fonts-dejavu as a fallback next to the fonts shipped in static/.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY . .
COPY --from=assets /app/node_modules/dkfds/dist/css/dkfds.min.css* static/vendor/dkfds/css/
COPY --from=assets /app/node_modules/dkfds/dist/js/dkfds.min.js* static/vendor/dkfds/js/
COPY --from=assets /app/node_modules/dkfds/dist/fonts/IBMPlexSans/complete static/vendor/dkfds/fonts/IBMPlexSans/complete
COPY --from=assets /app/node_modules/dkfds/dist/img static/vendor/dkfds/img
COPY --from=assets /app/node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/htmx.min.js
COPY --from=assets /app/node_modules/chart.js/dist/chart.umd.min.js* static/vendor/chartjs/
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --system --home /app app && mkdir -p /app/var/private && chown -R app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
