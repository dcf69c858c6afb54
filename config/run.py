"""`make run`: migrate, seed demo data on first run, then web + Celery worker + Celery beat.

The embedded PostgreSQL and Redis (when DATABASE_URL / REDIS_URL are unset) are held by this
process for as long as it lives; the children get the URLs in their environment. Ctrl-C stops
the children first, then this process exits and the embedded servers stop with it.
"""

import os
import shlex
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")


def main() -> int:
    import django
    from django.conf import settings
    from django.core.management import call_command
    from honcho.manager import Manager
    from honcho.printer import Printer

    from accounts.demo import ADMIN_EMAIL, ADMIN_PASSWORD, DEMO_EMAIL, DEMO_PASSWORD

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", only_if_empty=True)

    host = os.environ.get("HOST", "127.0.0.1")
    port = os.environ.get("PORT", "8000")
    python = shlex.quote(sys.executable)
    schedule = settings.BASE_DIR / ".data" / "celerybeat-schedule"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    manager = Manager(Printer(sys.stdout, colour=sys.stdout.isatty()))
    manager.add_process("web", f"{python} manage.py runserver {host}:{port}", env=env)
    manager.add_process(
        "worker",
        f"{python} -m celery -A config worker --loglevel=INFO --concurrency=2 --hostname=worker@%h",
        env=env,
    )
    manager.add_process(
        "beat",
        f"{python} -m celery -A config beat --loglevel=INFO --schedule={shlex.quote(str(schedule))}",
        env=env,
    )
    url = f"http://{host}:{port}/"
    print(
        f"\n  Jobtrail is starting on {url}\n"
        f"  Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}"
        f"   (staff: {ADMIN_EMAIL} / {ADMIN_PASSWORD})\n"
        f"  Emails appear in this log and at {url}dev/mail/ (log in as staff)\n"
        "  Ctrl-C stops everything.\n",
        flush=True,
    )
    manager.loop()
    return manager.returncode or 0


if __name__ == "__main__":
    sys.exit(main())
