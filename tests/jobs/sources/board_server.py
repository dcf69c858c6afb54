"""A local HTTP server in the test process that serves each vendor's documented shape (written
from the vendors' public API documentation) for a list of jobs the test changes at will, plus
the faults: 500, 429 with Retry-After, a stall past the timeout, HTML, broken JSON, 20 MB.

`Board.jobs` is the list of plain job dicts (id, title, description, city, country, team, type,
salary; `ld`: JobPosting properties the JSON-LD pages add or override); `Board.fault` is None or a fault's name; every answer has an ETag of its body and
honours If-None-Match."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape


def job(n: int, **extra) -> dict:
    return {
        "id": str(1000 + n),
        "title": f"Backend Engineer {n}",
        "description": f"<p>Build the payments platform, service number {n}.</p>"
        "<ul><li>Python</li><li>PostgreSQL</li></ul>",
        "city": "Berlin",
        "country": "DE",
        "team": "Engineering",
        "type": "full_time",
        "salary": (60000, 80000, "EUR"),
        **extra,
    }


# --- the documented shapes, one function per kind -------------------------------------------


def greenhouse(board, path, query):
    jobs = [
        {
            "id": int(j["id"]),
            "internal_job_id": int(j["id"]) * 10,
            "title": j["title"],
            "updated_at": "2026-11-02T10:00:00-05:00",
            "requisition_id": j["id"],
            "location": {"name": f"{j['city']}, {j['country']}"},
            "absolute_url": f"{board.url}/gh/jobs/{j['id']}",
            "language": "en",
            "metadata": None,
            "content": escape(j["description"]),  # Greenhouse escapes its HTML
            "departments": [{"id": 1, "name": j["team"], "child_ids": [], "parent_id": None}],
            "offices": [{"id": 2, "name": j["city"], "location": f"{j['city']}, {j['country']}"}],
        }
        for j in board.jobs
    ]
    return json_answer({"jobs": jobs, "meta": {"total": len(jobs)}})


def lever(board, path, query):
    skip = int(query.get("skip", ["0"])[0])
    limit = int(query.get("limit", ["100"])[0])
    items = [
        {
            "id": f"lv-{j['id']}",
            "text": j["title"],
            "categories": {
                "commitment": "Full-time",
                "department": j["team"],
                "location": j["city"],
                "team": j["team"],
                "allLocations": [j["city"]],
            },
            "country": j["country"],
            "workplaceType": "on-site",
            "description": j["description"],
            "descriptionPlain": "",
            "lists": [{"text": "Requirements", "content": "<li>Python</li>"}],
            "additional": "",
            "hostedUrl": f"{board.url}/lever/{j['id']}",
            "applyUrl": f"{board.url}/lever/{j['id']}/apply",
            "createdAt": 1764662400000,
            "salaryRange": {
                "min": j["salary"][0],
                "max": j["salary"][1],
                "currency": j["salary"][2],
                "interval": "per-year-salary",
            },
        }
        for j in board.jobs
    ]
    return json_answer(items[skip : skip + limit])


def ashby(board, path, query):
    jobs = [
        {
            "id": f"ab-{j['id']}",
            "title": j["title"],
            "department": j["team"],
            "team": j["team"],
            "employmentType": "FullTime",
            "location": j["city"],
            "secondaryLocations": [],
            "isRemote": False,
            "workplaceType": "OnSite",
            "isListed": True,
            "descriptionHtml": j["description"],
            "descriptionPlain": "",
            "publishedAt": "2026-11-02T10:00:00.000+00:00",
            "jobUrl": f"{board.url}/ashby/{j['id']}",
            "applyUrl": f"{board.url}/ashby/{j['id']}/application",
            "address": {
                "postalAddress": {
                    "addressLocality": j["city"],
                    "addressRegion": "",
                    "addressCountry": j["country"],
                }
            },
            "compensation": {
                "compensationTierSummary": "€60K – €80K",
                "summaryComponents": [
                    {
                        "compensationType": "Salary",
                        "interval": "1 YEAR",
                        "currencyCode": j["salary"][2],
                        "minValue": j["salary"][0],
                        "maxValue": j["salary"][1],
                    }
                ],
            },
        }
        for j in board.jobs
    ]
    return json_answer({"apiVersion": "1", "jobs": jobs})


def workable(board, path, query):
    jobs = [
        {
            "title": j["title"],
            "shortcode": f"WK{j['id']}",
            "code": "",
            "employment_type": "Full-time",
            "telecommuting": False,
            "department": j["team"],
            "url": f"{board.url}/workable/j/WK{j['id']}",
            "shortlink": f"{board.url}/workable/j/WK{j['id']}",
            "application_url": f"{board.url}/workable/j/WK{j['id']}/apply",
            "published_on": "2026-11-02",
            "created_at": "2026-11-02",
            "country": "Germany",
            "city": j["city"],
            "state": "",
            "education": "",
            "locations": [
                {
                    "country": "Germany",
                    "countryCode": j["country"],
                    "city": j["city"],
                    "region": "",
                    "hidden": False,
                }
            ],
            "description": j["description"],
        }
        for j in board.jobs
    ]
    return json_answer({"name": "Acme", "description": "", "jobs": jobs})


def smartrecruiters(board, path, query):
    if path.rstrip("/").split("/")[-1].startswith("sr-"):
        ident = path.rstrip("/").split("/")[-1]
        j = next(j for j in board.jobs if f"sr-{j['id']}" == ident)
        return json_answer(
            {
                "id": ident,
                "name": j["title"],
                "applyUrl": f"{board.url}/sr/{ident}/apply",
                "postingUrl": f"{board.url}/sr/{ident}",
                "jobAd": {
                    "sections": {
                        "companyDescription": {"title": "Company", "text": ""},
                        "jobDescription": {"title": "Job", "text": j["description"]},
                        "qualifications": {"title": "Qualifications", "text": ""},
                        "additionalInformation": {"title": "More", "text": ""},
                    }
                },
            }
        )
    offset = int(query.get("offset", ["0"])[0])
    limit = int(query.get("limit", ["100"])[0])
    content = [
        {
            "id": f"sr-{j['id']}",
            "name": j["title"],
            "uuid": j["id"],
            "refNumber": j["id"],
            "company": {"identifier": "acme", "name": "Acme"},
            "releasedDate": j.get("released", "2026-11-02T10:00:00.000Z"),
            "location": {"city": j["city"], "region": "", "country": j["country"].lower(),
                         "remote": False},
            "department": {"id": "1", "label": j["team"]},
            "typeOfEmployment": {"id": "permanent", "label": "Full-time"},
            "experienceLevel": {"id": "mid_senior_level", "label": "Mid-Senior Level"},
            "ref": f"{board.url}/smartrecruiters/postings/sr-{j['id']}",
        }
        for j in board.jobs
    ]  # fmt: skip
    return json_answer(
        {"offset": offset, "limit": limit, "totalFound": len(content),
         "content": content[offset : offset + limit]}
    )  # fmt: skip


def recruitee(board, path, query):
    offers = [
        {
            "id": int(j["id"]),
            "slug": f"job-{j['id']}",
            "title": j["title"],
            "description": j["description"],
            "requirements": "",
            "location": f"{j['city']}, Germany",
            "city": j["city"],
            "country_code": j["country"],
            "remote": False,
            "hybrid": False,
            "employment_type_code": "fulltime",
            "department": j["team"],
            "careers_url": f"{board.url}/recruitee/o/job-{j['id']}",
            "careers_apply_url": f"{board.url}/recruitee/o/job-{j['id']}/c/new",
            "published_at": "2026-11-02 10:00:00 UTC",
            "updated_at": "2026-11-02 10:00:00 UTC",
            "locations": [{"city": j["city"], "state": "", "country_code": j["country"]}],
            "salary": {"min": str(j["salary"][0]), "max": str(j["salary"][1]),
                       "currency": j["salary"][2], "period": "year"},
        }
        for j in board.jobs
    ]  # fmt: skip
    return json_answer({"offers": offers})


def personio(board, path, query):
    positions = "".join(
        f"""<position><id>{j["id"]}</id><subcompany>Acme</subcompany><office>{j["city"]}</office>
<department>{escape(j["team"])}</department><recruitingCategory>Tech</recruitingCategory>
<name>{escape(j["title"])}</name><jobDescriptions><jobDescription><name>Your tasks</name>
<value><![CDATA[{j["description"]}]]></value></jobDescription></jobDescriptions>
<employmentType>permanent</employmentType><seniority>experienced</seniority>
<schedule>full-time</schedule><yearsOfExperience>1-2</yearsOfExperience>
<keywords>python</keywords><occupation>software</occupation>
<occupationCategory>it</occupationCategory><createdAt>2026-11-02T10:00:00+00:00</createdAt>
</position>"""
        for j in board.jobs
    )
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<workzag-jobs>{positions}</workzag-jobs>'
    return 200, {"Content-Type": "application/xml"}, body.encode()


def _jobposting(board, j):
    return {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": j["title"],
        "description": j["description"],
        "identifier": {"@type": "PropertyValue", "name": "Acme", "value": j["id"]},
        "datePosted": "2026-11-02",
        "employmentType": "FULL_TIME",
        "hiringOrganization": {"@type": "Organization", "name": "Acme"},
        "jobLocation": {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressLocality": j["city"],
                        "addressCountry": j["country"]},
        },
        "baseSalary": {"@type": "MonetaryAmount", "currency": j["salary"][2],
                       "value": {"@type": "QuantitativeValue", "minValue": j["salary"][0],
                                 "maxValue": j["salary"][1], "unitText": "YEAR"}},
        "url": f"{board.url}/jsonld/jobs/{j['id']}",
        **j.get("ld", {}),  # a test's extra or hostile properties (validThrough, …)
    }  # fmt: skip


def jsonld(board, path, query):
    if path.endswith("sitemap.xml"):
        locs = "".join(
            f"<url><loc>{board.url}/jsonld/jobs/{j['id']}</loc></url>" for j in board.jobs
        )
        body = ('<?xml version="1.0" encoding="UTF-8"?><urlset '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>')  # fmt: skip
        return 200, {"Content-Type": "application/xml"}, body.encode()
    ident = path.rstrip("/").rsplit("/", 1)[-1]
    j = next((j for j in board.jobs if j["id"] == ident), None)
    if j is None:
        return 404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>"
    block = json.dumps(_jobposting(board, j))
    body = (f"<!doctype html><html><head><title>{escape(j['title'])}</title>"
            f'<script type="application/ld+json">{block}</script></head>'
            f"<body><h1>{escape(j['title'])}</h1></body></html>")  # fmt: skip
    return 200, {"Content-Type": "text/html; charset=utf-8"}, body.encode()


def feed(board, path, query):
    items = "".join(
        f"""<item><title>{escape(j["title"])}</title><link>{board.url}/feed/{j["id"]}</link>
<guid isPermaLink="false">job-{j["id"]}</guid><description>{escape(j["description"])}</description>
<pubDate>Mon, 02 Nov 2026 10:00:00 +0000</pubDate></item>"""
        for j in board.jobs
    )
    body = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Acme jobs'
            f"</title><link>{board.url}/</link><description>Jobs</description>{items}"
            "</channel></rss>")  # fmt: skip
    return 200, {"Content-Type": "application/rss+xml"}, body.encode()


SHAPES = {
    "greenhouse": (greenhouse, "/greenhouse/v1/boards/acme/jobs?content=true"),
    "lever": (lever, "/lever/v0/postings/acme?mode=json"),
    "ashby": (ashby, "/ashby/posting-api/job-board/acme?includeCompensation=true"),
    "workable": (workable, "/workable/api/v1/widget/accounts/acme?details=true"),
    "smartrecruiters": (smartrecruiters, "/smartrecruiters/v1/companies/acme/postings"),
    "recruitee": (recruitee, "/recruitee/api/offers/"),
    "personio": (personio, "/personio/xml?language=en"),
    "jsonld": (jsonld, "/jsonld/sitemap.xml"),
    "feed": (feed, "/feed/jobs.rss"),
}


def json_answer(value) -> tuple[int, dict, bytes]:
    return 200, {"Content-Type": "application/json"}, json.dumps(value).encode()


FAULTS = ("500", "429", "timeout", "html", "malformed", "truncated", "huge", "huge_stream")


class Board:
    def __init__(self) -> None:
        self.jobs: list[dict] = [job(n) for n in range(1, 4)]
        self.fault: str | None = None
        self.fault_times: int | None = None  # the fault clears after this many answers
        self.requests: list[tuple[str, dict]] = []
        self.retry_after = "1"
        self.stall = 3.0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def endpoint(self, kind: str) -> str:
        return self.url + SHAPES[kind][1]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, path: str, query: dict, headers: dict) -> tuple[int, dict, bytes]:
        if self.fault and self.fault_times is not None:
            if self.fault_times <= 0:
                self.fault = self.fault_times = None
            else:
                self.fault_times -= 1
        if self.fault == "500":
            return 500, {"Content-Type": "text/plain"}, b"Internal Server Error"
        if self.fault == "429":
            return 429, {"Retry-After": self.retry_after}, b"slow down"
        if self.fault == "timeout":
            time.sleep(self.stall)
        if self.fault == "html":
            return 200, {"Content-Type": "text/html"}, b"<!doctype html><h1>Sign in</h1>"
        kind = path.strip("/").split("/")[0]
        status, head, body = SHAPES[kind][0](self, path, query)
        if self.fault == "malformed" and body[:1] in (b"{", b"["):
            body = body.replace(b'"', b"'", 3)
        if self.fault == "truncated":
            body = body[: len(body) // 2]
        if self.fault in ("huge", "huge_stream"):
            body = body[:1] + b" " * (20 * 2**20) + body[1:]
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        head = {**head, "ETag": etag}
        if status == 200 and headers.get("If-None-Match") == etag:
            return 304, {"ETag": etag}, b""
        return status, head, body

    def _handler(self):
        board = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                parts = urlsplit(self.path)
                board.requests.append((self.path, dict(self.headers)))
                try:
                    status, headers, body = board.answer(
                        parts.path, parse_qs(parts.query), dict(self.headers)
                    )
                except (StopIteration, KeyError):
                    status, headers, body = 404, {}, b"not found"
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    if board.fault != "huge_stream":  # else the body runs until the socket closes
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        return Handler
