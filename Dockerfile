# Jobtrail production image: gunicorn for the web, the same image runs the Celery worker and beat.
# See docker-compose.yml for the reference deployment.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 --user-group jobtrail
WORKDIR /app

# Dependencies first (pinned by the lock file), so code changes do not reinstall them.
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .

# Static files are collected (hashed and compressed by whitenoise) at build time. Settings need
# a SECRET_KEY and service URLs to import; these build-only values are never used to serve.
RUN DATABASE_URL=postgres://build@build.invalid/build \
    REDIS_URL=redis://build.invalid:6379/0 \
    SECRET_KEY=build-only-collectstatic-not-a-secret \
    ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/.data/media \
    && chown -R jobtrail:jobtrail /app/.data

USER jobtrail

# Health checks are per service in docker-compose.yml (the worker and beat share this image).
EXPOSE 8000
# gunicorn trusts no proxy header from others: Django decides about X-Forwarded-Proto.
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
