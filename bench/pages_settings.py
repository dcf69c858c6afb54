"""bench/pages.py's settings: the production ones plus one trivial view to compare with."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.pages_urls"
