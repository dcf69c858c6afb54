"""How well a profile's skills match a summary's: matched, missing, a score and one line."""

from __future__ import annotations

from jobs.summary.skills import vocabulary
from jobs.summary.types import Match, Summary

WEIGHTS = {"required": 3, "mentioned": 2, "preferred": 1}


def _names(names: list[str], limit: int = 3) -> str:
    shown = names[:limit]
    more = len(names) - len(shown)
    text = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1]
    return text + (f" and {more} more" if more > 0 else "")


def match_skills(summary: Summary | dict | None, profile_skills: list[str] | None) -> Match:
    if not isinstance(summary, Summary):
        summary = Summary.from_dict(summary or {})
    vocab = vocabulary()
    have = {vocab.canonical(s).casefold() for s in profile_skills or [] if s and s.strip()}
    # Soft skills count only when the posting requires them ("Collaborate with…" is no skill gap).
    skills = [k for k in summary.skills if k.category != "soft" or k.importance == "required"]
    if not skills:
        return Match(0, "The posting names no skills we recognise.")
    matched = [k.name for k in skills if k.name.casefold() in have]
    core = [k for k in skills if k.importance != "preferred"]
    preferred = [k for k in skills if k.importance == "preferred"]
    missing_required = [k.name for k in core if k.name.casefold() not in have]
    missing_preferred = [k.name for k in preferred if k.name.casefold() not in have]
    if not have:
        return Match(
            0, "Add skills to your profile to see how well you match.", [], missing_required,
            missing_preferred,
        )  # fmt: skip
    total = sum(WEIGHTS[k.importance] for k in skills)
    got = sum(WEIGHTS[k.importance] for k in skills if k.name.casefold() in have)
    score = round(100 * got / total)
    line = f"You have {len(core) - len(missing_required)} of {len(core)} key skills"
    if preferred:
        line += f" and {len(preferred) - len(missing_preferred)} of {len(preferred)} nice-to-haves"
    if missing_required:
        line += f"; missing {_names(missing_required)}."
    else:
        line += "." if missing_preferred or not core else ": every key skill."
    return Match(score, line, matched, missing_required, missing_preferred)
