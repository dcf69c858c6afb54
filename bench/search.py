"""Search benchmark: N synthetic postings, p50/p95 of the search SQL and of the /jobs/ page.

    .venv/bin/python bench/search.py --rows 100000 --compare-ranking   # previous ranking too
    .venv/bin/python bench/search.py --rows 1000000 --reps 10 --compare-ranking --database bench_jobtrail_1m
    .venv/bin/python bench/search.py --rows 2000000 --reps 10 --database bench_jobtrail_2m
    .venv/bin/python bench/search.py --growth      # each shape's p95 at every size measured

The data lives in a database of its own (`bench_jobtrail` by default) on the embedded PostgreSQL,
or on the server of DATABASE_URL when it is set. It is built with SQL (generate_series over a
Zipf-like vocabulary: word rank r is drawn with probability ~1/r), then indexed, vacuumed and
analyzed; a second run with the same --rows reuses it (--rebuild forces a new build).

Times: "SQL" is every query of one search, measured around the database calls; "main query" is
the one pass over the capped matches that gives the count, every facet and the page's ids; "walk"
is the date-index walk used for newest-first over many matches; "page" is the whole /jobs/ page
through Django's test client (server time: view, queries, template). The machine's load average
is printed before and after: other work on the same cores inflates every figure.

Each run keeps its p95 per query shape in bench/results/search-<rows>-<ranking>.json; `--growth`
prints them side by side (100,000 → 1,000,000 → 2,000,000 postings), with each shape's growth
factor from the smallest size to the largest. `--compare-ranking` measures the same data with
the previous relevance ranking (weighted `ts_rank` alone) and the current one (`RANK_SQL`:
tiers, the title as typed, weighted `ts_rank`), both over the same bounded candidate set, run
for run in turn.
A different --rows rebuilds the database's data: give each size its own --database to keep it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
# The ranking before issue 17's: weighted ts_rank alone (title A ... description C).
PREVIOUS_RANK_SQL = "ts_rank('{0.05, 0.2, 0.5, 1.0}', search_vector, %(tsq)s::tsquery)"
RARE_WORD = "zanzibarite"  # in exactly 5 postings: appears in no planner statistics
COMMON_WORD = "team"
SENTENCES = 50_000

REAL_WORDS = [
    "team",
    "experience",
    "work",
    "will",
    "you",
    "our",
    "with",
    "skills",
    "data",
    "build",
    "help",
    "product",
    "customers",
    "engineering",
    "develop",
    "design",
    "support",
    "services",
    "systems",
    "software",
    "working",
    "strong",
    "knowledge",
    "ability",
    "projects",
    "development",
    "business",
    "technical",
    "years",
    "communication",
    "solutions",
    "environment",
    "new",
    "quality",
    "management",
    "tools",
    "across",
    "ensure",
    "requirements",
    "including",
    "related",
    "processes",
    "opportunity",
    "growth",
    "python",
    "java",
    "javascript",
    "typescript",
    "react",
    "django",
    "sql",
    "cloud",
    "aws",
    "kubernetes",
    "docker",
    "security",
    "testing",
    "analytics",
    "machine",
    "learning",
    "research",
    "infrastructure",
    "platform",
    "mobile",
    "backend",
    "frontend",
    "api",
    "apis",
    "marketing",
    "sales",
    "finance",
    "operations",
    "healthcare",
    "education",
    "remote",
    "hybrid",
    "flexible",
    "benefits",
    "salary",
    "collaborate",
    "stakeholders",
    "deliver",
    "ownership",
    "mentor",
    "scalable",
    "reliable",
    "performance",
    "monitoring",
    "linux",
    "postgresql",
    "redis",
    "kafka",
    "spark",
    "airflow",
    "terraform",
    "golang",
    "rust",
    "kotlin",
    "swift",
    "scala",
    "ruby",
    "rails",
    "php",
    "leadership",
    "agile",
    "scrum",
    "roadmap",
    "customer",
    "success",
    "documentation",
    "accessibility",
    "compliance",
    "privacy",
]


def pseudo_words(n: int, seed: int = 42) -> list[str]:
    rng = random.Random(seed)
    onsets = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
              "br", "cr", "dr", "fl", "gr", "pl", "st", "tr", "sh", "ch", "th"]  # fmt: skip
    vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io"]
    codas = ["", "", "n", "r", "s", "l", "m", "t", "nd", "st", "x"]
    seen = set(REAL_WORDS) | {RARE_WORD}
    out = []
    while len(out) < n:
        word = "".join(
            rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
            for _ in range(rng.randint(2, 3))
        )
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


LEVEL_WORDS = ["Senior ", "Junior ", "Lead ", "Staff ", "Principal ", "", "", "", ""]
FIELD_WORDS = ["Python", "Java", "Data", "Backend", "Frontend", "Machine Learning", "Platform",
               "Security", "Mobile", "Cloud", "Product", "QA", "DevOps", "Full Stack", "Marketing",
               "Sales", "Finance", "Support", "UX", "Research"]  # fmt: skip
ROLE_WORDS = ["Engineer", "Developer", "Analyst", "Manager", "Designer", "Scientist",
              "Specialist", "Consultant", "Architect", "Intern"]  # fmt: skip
CITIES = [("Berlin", "DE"), ("Munich", "DE"), ("Hamburg", "DE"), ("Paris", "FR"), ("Lyon", "FR"),
          ("London", "GB"), ("Manchester", "GB"), ("Amsterdam", "NL"), ("Madrid", "ES"),
          ("Barcelona", "ES"), ("Lisbon", "PT"), ("Dublin", "IE"), ("Zürich", "CH"),
          ("Vienna", "AT"), ("Warsaw", "PL"), ("Prague", "CZ"), ("Stockholm", "SE"),
          ("Copenhagen", "DK"), ("Oslo", "NO"), ("Helsinki", "FI"), ("Milan", "IT"),
          ("Rome", "IT"), ("New York", "US"), ("San Francisco", "US"), ("Austin", "US"),
          ("Seattle", "US"), ("Boston", "US"), ("Toronto", "CA"), ("Vancouver", "CA"),
          ("Mexico City", "MX"), ("São Paulo", "BR"), ("Buenos Aires", "AR"),
          ("Bangalore", "IN"), ("Singapore", "SG"), ("Tokyo", "JP"), ("Seoul", "KR"),
          ("Sydney", "AU"), ("Melbourne", "AU"), ("Auckland", "NZ"), ("Cape Town", "ZA"),
          ("Nairobi", "KE"), ("Lagos", "NG"), ("Tel Aviv", "IL"), ("Dubai", "AE")]  # fmt: skip


def bootstrap(database: str) -> None:
    """Point Django at the bench database (created if missing) and set it up."""
    os.environ.setdefault("JOBTRAIL_TESTING", "1")  # plain static storage, no https redirect
    os.environ["DEBUG"] = "0"  # no query log in memory
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        from config import embedded

        os.environ.update(
            embedded.acquire(
                postgres=not os.environ.get("DATABASE_URL"), redis=not os.environ.get("REDIS_URL")
            )
        )
    import dj_database_url
    import psycopg

    url = os.environ["DATABASE_URL"]
    cfg = dj_database_url.parse(url)
    conninfo = {
        "host": cfg["HOST"], "port": cfg["PORT"] or 5432, "user": cfg["USER"],
        "password": cfg["PASSWORD"] or None, "dbname": "postgres",
    }  # fmt: skip
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{database}"')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


SEARCH_INDEXES = {
    "posting_search_gin": "CREATE INDEX posting_search_gin ON jobs_posting USING gin (search_vector)",
    "posting_title_trgm": "CREATE INDEX posting_title_trgm ON jobs_posting USING gin (title gin_trgm_ops)",
    "posting_published_search_combo": "CREATE INDEX posting_published_search_combo ON jobs_posting "
    "USING gin (countries, workplace, employment_type, level, search_vector) "
    "WHERE status = 'published'",
    "posting_published_newest_filters": "CREATE INDEX posting_published_newest_filters ON "
    "jobs_posting (published_at DESC, id DESC, workplace, employment_type, level) "
    "WHERE status = 'published'",
}


def not_null_extras(cur, table: str, filled: set[str]) -> tuple[str, str]:
    """The NOT NULL columns without a default that the generator does not fill, each with an
    empty value of its type (so a new column in the model does not break the build)."""
    cur.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL",
        [table],
    )
    empty = {"text": "''", "character varying": "''", "integer": "0", "smallint": "0",
             "bigint": "0", "boolean": "false", "jsonb": "'{}'::jsonb",
             "timestamp with time zone": "now()", "date": "current_date",
             "ARRAY": "'{}'"}  # fmt: skip
    extra = [(c, empty.get(t, "''")) for c, t in cur.fetchall() if c not in filled]
    return "".join(f", {c}" for c, _ in extra), "".join(f", {v}" for _, v in extra)


def build(rows: int) -> None:
    from django.db import connection

    from jobs.board.search import refresh_search_terms, refresh_search_vectors

    vocab = REAL_WORDS + pseudo_words(5_000 - len(REAL_WORDS))
    t0 = time.monotonic()
    with connection.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute("DROP TABLE IF EXISTS bench_meta")
        cur.execute(
            "TRUNCATE jobs_posting_locations, jobs_posting, jobs_location, jobs_company, "
            "jobs_companygroup RESTART IDENTITY CASCADE"
        )
        for name in SEARCH_INDEXES:
            cur.execute(f"DROP INDEX IF EXISTS {name}")
        say(f"building {rows:,} postings (vocabulary of {len(vocab):,} words, Zipf-like)")
        cur.execute("DROP TABLE IF EXISTS bench_vocab, bench_sentence")
        cur.execute("CREATE UNLOGGED TABLE bench_vocab (rank int PRIMARY KEY, word text)")
        cur.execute(
            "INSERT INTO bench_vocab SELECT i, w FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, i)",
            [vocab],
        )
        # Sentences of 8-17 words, each word's rank drawn log-uniformly (P(r) ~ 1/r).
        cur.execute("CREATE UNLOGGED TABLE bench_sentence (id int PRIMARY KEY, body text)")
        cur.execute(
            f"""
            INSERT INTO bench_sentence
            SELECT s, (SELECT string_agg(v.word, ' ')
                       FROM (SELECT least({len(vocab)},
                                    floor(exp(random() * ln({len(vocab) + 1}))))::int AS rk,
                                    g + s * 0 AS g
                             FROM generate_series(1, 8 + s % 10) g) x
                       JOIN bench_vocab v ON v.rank = x.rk)
            FROM generate_series(1, {SENTENCES}) s
            """  # noqa: S608 - generator constants only
        )
        company_cols, company_vals = not_null_extras(
            cur, "jobs_company", {"id", "name", "slug", "website", "description", "created_at"}
        )
        cur.execute(
            f"""
            INSERT INTO jobs_company (name, slug, website, description, created_at{company_cols})
            SELECT 'Company ' || initcap(v.word) || ' ' || i, 'company-' || i,
                   'https://example.com', '', now(){company_vals}
            FROM generate_series(1, 2000) i JOIN bench_vocab v ON v.rank = 100 + i
            """  # noqa: S608 - generator constants only
        )
        cur.execute("UPDATE jobs_company SET name_key = lower(name)")
        cur.execute(
            "INSERT INTO jobs_location (city, region, country) "
            "SELECT c, '', k FROM unnest(%s::text[], %s::text[]) AS t(c, k)",
            [[c for c, _ in CITIES], [k for _, k in CITIES]],
        )
        extra_cols, extra_vals = not_null_extras(
            cur, "jobs_posting",
            {"id", "company_id", "title", "slug", "description", "employment_type", "level",
             "workplace", "countries", "salary_min", "salary_max", "salary_currency",
             "salary_period", "status", "published_at", "expires_at", "created_at",
             "updated_at", "search_vector"},
        )  # fmt: skip
        arr = lambda xs: "(ARRAY[" + ",".join("'" + x.replace("'", "''") + "'" for x in xs) + "])"  # noqa: E731
        batch = 100_000
        for lo in range(1, rows + 1, batch):
            hi = min(rows, lo + batch - 1)
            cur.execute(
                f"""
                INSERT INTO jobs_posting (company_id, title, slug, description, employment_type,
                    level, workplace, countries, salary_min, salary_max, salary_currency,
                    salary_period, status, published_at, expires_at, created_at, updated_at
                    {extra_cols})
                SELECT 1 + ((hashint4(i)::bigint + 2147483648) % 2000),
                       t.title, lower(replace(t.title, ' ', '-')),
                       '<p>' || (SELECT string_agg(s.body, '. ') FROM bench_sentence s
                                 WHERE s.id BETWEEN r.start AND r.start + r.k) || '.</p>',
                       (ARRAY['full_time','full_time','full_time','part_time','contract',
                              'internship','temporary'])[1 + floor(r.r1 * 7)::int],
                       (ARRAY['entry','mid','mid','senior','senior','lead','manager',
                              'internship','executive'])[1 + floor(r.r2 * 9)::int],
                       (ARRAY['onsite','onsite','hybrid','hybrid','remote'])[1 + floor(r.r3 * 5)::int],
                       '{{}}', sal, sal + 20000, 'EUR', 'year',
                       CASE WHEN r.r4 < 0.95 THEN 'published' ELSE 'closed' END,
                       r.pub, r.pub + interval '60 days', r.pub, r.pub
                       {extra_vals}
                FROM (SELECT i, (1 + floor(random() * ({SENTENCES} - 12)))::int AS start,
                             (3 + floor(random() * 6))::int AS k,
                             random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                             CASE WHEN random() < 0.7
                                  THEN (30 + floor(random() * 120)) * 1000 END AS sal,
                             now() - random() * interval '60 days' AS pub
                      FROM generate_series({lo}, {hi}) i) r,
                LATERAL (SELECT {arr(LEVEL_WORDS)}[1 + floor(random() * {len(LEVEL_WORDS)} + r.i * 0)::int]
                             || {arr(FIELD_WORDS)}[1 + floor(random() * {len(FIELD_WORDS)})::int]
                             || ' ' || {arr(ROLE_WORDS)}[1 + floor(random() * {len(ROLE_WORDS)})::int]
                             AS title) t
                """  # noqa: S608 - generator constants only
            )
            say(f"  inserted postings {lo:,}-{hi:,}")
        cur.execute(
            "INSERT INTO jobs_posting_locations (posting_id, location_id) "
            "SELECT id, 1 + (hashint4(id::int)::bigint + 2147483648) %% %s FROM jobs_posting "
            "UNION ALL SELECT id, 1 + (hashint4(id::int)::bigint + 2147483655) %% %s FROM jobs_posting WHERE id %% 5 = 0",
            [len(CITIES), len(CITIES)],
        )
        # The rare word: in exactly five postings, spread over the table.
        cur.execute(
            "UPDATE jobs_posting SET description = description || %s, status = 'published' "
            "WHERE id IN (SELECT (%s * g / 6)::int FROM generate_series(1, 5) g)",
            [f"<p>Experience with {RARE_WORD} is a plus.</p>", rows],
        )
    say(f"rows inserted in {time.monotonic() - t0:.0f} s; computing search vectors")
    t1 = time.monotonic()
    refresh_search_vectors()
    say(f"search vectors in {time.monotonic() - t1:.0f} s; building indexes")
    with connection.cursor() as cur:
        cur.execute("SET maintenance_work_mem = '512MB'")
        for sql in SEARCH_INDEXES.values():
            cur.execute(sql)
        cur.execute("DROP TABLE bench_vocab, bench_sentence")
    say("vacuum analyze")
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE jobs_posting")
        cur.execute("VACUUM ANALYZE jobs_posting_locations")
    refresh_search_terms()
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE bench_meta (rows int)")
        cur.execute("INSERT INTO bench_meta VALUES (%s)", [rows])
    say(f"built in {time.monotonic() - t0:.0f} s")


def built_rows() -> int | None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT to_regclass('bench_meta') IS NOT NULL")
        if not cur.fetchone()[0]:
            return None
        cur.execute("SELECT rows FROM bench_meta")
        row = cur.fetchone()
        return row[0] if row else None


QUERIES: list[tuple[str, dict[str, str]]] = [
    ("common word", {"q": COMMON_WORD}),
    ("common word, newest", {"q": COMMON_WORD, "sort": "newest"}),
    ("two words", {"q": "senior python"}),
    ("two words, newest", {"q": "senior python", "sort": "newest"}),
    ("rare word", {"q": RARE_WORD}),
    ("rare word, newest", {"q": RARE_WORD, "sort": "newest"}),
    ("phrase", {"q": '"data engineer"'}),
    ("exclusion", {"q": "python -java"}),
    ("or", {"q": "kafka or airflow"}),
    ("common + country + remote", {"q": COMMON_WORD, "country": "DE", "workplace": "remote"}),
    ("same, newest", {"q": COMMON_WORD, "country": "DE", "workplace": "remote", "sort": "newest"}),
    ("rare + country + remote", {"q": RARE_WORD, "country": "DE", "workplace": "remote"}),
    ("word + salary + posted", {"q": "developer", "salary": "100000", "posted": "7"}),
    ("typo (did you mean)", {"q": "pyhton developper"}),
    ("browse, newest", {}),
    ("browse + 3 filters", {"workplace": "remote", "type": "contract", "level": "senior"}),
    # Disjunctive facets (issue 20): each selected facet adds a capped set without its filter.
    (
        "common + 3 selected facets",
        {"q": COMMON_WORD, "workplace": "remote", "type": "contract", "country": "DE"},
    ),
]


class Timer:
    """Times every database call (execute_wrapper), by the search query's marker comment."""

    def __init__(self):
        self.calls: list[tuple[str, float]] = []
        # Per stats query: were the words checked on the rows or through the index.
        self.words_by: list[str] = []

    @property
    def words_checked(self) -> str:
        return ", then ".join(self.words_by) or "-"

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            kind = "other"
            for marker in ("search:stats", "search:page", "search:suggest"):
                if marker in sql:
                    kind = marker
            if kind == "search:stats" and "search_vector" in sql:
                self.words_by.append("rows" if "ts_match_vq" in sql else "index")
            self.calls.append((kind, (time.perf_counter() - start) * 1000))


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def measure(reps: int, rankings: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    """Print every query shape's figures under each ranking (`RANK_SQL`); return each ranking's
    SQL p95 per shape (and over all queries). With several rankings the runs alternate between
    them, so that other work on the machine weighs on each alike."""
    from django.db import connection
    from django.test import Client

    from jobs.board.search import parse_search_params, search_postings
    from jobs.board.search import sql as search_sql

    client = Client(SERVER_NAME="localhost")
    names = [name for name, _ in rankings]
    totals = {name: {"sql": [], "main": [], "stats": [], "page": []} for name in names}
    p95s: dict[str, dict[str, float]] = {name: {} for name in names}
    width = 28 + (max(len(n) for n in names) + 3 if len(names) > 1 else 0)
    header = (f"{'query':<{width}} {'matches':>13}  {'SQL p50':>7} {'p95':>6}  {'walk p95':>8} "
              f"{'main query p95':>16}  {'page p50':>8} {'p95':>6}  {'words by':<16}")  # fmt: skip
    print()
    print(header)
    print("-" * len(header))
    for label, query in QUERIES:
        params, _ = parse_search_params(query)
        runs = {name: {"sql": [], "main": [], "stats": [], "page": []} for name in names}
        results, words = {}, {}
        for _name, rank_sql in rankings:  # warm-up
            search_sql.RANK_SQL = rank_sql
            search_postings(params)
            client.get("/jobs/?" + urlencode(query))
        for _ in range(reps):
            for name, rank_sql in rankings:
                search_sql.RANK_SQL = rank_sql
                timer = Timer()
                with connection.execute_wrapper(timer):
                    results[name] = search_postings(params)
                words[name] = timer.words_checked
                run = runs[name]
                run["sql"].append(sum(ms for _, ms in timer.calls))
                run["main"].append(sum(ms for k, ms in timer.calls if k == "search:page"))
                run["stats"].append(sum(ms for k, ms in timer.calls if k == "search:stats"))
                start = time.perf_counter()
                response = client.get("/jobs/?" + urlencode(query))
                run["page"].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.status_code
        for name in names:
            run = runs[name]
            p95s[name][label] = pct(run["sql"], 0.95)
            for key, values in run.items():
                totals[name][key] += values
            shown = f"{label} [{name}]" if len(names) > 1 else label
            print(f"{shown:<{width}} {results[name].total_display:>13}  "
                  f"{pct(run['sql'], .5):7.1f} {pct(run['sql'], .95):6.1f}  "
                  f"{pct(run['main'], .95):8.1f} {pct(run['stats'], .95):16.1f}  "
                  f"{pct(run['page'], .5):8.1f} {pct(run['page'], .95):6.1f}  {words[name]:<16}")  # fmt: skip
    print("-" * len(header))
    for name in names:
        t = totals[name]
        shown = f"all queries [{name}]" if len(names) > 1 else "all queries"
        print(f"{shown:<{width}} {'':>13}  {pct(t['sql'], .5):7.1f} {pct(t['sql'], .95):6.1f}  "
              f"{pct(t['main'], .95):8.1f} {pct(t['stats'], .95):16.1f}  "
              f"{pct(t['page'], .5):8.1f} {pct(t['page'], .95):6.1f}")  # fmt: skip
        p95s[name]["all queries"] = pct(t["sql"], 0.95)
        p95s[name]["page (all queries)"] = pct(t["page"], 0.95)
    print()
    print("ms. SQL = all queries of one search (parse, main, walk, rows + snippets, locations,")
    print("did-you-mean); main query = capped count + every facet + the page's ids in one pass;")
    print("walk = the date-index walk, newest first over many matches; page = GET /jobs/ through")
    print(f"Django's test client. {reps} runs per query after one warm-up. Words by: how the main")
    print("query checked the words, row by row (common words) or through the GIN index, or a scan")
    print("that ended short and then the index (jobs/board/search/, _scan_rows).")
    return p95s


def save(rows: int, ranking: str, p95s: dict[str, float]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"search-{rows}-{ranking}.json"
    when = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    path.write_text(json.dumps({"rows": rows, "ranking": ranking, "when": when, "p95": p95s}))
    say(f"saved {path.relative_to(ROOT)}")


def growth(ranking: str = "current") -> None:
    """Each shape's SQL p95 at every size measured (bench/results/), and how it grew."""
    runs = []
    for path in RESULTS.glob(f"search-*-{ranking}.json"):
        runs.append(json.loads(path.read_text()))
    runs.sort(key=lambda run: run["rows"])
    if not runs:
        print(f"no saved results in {RESULTS}: run bench/search.py --rows N first")
        return
    sizes = [f"{run['rows']:,}" for run in runs]
    header = f"{'SQL p95 (ms), ' + ranking + ' ranking':<34}" + "".join(f"{s:>12}" for s in sizes)
    print(header + f"{'growth':>9}")
    print("-" * (len(header) + 9))
    for label in runs[-1]["p95"]:
        values = [run["p95"].get(label) for run in runs]
        cells = "".join(f"{v:12.1f}" if v is not None else f"{'-':>12}" for v in values)
        first, last = values[0], values[-1]
        factor = f"{last / first:8.1f}x" if first and last is not None else f"{'-':>9}"
        print(f"{label:<34}{cells}{factor}")
    print("when: " + ", ".join(f"{run['rows']:,} {run['when']}" for run in runs))


def describe_data() -> str:
    """What was measured: how many postings, which database and server, how many CPUs."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), count(*) FILTER (WHERE status = 'published') FROM jobs_posting"
        )
        total, published = cur.fetchone()
        cur.execute("SELECT version()")
        version = cur.fetchone()[0].split(" on ")[0]
    return (f"{total:,} postings ({published:,} published) in database "
            f"{connection.settings_dict['NAME']}; {version}; {os.cpu_count()} CPUs")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--database", default="bench_jobtrail")
    parser.add_argument("--rebuild", action="store_true", help="rebuild even if the data exists")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument(
        "--compare-ranking", action="store_true", help="measure the previous ranking too"
    )
    parser.add_argument("--growth", action="store_true", help="print the saved p95s by size")
    args = parser.parse_args()
    if args.growth:
        growth("current")
        if any(RESULTS.glob("search-*-previous.json")):
            print()
            growth("previous")
        return
    bootstrap(args.database)

    if args.rebuild or built_rows() != args.rows:
        build(args.rows)
    say(describe_data())
    if not args.build_only:
        from jobs.board.search import sql as search_sql

        rankings = [("current", search_sql.RANK_SQL)]
        if args.compare_ranking:
            rankings.insert(0, ("previous", PREVIOUS_RANK_SQL))
        say(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        for ranking, p95s in measure(args.reps, rankings).items():
            save(args.rows, ranking, p95s)
        search_sql.RANK_SQL = rankings[-1][1]
        say(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        growth("current")


if __name__ == "__main__":
    main()
