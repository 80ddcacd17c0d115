# Library SMM bot: python -m bot, data in the /app/data volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, in their own layer, exactly as locked (versions and hashes): the image
# built today and in a year installs the same thing. Code changes do not reinstall them.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

# The code runs from /app (python -m bot finds it in the working directory), next to the
# locales/ it reads; translations are compiled here, so the non-root user never writes them.
COPY . .
RUN python -c "from bot.i18n import compile_locales; compile_locales()" \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin bot \
    && mkdir -p /app/data /tmp/matplotlib \
    && chown bot:bot /app/data /tmp/matplotlib

USER bot
VOLUME ["/app/data"]
# MPLCONFIGDIR: matplotlib's cache must be writable by the bot user, or it warns on every
# start. HEALTH_PORT: polling mode serves /health and /metrics there; webhook mode serves
# them on WEBHOOK_PORT, the same port.
ENV DATABASE_PATH=/app/data/bot.sqlite3 \
    MPLCONFIGDIR=/tmp/matplotlib \
    WEBHOOK_PORT=8080 \
    HEALTH_PORT=8080 \
    HEALTH_HOST=0.0.0.0
EXPOSE 8080

# A cold start (imports, migrations, the first getMe) takes up to about 25 s on a small
# shared core; the start period leaves room for three times that before failures count.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --start-interval=5s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=4)"]

# Exec form: python is PID 1 and receives SIGTERM from `docker stop` (graceful shutdown).
# serve: webhook when WEBHOOK_URL is set, else polling; without BOT_TOKEN it exits with one
# clear line instead of opening the console. The console: docker compose run --rm bot
# python -m bot console
CMD ["python", "-m", "bot", "serve"]
