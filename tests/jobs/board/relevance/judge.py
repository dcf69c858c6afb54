"""How `judgments.json` was made: graded relevance of the demo postings for each query.

    DEBUG=1 .venv/bin/python manage.py shell -c "from tests.jobs.board.relevance.judge import main; main()"

on a database holding the demo board (`seed_jobs_demo`). Run it again only when the demo's
generator changes; the file is the reference the ranking is measured against.

The grades follow what a job seeker means, judged on the demo generator's own structure (its
section headings), not on the search's vector or the summary engine:

- 3: the word is in the title (the role itself: "data engineer" → "Senior Data Engineer");
- 2: the word is a required qualification (the "Requirements" / "Qualifications" section);
- 1: the word is only mentioned (the description's other parts, "Nice to have" included);

and a query of several words takes its weakest word's grade ("senior python": "senior" in the
title, Python required → 2). Words are matched as a reader would, whole words with a plural
ending, not through the search's stemmer ("accountant" is not an "Account Executive"), on
published postings only. Postings are keyed by their stable
demo key (`external_id`) with title and company, never a database id.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

QUERIES = [
    # skills
    "python", "kubernetes", "react", "sql", "excel", "figma", "pytorch", "kafka", "aws",
    "terraform", "salesforce", "zendesk", "typescript", "django", "java", "airflow",
    "snowflake", "tableau", "hubspot", "sap", "ifrs", "docker", "seo", "agile",
    # roles
    "data engineer", "machine learning engineer", "product designer", "site reliability engineer",
    "registered nurse", "account executive", "financial analyst", "backend engineer",
    "frontend engineer", "data scientist", "product manager", "payroll", "ux researcher",
    "security engineer", "teacher", "accountant", "engineer", "analyst", "designer", "intern",
    "machine learning", "customer support", "marketing manager", "nurse",
    # a level or a second skill with a skill or a role
    "senior python", "python django", "senior backend engineer", "junior data analyst",
]  # fmt: skip

NEEDS = {"requirements", "what we're looking for", "qualifications", "minimum qualifications"}
_HEADING = re.compile(r"<h[1-6]>(.*?)</h[1-6]>", re.S)
PATH = Path(__file__).with_name("judgments.json")


def _sections(description: str) -> tuple[str, str]:
    """(required section, everything else) of a demo description."""
    parts = _HEADING.split(description)
    needs, other = [], [parts[0]]
    for heading, body in zip(parts[1::2], parts[2::2], strict=True):
        (needs if heading.strip().lower() in NEEDS else other).append(body)
    return " ".join(needs), " ".join(other)


def _has(word: str, text: str) -> bool:
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.search(rf"(?<!\w){re.escape(word)}(s|es)?(?!\w)", text, re.I) is not None


def judge(cursor, query: str) -> list[dict]:
    from jobs.demo import DEMO_SOURCE

    words = query.split()
    cursor.execute(
        """SELECT p.external_id, p.title, c.name, p.description FROM jobs_posting p
           JOIN jobs_company c ON c.id = p.company_id
           WHERE p.source = %s AND p.status = 'published' ORDER BY p.external_id""",
        [DEMO_SOURCE],
    )
    out = []
    for key, title, company, description in cursor.fetchall():
        needs, other = _sections(description)
        grade = 3
        for word in words:
            in_title, in_needs, in_other = (_has(word, t) for t in (title, needs, other))
            grade = min(grade, 3 if in_title else 2 if in_needs else 1 if in_other else 0)
        if grade:
            out.append({"key": key, "title": title, "company": company, "grade": grade})
    return sorted(out, key=lambda j: (-j["grade"], j["key"]))


def dumps(data: dict) -> str:
    """One line per query and per judged posting: a reviewable diff."""
    lines = ['{"queries": [']
    for i, item in enumerate(data["queries"]):
        lines.append(f' {{"q": {json.dumps(item["q"])}, "relevant": [')
        rows = [json.dumps(j, ensure_ascii=False) for j in item["relevant"]]
        lines += [f"  {row}," for row in rows[:-1]] + [f"  {rows[-1]}"]
        lines.append("  ]}" + ("," if i < len(data["queries"]) - 1 else ""))
    return "\n".join(lines) + "\n]}\n"


def main() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        data = {"queries": [{"q": q, "relevant": judge(cursor, q)} for q in QUERIES]}
    PATH.write_text(dumps(data))
    for item in data["queries"]:
        grades = [j["grade"] for j in item["relevant"]]
        print(f"{item['q']:<28} " + " ".join(f"{g}:{grades.count(g)}" for g in (3, 2, 1)))
