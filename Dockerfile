# Library SMM bot: python -m bot, data in the /app/data volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, in their own layer: code changes do not reinstall them.
COPY pyproject.toml ./
RUN mkdir -p bot handlers \
    && touch bot/__init__.py handlers/__init__.py \
    && pip install . \
    && pip uninstall -y library-smm-bot \
    && rm -rf bot handlers build *.egg-info

# The code runs from /app (python -m bot finds it in the working directory), next to the
# locales/ it reads; translations are compiled here, so the non-root user never writes them.
COPY . .
RUN python -c "from bot.i18n import compile_locales; compile_locales()" \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin bot \
    && mkdir -p /app/data \
    && chown bot:bot /app/data

USER bot
VOLUME ["/app/data"]
ENV DATABASE_PATH=/app/data/bot.sqlite3 \
    WEBHOOK_PORT=8080
EXPOSE 8080

# Polling mode has no HTTP server and counts as healthy; webhook mode must answer /health.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; os.environ.get('WEBHOOK_URL') and urllib.request.urlopen('http://127.0.0.1:' + os.environ['WEBHOOK_PORT'] + '/health', timeout=4)"]

# Exec form: python is PID 1 and receives SIGTERM from `docker stop` (graceful shutdown).
# serve: webhook when WEBHOOK_URL is set, else polling; without BOT_TOKEN it exits with one
# clear line instead of opening the console. The console: docker compose run --rm bot
# python -m bot console
CMD ["python", "-m", "bot", "serve"]
