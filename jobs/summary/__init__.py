"""Structured, cited job summaries and the skill match.

    summarize(posting_text, title, known_facts, company) -> Summary
    match_skills(summary, profile_skills) -> Match

Every item of a summary keeps the span (start, end) of the text it came from: character offsets
into `source_text(posting_text)`, the posting's blocks one per line (see jobs/summary/text.py).
"""

from jobs.summary.text import source_text
from jobs.summary.types import Fact, Item, Match, Skill, Summary

# Bump when the engine's output changes: `manage.py resummarize` recomputes older summaries.
ENGINE_VERSION = 2  # 2: skills from sentences about the company are left out


def summarize(
    posting_text: str, title: str = "", known_facts: dict | None = None, company: str = ""
) -> Summary:
    """The summary of a posting (sanitized HTML, Markdown or plain text). Uses the LLM engine
    when SUMMARY_LLM_URL is set, the local engine otherwise or when the LLM fails. Never raises
    on any text: a posting with too little text gives status "insufficient". `company` is the
    employer's name: sentences about the company give no skills."""
    from jobs.summary.engine import summarize_local
    from jobs.summary.llm import llm_settings, summarize_llm

    settings = llm_settings()
    if settings:
        return summarize_llm(posting_text, title, known_facts, **settings)
    return summarize_local(posting_text, title, known_facts, company)


def match_skills(summary: Summary | dict, profile_skills: list[str]) -> Match:
    from jobs.summary.match import match_skills as _match

    return _match(summary, profile_skills)


__all__ = ["ENGINE_VERSION", "Fact", "Item", "Match", "Skill", "Summary", "match_skills",
           "source_text", "summarize"]  # fmt: skip
