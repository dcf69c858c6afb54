"""The people of bench/load.py: signed-in job seekers who browse, search, save and move cards.

bench/load.py builds the data, starts gunicorn and runs this file with locust (headless, in a
process of its own); the users' sessions come in the JSON file named by JOBTRAIL_LOAD_USERS.

Each simulated person is one bench user, signed in through a session that bench/load.py made
(allauth's login rate limit, 30 a minute per address, would otherwise refuse most of 50 users
logging in from one address), and takes everything else from the pages it reads: links,
CSRF tokens, the board's move URLs and stage ids. It talks to gunicorn as the TLS-terminating
proxy of the reference deployment does (X-Forwarded-Proto: https, see docker-compose.yml), so
the production settings apply unchanged: https redirect, secure cookies, CSRF origin checks.

Every request is kept (start, group, ms, status, error) and written to JOBTRAIL_LOAD_OUT when
locust quits; bench/load.py computes the figures from that file.
"""

from __future__ import annotations

import csv
import http.cookiejar
import itertools
import json
import os
import random
import re
from pathlib import Path
from urllib.parse import urlencode

from locust import HttpUser, between, events, task

CONFIG = json.loads(Path(os.environ["JOBTRAIL_LOAD_USERS"]).read_text())
THINK = [float(x) for x in os.environ.get("JOBTRAIL_LOAD_THINK", "1,3").split(",")]
ORIGIN = CONFIG["origin"]  # https://127.0.0.1:<port>, what the browser sees behind the proxy
_next_user = itertools.count()
RECORDS: list[tuple[float, str, float, int, str]] = []

WORDS = ["python", "engineer", "data", "developer", "backend", "team", "design", "sales",
         "remote", "security", "cloud", "product", "machine learning", "frontend", "manager",
         "senior python", '"data engineer"', "python -java", "kafka or airflow", "pyhton",
         "django postgresql", "analyst", "research", "kubernetes", "marketing"]  # fmt: skip
FILTERS = [
    ("country", ["DE", "GB", "US", "FR", "NL", "ES"]),
    ("workplace", ["remote", "hybrid", "onsite"]),
    ("type", ["full_time", "contract", "part_time"]),
    ("level", ["senior", "mid", "entry", "lead"]),
    ("salary", ["40000", "60000", "90000"]),
    ("posted", ["3", "7", "30"]),
]

CSRF_RE = re.compile(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'")
POSTING_RE = re.compile(r'href="(/jobs/\d+-[\w-]+/)"')
SAVE_RE = re.compile(r'hx-post="/saved/(save|unsave)/(\d+)/"')
MOVE_RE = re.compile(r'data-move-url="(/applications/\d+/move/)"')
STAGE_RE = re.compile(r'data-stage-id="(\d+)"')


# This process talks only to the bench's gunicorn on loopback: let the app's Secure cookies
# (session, CSRF) travel over that plain-http hop, as they do behind a TLS-terminating proxy.
# Patched on the class because requests merges cookies into fresh jars with the default policy.
http.cookiejar.DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True


@events.request.add_listener
def _record(name, response_time, response, exception, start_time, **_kwargs):
    status = getattr(response, "status_code", 0) or 0
    RECORDS.append((start_time, name, response_time, status, repr(exception) if exception else ""))


@events.quitting.add_listener
def _write(**_kwargs):
    path = os.environ.get("JOBTRAIL_LOAD_OUT")
    if not path:
        return
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["start", "group", "ms", "status", "error"])
        writer.writerows(RECORDS)


class JobSeeker(HttpUser):
    wait_time = between(*THINK)

    def on_start(self) -> None:
        me = CONFIG["users"][next(_next_user) % len(CONFIG["users"])]
        self.email = me["email"]
        self.client.cookies.set(CONFIG["session_cookie"], me["session"], domain="127.0.0.1")
        self.client.headers.update({"X-Forwarded-Proto": "https"})
        self.csrf = ""
        self.postings: list[str] = []  # posting URLs seen on list pages
        self.buttons: dict[int, str] = {}  # posting id -> "save" / "unsave", as last shown
        self.saved_here: list[int] = []  # posting ids this person saved during the run
        self.cards: list[str] = []  # move URLs from the board
        self.stages: list[str] = []
        self.page("/jobs/", "jobs list")

    # --- plumbing -----------------------------------------------------------------------

    def _check(self, response, expect: tuple[int, ...]) -> None:
        if response.status_code not in expect:
            response.failure(f"status {response.status_code}")
        elif "/accounts/login/" in response.url:
            response.failure("sent to the login page: the session was not accepted")
        else:
            response.success()

    def page(self, path: str, group: str, *, expect=(200,)) -> str:
        """A full page, as a browser loads it; keeps the CSRF token and what the page links to."""
        with self.client.get(path, name=group, catch_response=True) as response:
            self._check(response, expect)
            html = response.text
        if m := CSRF_RE.search(html):
            self.csrf = m.group(1)
        self._learn(html)
        self.current = path
        return html

    def htmx(self, method: str, path: str, group: str, *, data=None, target="", expect=(200,)):
        headers = {
            "HX-Request": "true",
            "HX-Current-URL": ORIGIN + self.current,
            "Referer": ORIGIN + self.current,
        }
        if target:
            headers["HX-Target"] = target
        if method == "POST":
            headers.update({"X-CSRFToken": self.csrf, "Origin": ORIGIN})
        with self.client.request(
            method, path, name=group, data=data, headers=headers, catch_response=True
        ) as response:
            self._check(response, expect)
            html = response.text
        self._learn(html)
        return html

    def _learn(self, html: str) -> None:
        links = POSTING_RE.findall(html)
        if links:
            self.postings = list(dict.fromkeys(links))
        for action, pk in SAVE_RE.findall(html):
            self.buttons[int(pk)] = action

    # --- what people do -----------------------------------------------------------------

    @task(5)
    def browse(self) -> None:
        """The job list (sometimes a later page), then one posting from it."""
        page = random.choice([1, 1, 1, 2, 3, random.randint(4, 40)])
        self.page("/jobs/" + (f"?page={page}" if page > 1 else ""), "jobs list")
        if self.postings:
            self.page(random.choice(self.postings), "posting")

    @task(5)
    def search(self) -> None:
        """Type a search (htmx swaps the results), maybe add filters, sometimes open a result."""
        query: dict[str, str] = {"q": random.choice(WORDS)}
        for key, values in random.sample(FILTERS, random.choice([0, 0, 1, 1, 2, 3])):
            query[key] = random.choice(values)
        if random.random() < 0.25:
            query["sort"] = "newest"
        path = "/jobs/?" + urlencode(query)
        if random.random() < 0.3:
            self.page(path, "search (page)")
        else:
            self.htmx("GET", path, "search (htmx)", target="results")
        if self.postings and random.random() < 0.5:
            self.page(random.choice(self.postings), "posting")

    @task(3)
    def save_or_unsave(self) -> None:
        """Click Save on a result, or un-save one saved earlier (htmx swaps the button)."""
        if not self.buttons:
            self.page("/jobs/", "jobs list")
        if self.saved_here and random.random() < 0.45:
            pk = self.saved_here.pop(random.randrange(len(self.saved_here)))
            action = "unsave"
        else:
            choices = [pk for pk, a in self.buttons.items() if a == "save"] or list(self.buttons)
            if not choices:
                return
            pk = random.choice(choices)
            action = self.buttons[pk]
        self.htmx(
            "POST",
            f"/saved/{action}/{pk}/",
            action,
            data={"form_id": "save-posting-form"},
            target=f"save-{pk}",
        )
        if action == "save":
            self.saved_here.append(pk)
        self.buttons[pk] = "unsave" if action == "save" else "save"

    @task(3)
    def move_card(self) -> None:
        """Open the board (now and then) and drag a card to another column or place."""
        if not self.cards or random.random() < 0.3:
            html = self.page("/applications/", "board")
            self.cards = MOVE_RE.findall(html)
            self.stages = list(dict.fromkeys(STAGE_RE.findall(html)))
        if not (self.cards and self.stages):
            return
        self.htmx(
            "POST",
            random.choice(self.cards),
            "move",
            data={"stage": random.choice(self.stages), "position": random.randint(0, 3)},
            target="board-status",
        )

    @task(2)
    def dashboard(self) -> None:
        self.page("/dashboard/", "dashboard")

    @task(2)
    def saved(self) -> None:
        self.page("/saved/", "saved")
