"""{% board_cards cards %} and {% board_card card oob %}: the board's cards as HTML.

A board shows hundreds of cards; rendering each through a template partial cost ~0.3 ms a
card (issue 17.3: 500 cards were ~150 ms of template work). The card is small and fixed, so it
is one format string filled with escaped, precomputed strings (tracking.applications.selectors
Card: the selector computes the words, this tag only places them). The board's page and the
htmx move answer both use it, so the markup lives here only."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

CARD = (
    '<li class="board-card{stale_class}" id="card-{pk}" data-card data-move-url="{move}" '
    'data-stage-id="{stage}"{oob}>'
    '<a class="board-card-title" href="{detail}" data-panel-link>{title}</a>'
    '<p class="board-card-company">{company}</p>'
    '<p class="board-card-meta"><span title="In this stage since {since}">{age}</span>'
    "{reminder}{stale}</p>"
    '<a class="card-menu-button" href="{move}" id="menu-{pk}" data-card-menu '
    'aria-haspopup="menu" aria-expanded="false"><span aria-hidden="true">⋯</span>'
    '<span class="visually-hidden">Move or open “{title}”</span></a></li>'
)
STALE = ' <span class="badge badge-warn" title="No activity for a while">Stale</span>'
REMINDER = ' <span class="badge{danger}" title="Next follow-up reminder">{text}</span>'


def card_html(card, *, oob: bool = False) -> str:
    reminder = ""
    if card.reminder_text:
        danger = " badge-danger" if card.reminder_overdue else ""
        reminder = REMINDER.format(danger=danger, text=escape(card.reminder_text))
    return CARD.format(
        stale_class=" is-stale" if card.is_stale else "",
        pk=int(card.pk),
        move=escape(card.move_url),
        stage=int(card.stage_id),
        oob=' hx-swap-oob="true"' if oob else "",
        detail=escape(card.detail_url),
        title=escape(card.title),
        company=escape(card.company_name),
        since=escape(card.since_text),
        age=escape(card.age_text),
        reminder=reminder,
        stale=STALE if card.is_stale else "",
    )


@register.simple_tag
def board_cards(cards: Iterable) -> SafeString:
    return mark_safe("".join(card_html(c) for c in cards))  # noqa: S308 (fields escaped in card_html)


@register.simple_tag
def board_card(card, oob: bool = False) -> SafeString:
    return mark_safe(card_html(card, oob=bool(oob)))  # noqa: S308 (fields escaped in card_html)
