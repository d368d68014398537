# Production image: gunicorn serves the web; the same image runs the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# postgresql-client: pg_dump and pg_restore for `manage.py backup` / `restore` (15, as the server).
RUN apt-get update && apt-get install -y --no-install-recommends gettext postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY assembly ./assembly
COPY commons_registry ./commons_registry
COPY workshops ./workshops
COPY decisions ./decisions
COPY charter ./charter
RUN pip install .
COPY . .
# collectstatic needs settings; a build-time key is never used at run time.
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --create-home assemblee && mkdir -p /app/var /backups \
    && chown -R assemblee /app/var /backups
USER assemblee
EXPOSE 8000
# The profile's web processes (ASSEMBLEE_PROFILE, config/profiles.py) on all interfaces.
ENV HOST=0.0.0.0 PORT=8000
CMD ["python", "-m", "config.serve", "web"]
