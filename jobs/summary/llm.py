"""Optional engine: any OpenAI-compatible chat endpoint, checked against the posting.

Set SUMMARY_LLM_URL (a base such as http://localhost:11434/v1, or the full
…/chat/completions URL), SUMMARY_LLM_MODEL and, if the endpoint wants one, SUMMARY_LLM_KEY.
The model is asked for JSON. Nothing it says is trusted: every item must be supported by a
sentence of the posting (its words, and every number in it, are found there) and keeps that
sentence's span; skills must be named in the text. Anything unsupported is dropped. Facts come
from the local engine's patterns, completed by the model's only where they are supported. On an
error, a time-out or an answer with nothing supported, the local engine's summary is returned.
"""

from __future__ import annotations

import json
import logging
import os
import re
import urllib.error
import urllib.request
from typing import Any

from jobs.summary import facts as fact_patterns
from jobs.summary.engine import LIST_SECTIONS, summarize_local
from jobs.summary.skills import TOKEN, vocabulary
from jobs.summary.text import HEADING, MAX_TEXT, parse, sentences
from jobs.summary.types import Fact, Item, Skill, Summary

logger = logging.getLogger(__name__)

MAX_PROMPT_CHARS = 12_000
MIN_COVERAGE = 0.75
_STOP = set(
    ["a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "as", "at", "by", "from", "is", "are", "be", "will", "you", "your", "we", "our", "us", "this", "that", "it", "its", "their", "they", "who", "what", "which", "have", "has", "can", "may", "must", "should", "would", "could", "into", "about", "such", "other", "e", "g", "i", "etc", "also", "well"]
)  # fmt: skip

SYSTEM_PROMPT = (
    "You summarize job postings. Answer with one JSON object and nothing else, with these keys: "
    '"overview" (two sentences about the role), "responsibilities", "required", "preferred", '
    '"benefits" (lists of short strings), "skills" (list of skill names), and "facts" (an object '
    "with any of: employment_type, level, years_experience, education, workplace, locations, "
    "salary, deadline, review_policy, application_limit). Quote or closely paraphrase the "
    "posting; never add anything the posting does not say; leave out equal-opportunity "
    "statements and marketing."
)


def llm_settings() -> dict[str, Any] | None:
    try:
        from django.conf import settings

        url = getattr(settings, "SUMMARY_LLM_URL", "")
        model = getattr(settings, "SUMMARY_LLM_MODEL", "")
        key = getattr(settings, "SUMMARY_LLM_KEY", "")
        timeout = float(getattr(settings, "SUMMARY_LLM_TIMEOUT", 8))
    except Exception:  # settings not configured (a script): read the environment
        url = os.environ.get("SUMMARY_LLM_URL", "")
        model = os.environ.get("SUMMARY_LLM_MODEL", "")
        key = os.environ.get("SUMMARY_LLM_KEY", "")
        timeout = float(os.environ.get("SUMMARY_LLM_TIMEOUT", "8"))
    if not url:
        return None
    return {"url": url, "model": model, "key": key, "timeout": timeout}


def _endpoint(url: str) -> str:
    url = url.rstrip("/")
    return url if url.endswith("/chat/completions") else url + "/chat/completions"


def ask(text: str, title: str, *, url: str, model: str, key: str, timeout: float) -> dict:
    """The model's JSON answer (raises on any transport or format problem)."""
    body = {
        "model": model,
        "temperature": 0,
        "response_format": {"type": "json_object"},
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"Title: {title}\n\n{text[:MAX_PROMPT_CHARS]}"},
        ],
    }
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(  # noqa: S310 - the operator's configured endpoint
        _endpoint(url), data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        payload = json.loads(response.read(2_000_000))
    content = payload["choices"][0]["message"]["content"]
    content = re.sub(r"^```(?:json)?\s*|\s*```$", "", content.strip())
    answer = json.loads(content)
    if not isinstance(answer, dict):
        raise ValueError("the model did not answer with a JSON object")
    return answer


def _words(text: str) -> set[str]:
    return {w for w in (t.lower() for t in TOKEN.findall(text)) if w not in _STOP}


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,]\d+)?", text))


class _Checker:
    """Finds the sentence of the posting that supports a claim."""

    def __init__(self, text: str, blocks):
        self.text = text
        self.lower = text.lower()
        self.sentences = [
            (s, _words(s.text), _numbers(s.text))
            for b in blocks
            if b.kind != HEADING
            for s in sentences(b)
        ]  # fmt: skip

    def support(self, claim: str, min_coverage: float = MIN_COVERAGE) -> tuple[int, int] | None:
        claim = " ".join(str(claim or "").split())
        if not claim or len(claim) > 600:
            return None
        at = self.lower.find(claim.lower())
        if at >= 0:
            return at, at + len(claim)
        words, numbers = _words(claim), _numbers(claim)
        if not words:
            return None
        best, best_score = None, 0.0
        for s, s_words, s_numbers in self.sentences:
            if not numbers <= s_numbers:
                continue
            score = len(words & s_words) / len(words)
            if score > best_score:
                best, best_score = s, score
        if best is None or best_score < min_coverage:
            return None
        return best.start, best.end


def _strings(value: Any, limit: int = 15) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [str(v).strip() for v in value if isinstance(v, str | int | float) and str(v).strip()][
        :limit
    ]


def _checked(answer: dict, text: str, blocks, title: str, local: Summary, model: str) -> Summary:
    check = _Checker(text, blocks)
    summary = Summary(
        engine=f"llm:{model or 'default'}", version=local.version, title=title,
        text_length=local.text_length, text_sha1=local.text_sha1,
    )  # fmt: skip
    for name in ("overview", *LIST_SECTIONS):
        items = summary.section(name)
        for claim in _strings(answer.get(name), 2 if name == "overview" else 15):
            if span := check.support(claim):
                items.append(Item(text=claim, start=span[0], end=span[1]))
            else:
                logger.info("summary: dropped an unsupported %s item: %r", name, claim[:120])
    local_skills = {s.name: s for s in local.skills}
    mentions: dict[str, Any] = {}
    for m in vocabulary().find(text):
        mentions.setdefault(m.entry.name, m)
    seen = set()
    for raw in _strings(answer.get("skills"), 40):
        name = vocabulary().canonical(raw)
        if name in seen:
            continue
        if name in local_skills:
            summary.skills.append(local_skills[name])
        elif name in mentions:
            m = mentions[name]
            summary.skills.append(Skill(name, m.entry.category, m.start, m.end))
        elif (at := re.search(rf"(?<!\w){re.escape(raw)}(?!\w)", text, re.I)) is not None:
            summary.skills.append(Skill(raw, "other", at.start(), at.end()))
        else:
            logger.info("summary: dropped an unsupported skill: %r", raw[:60])
            continue
        seen.add(name)
    facts = {f.key: f for f in local.facts}
    raw_facts = answer.get("facts")
    answer_facts = raw_facts if isinstance(raw_facts, dict) else {}
    for key, raw in answer_facts.items():
        if (
            key in facts
            or key not in fact_patterns.LABELS
            or not isinstance(raw, str | int | float)
        ):
            continue
        value = str(raw).strip()
        if value and (span := check.support(value, 0.6)):
            facts[key] = Fact(key, fact_patterns.LABELS[key], value, None, span[0], span[1])
    order = {k: i for i, k in enumerate(fact_patterns.ORDER)}
    summary.facts = sorted(facts.values(), key=lambda f: order.get(f.key, 99))
    return summary


def summarize_llm(
    posting_text: str, title: str = "", known_facts: dict | None = None, *,
    url: str, model: str = "", key: str = "", timeout: float = 8.0,
) -> Summary:  # fmt: skip
    local = summarize_local(posting_text, title, known_facts)
    if not local.ok:
        return local
    text, blocks = parse(posting_text)
    try:
        answer = ask(text[:MAX_TEXT], title, url=url, model=model, key=key, timeout=timeout)
        summary = _checked(answer, text, blocks, title, local, model)
    except (
        OSError,
        urllib.error.URLError,
        TimeoutError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
    ) as exc:
        logger.warning("summary: the LLM engine failed (%s); using the local engine", exc)
        return local
    if not any(summary.section(n) for n in ("overview", *LIST_SECTIONS)):
        logger.warning("summary: nothing the LLM said was supported; using the local engine")
        return local
    return summary
