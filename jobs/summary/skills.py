"""The skills vocabulary (data/skills.tsv) and finding its skills in a text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "skills.tsv"

TOKEN = re.compile(
    r"\.?[A-Za-z0-9\u00c0-\u024f](?:[A-Za-z0-9\u00c0-\u024f+#&]|[.\-/'’](?=[A-Za-z0-9]))*[+#]*"
)
TECHNICAL = {"language", "web", "mobile", "data", "ml", "cloud", "devops", "database", "security"}
_LEAD_IN = re.compile(
    r"(experience|proficien\w*|knowledge|skills?|fluent|expertise) (with|in|of) $", re.I
)
_CONTEXT = re.compile(r"program|language|coding|\bcode\b|develop|engineer|scripting|software", re.I)


@dataclass(frozen=True)
class Entry:
    name: str
    category: str
    needs_context: bool


@dataclass
class Mention:
    entry: Entry
    start: int
    end: int


def _key(tokens: list[str]) -> str:
    return " ".join(t.lower().replace("’", "'") for t in tokens)


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


class Vocabulary:
    def __init__(self, rows: list[tuple[str, str, list[str], set[str]]]):
        self.insensitive: dict[str, Entry] = {}
        self.sensitive: dict[str, Entry] = {}
        self.folded: dict[str, Entry] = {}  # every name and alias, case folded: for profiles
        self.entries: dict[str, Entry] = {}
        self.max_tokens = 1
        # For each first token (folded), the longest form that starts with it: most tokens of a
        # text start no skill and cost one dictionary look-up.
        self.starts: dict[str, int] = {}
        for name, category, aliases, flags in rows:
            entry = Entry(name, category, "ctx" in flags)
            self.entries[name.lower()] = entry
            forms = [] if "noname" in flags else [("=" + name) if "cs" in flags else name]
            for form in forms + aliases:
                sensitive = form.startswith("=")
                toks = _tokens(form[1:] if sensitive else form)
                if not toks:
                    continue
                self.max_tokens = max(self.max_tokens, len(toks))
                first = toks[0].lower().replace("’", "'")
                self.starts[first] = max(self.starts.get(first, 0), len(toks))
                if len(toks) == 1 and "-" in first:
                    head = first.split("-")[0]
                    self.starts.setdefault(head, 0)
                if sensitive:
                    self.sensitive.setdefault(" ".join(toks), entry)
                else:
                    self.insensitive.setdefault(_key(toks), entry)
                self.folded.setdefault(_key(toks), entry)
            self.folded.setdefault(_key(_tokens(name)), entry)

    def __len__(self) -> int:
        return len(self.entries)

    def canonical(self, skill: str) -> str:
        """The vocabulary's name for a skill ("k8s" → "Kubernetes"); unknown skills are kept."""
        skill = " ".join((skill or "").split())
        entry = self.folded.get(_key(_tokens(skill)))
        return entry.name if entry else skill

    def find(self, text: str) -> list[Mention]:
        spans = [(m.start(), m.end(), m.group(0)) for m in TOKEN.finditer(text)]
        words = [s[2] for s in spans]
        lowered = [w.lower().replace("’", "'") for w in words]
        out: list[Mention] = []
        i, n = 0, len(spans)
        starts = self.starts
        while i < n:
            longest = starts.get(lowered[i])
            if longest is None:
                if "-" in lowered[i] or (lowered[i].endswith("s") and lowered[i][:-1] in starts):
                    longest = 1
                else:
                    i += 1
                    continue
            hit = None
            for size in range(min(max(longest, 1), n - i), 0, -1):
                key = " ".join(lowered[i : i + size])
                entry = self.insensitive.get(key) or self.sensitive.get(
                    " ".join(words[i : i + size])
                )
                if entry is None and size == 1 and len(key) > 4 and key.endswith("s"):
                    entry = self.insensitive.get(key[:-1])
                if entry:
                    hit = (entry, size)
                    break
            if hit:
                entry, size = hit
                out.append(Mention(entry, spans[i][0], spans[i + size - 1][1]))
                i += size
                continue
            if "-" in words[i]:  # "PostgreSQL-Datenbanken", "React-based"
                head = words[i].split("-")[0]
                entry = self.insensitive.get(head.lower()) or self.sensitive.get(head)
                if entry:
                    out.append(Mention(entry, spans[i][0], spans[i][0] + len(head)))
            i += 1
        return [m for m in out if not m.entry.needs_context or _has_context(m, out, text)]


def _has_context(m: Mention, mentions: list[Mention], text: str) -> bool:
    """ "Go", "R", "Swift"… count only near programming words and not to open a sentence."""
    before = text[: m.start].rstrip()
    if not before or before[-1] in ".!?:\n•":
        return False
    lo, hi = max(0, m.start - 60), m.end + 60
    if _CONTEXT.search(text[lo:hi]):
        return True
    if _LEAD_IN.search(text[lo : m.start]):
        return True
    return any(
        o is not m and o.entry.category in TECHNICAL and not o.entry.needs_context
        and lo <= o.start <= hi
        for o in mentions
    )  # fmt: skip


def load_rows(path: Path = DATA) -> list[tuple[str, str, list[str], set[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + ["", "", ""]
        name, category, aliases, flags = cols[0], cols[1], cols[2], cols[3]
        rows.append(
            (
                name,
                category,
                [a for a in aliases.split("|") if a],
                set(filter(None, flags.split(","))),
            )
        )
    return rows


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return Vocabulary(load_rows())


def canonical_skill(skill: str) -> str:
    return vocabulary().canonical(skill)
