"""`{% kept key [key ...] %}…{% endkept %}`: the block rendered once per key and kept in this process.

For the parts of a search page that many renders share: a result card's company line and facts
(the same posting shows on many pages), the currency list of the filters. The Django template
engine costs about 30 Python calls per variable it places, so a card's facts (a dozen variables,
a loop, a template tag) cost ~400 calls on every render; kept, one lookup.

The key must hold every value the block shows: it is the only notion of freshness here (no
expiry, nothing to invalidate: a changed value makes a new key, and the old entry ages out when
the store starts over past `MAX_KEPT` entries). Each block keeps its own entries, and the
language, time zone and autoescape/localize state of the render are part of the key. Kept per
process, like the compiled templates: nothing to share between processes.
"""

from __future__ import annotations

import itertools

from django import template
from django.template.base import FilterExpression, Node, NodeList
from django.utils import timezone, translation

register = template.Library()

MAX_KEPT = 20_000  # a few MB of HTML at most
_KEPT: dict[tuple, str] = {}
_BLOCK_IDS = itertools.count()


class KeptNode(Node):
    def __init__(self, keys: list[FilterExpression], nodelist: NodeList):
        self.keys = keys
        self.nodelist = nodelist
        self.block_id = next(_BLOCK_IDS)  # not id(self): a freed node's id can be reused

    def render(self, context) -> str:
        key = (
            self.block_id,
            tuple(key.resolve(context) for key in self.keys),
            translation.get_language(),
            timezone.get_current_timezone_name(),
            context.autoescape,
            context.use_l10n,
        )
        html = _KEPT.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_KEPT) >= MAX_KEPT:
                _KEPT.clear()
            _KEPT[key] = html
        return html


@register.tag
def kept(parser, token) -> KeptNode:
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% kept key [key ...] %} takes the values it shows.")
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode([parser.compile_filter(bit) for bit in bits[1:]], nodelist)


def forget_kept() -> None:
    """Drop every kept block (tests; bench/cold.py --forget)."""
    _KEPT.clear()
