"""The summary's data: plain dataclasses, stored as JSON on Posting.summary."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

STATUS_OK = "ok"
STATUS_INSUFFICIENT = "insufficient"

SECTIONS = ("responsibilities", "required", "preferred", "benefits")
SECTION_LABELS = {
    "responsibilities": "Responsibilities",
    "required": "Required qualifications",
    "preferred": "Preferred qualifications",
    "benefits": "Benefits",
}


@dataclass
class Item:
    """A point of the summary. `start`/`end` are character offsets into the summary's source
    text (see jobs.summary.text.source_text); for the local engine text == source[start:end]."""

    text: str
    start: int
    end: int


@dataclass
class Skill:
    name: str  # canonical name from the vocabulary
    category: str
    start: int  # first mention in the source text
    end: int
    importance: str = "mentioned"  # required | preferred | mentioned


@dataclass
class Fact:
    key: str
    label: str
    value: str  # human-readable
    data: Any = None  # structured (numbers, ISO dates, codes)
    start: int | None = None  # None: from the posting's own fields, not from its text
    end: int | None = None
    source: str = "text"  # text | posting


@dataclass
class Summary:
    engine: str
    version: int
    status: str = STATUS_OK
    message: str = ""
    title: str = ""
    overview: list[Item] = field(default_factory=list)
    responsibilities: list[Item] = field(default_factory=list)
    required: list[Item] = field(default_factory=list)
    preferred: list[Item] = field(default_factory=list)
    benefits: list[Item] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    text_length: int = 0
    text_sha1: str = ""

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK

    @property
    def overview_text(self) -> str:
        return " ".join(item.text for item in self.overview)

    def fact(self, key: str) -> Fact | None:
        return next((f for f in self.facts if f.key == key), None)

    def section(self, name: str) -> list[Item]:
        return getattr(self, name)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        data = dict(data or {})
        known = set(cls.__dataclass_fields__)
        kwargs = {k: v for k, v in data.items() if k in known}
        for name in ("overview", *SECTIONS):
            kwargs[name] = [Item(**i) for i in kwargs.get(name) or []]
        kwargs["skills"] = [Skill(**s) for s in kwargs.get("skills") or []]
        kwargs["facts"] = [Fact(**f) for f in kwargs.get("facts") or []]
        kwargs.setdefault("engine", "local")
        kwargs.setdefault("version", 0)
        return cls(**kwargs)


@dataclass
class Match:
    score: int  # 0-100
    explanation: str
    matched: list[str] = field(default_factory=list)
    missing_required: list[str] = field(default_factory=list)
    missing_preferred: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
