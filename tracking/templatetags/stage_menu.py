"""{% stage_options stages selected_id %}: the <option>s of a card's Move menu.

Every card of a column has the same menu, so each distinct one is built once per render and
reused (a template loop over 9 stages × 500 cards was most of the board's render time)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def stage_options(context, stages, selected_id: int) -> SafeString:
    # The root scope of this render: each partial/include pushes a scope of its own.
    cache = context.render_context.dicts[0].setdefault("stage_options", {})
    key = (id(stages), selected_id)
    if key not in cache:
        cache[key] = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((s.pk, " selected" if s.pk == selected_id else "", s.name) for s in stages),
        )
    return cache[key]
