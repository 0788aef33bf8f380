# syntax=docker/dockerfile:1
# Multi-stage: dependencies are built into a virtualenv, then copied into a slim runtime
# image that runs as an unprivileged user. Start-up migrates and seeds (idempotently).

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /opt/venv
# The pinned, hash-checked dependencies first (a layer that changes only with the lock), then
# the app itself without resolving anything more.
COPY requirements/run.lock ./requirements/
RUN /opt/venv/bin/pip install --require-hashes -r requirements/run.lock
COPY pyproject.toml README.md ./
COPY app ./app
RUN /opt/venv/bin/pip install --no-deps .

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATABASE_URL=sqlite:////data/coop.db \
    SEED_DIR=/app/seed \
    MPLCONFIGDIR=/tmp/matplotlib
# MPLCONFIGDIR: matplotlib (the SVG charts) keeps its font cache where the unprivileged user may write.
RUN useradd --system --uid 10001 --home-dir /app coop && mkdir -p /data && chown coop /data
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
# The app runs from source (alembic.ini, migrations/ and seed/ sit beside it).
COPY alembic.ini ./
COPY migrations ./migrations
COPY seed ./seed
COPY app ./app
USER coop
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz', timeout=2)"
CMD ["sh", "-c", "python -m app migrate && python -m app seed && exec python -m app serve"]
