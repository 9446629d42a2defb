# The same steps as the README: install, migrate, serve. (No Docker engine on the dev machines:
# keep these steps identical to `make run` so what is tested is what ships.)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    HOTLINE_ENVIRONMENT=production \
    HOTLINE_CONFIG_DIR=/app/config

WORKDIR /app
COPY pyproject.toml README.md ./
COPY dispatch ./dispatch
COPY hotline ./hotline
COPY escalation ./escalation
COPY config ./config
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 hotline \
    && mkdir -p /app/var && chown hotline /app/var

USER hotline
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"

# DATABASE_URL and HOTLINE_SECRET_KEY come from the environment; the app refuses defaults.
CMD ["sh", "-c", "dispatch migrate && dispatch serve --host 0.0.0.0 --port 8000"]
