"""What extraction finds on a page: plain data, no Django models."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime


@dataclass
class Clip:
    url: str = ""
    canonical_url: str = ""
    title: str = ""
    company: str = ""
    locations: list[str] = field(default_factory=list)
    workplace: str = ""  # "remote" | "hybrid" | "onsite" | ""
    employment_type: str = ""
    salary: str = ""  # as shown: "USD 120,000–150,000 a year"
    salary_data: dict | None = None  # currency, min, max, unit
    date_posted: date | None = None
    valid_through: datetime | None = None
    apply_url: str = ""
    description_html: str = ""  # sanitized (nh3)
    description_text: str = ""  # chrome stripped; what the summary runs on
    source: str = ""  # "json-ld" | "microdata" | "rdfa" | "text"

    @property
    def location(self) -> str:
        return "; ".join(self.locations)

    def missing(self) -> list[str]:
        """The fields a job cannot be saved without."""
        return [name for name in ("title", "company") if not getattr(self, name)]

    def as_json(self) -> dict:
        data = asdict(self)
        data["date_posted"] = self.date_posted.isoformat() if self.date_posted else None
        data["valid_through"] = self.valid_through.isoformat() if self.valid_through else None
        del data["description_html"]
        return data
