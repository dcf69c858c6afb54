"""The board card, rendered in Python: a board of 500 cards through template nodes costs
hundreds of milliseconds; this is the same markup at a small fraction of that
(bench/board.py). Every value is escaped with html.escape."""

from __future__ import annotations

from html import escape

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _setup(context) -> dict:
    cache = context.render_context.get("board_card")
    if cache is None:
        token = context.get("csrf_token")
        cache = context.render_context["board_card"] = {
            "detail": reverse("tracking:application", args=[0]).replace("/0/", "/{}/"),
            "move": reverse("tracking:move", args=[0]).replace("/0/", "/{}/"),
            "csrf": (
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'
                if token
                else ""
            ),
            "tz": timezone.get_current_timezone(),
        }
    return cache


@register.simple_tag(takes_context=True)
def board_card(context, card, options: SafeString, oob: bool = False) -> SafeString:
    return mark_safe(_card(_setup(context), card, options, oob))  # noqa: S308


@register.simple_tag(takes_context=True)
def board_column_cards(context, column) -> SafeString:
    """All the cards of a column in one call (a template loop over 500 cards is the slow part)."""
    c = _setup(context)
    options = column.move_options
    return mark_safe("".join(_card(c, card, options, False) for card in column.cards))  # noqa: S308


def _card(c: dict, card, options: SafeString, oob: bool) -> str:
    pk = int(card.pk)
    move = c["move"].format(pk)
    detail = c["detail"].format(pk)
    title = escape(card.title)
    csrf = c["csrf"]
    days = card.days_in_stage
    since = card.stage_entered_at.astimezone(c["tz"])
    age = (f"{days} days here" if days != 1 else "1 day here") if days else "Today"
    meta = f'<span title="In this stage since {since.day} {since:%b %Y}">{age}</span>'
    if card.next_reminder_at:
        due = card.next_reminder_at.astimezone(c["tz"])
        overdue = card.reminder_overdue
        badge = "badge badge-danger" if overdue else "badge"
        label = "Overdue" if overdue else "Follow up"
        meta += (
            f' <span class="{badge}" title="Next follow-up reminder">{label} '
            f"{due.day} {due:%b}</span>"
        )
    if card.is_stale:
        meta += ' <span class="badge badge-warn" title="No activity for a while">Stale</span>'
    classes = "board-card is-stale" if card.is_stale else "board-card"
    swap = ' hx-swap-oob="true"' if oob else ""
    html = (
        f'<li class="{classes}" id="card-{pk}" data-card data-move-url="{move}"{swap}>'
        f'<a class="board-card-title" href="{detail}">{title}</a>'
        f'<p class="board-card-company">{escape(card.company_name)}</p>'
        f'<p class="board-card-meta">{meta}</p>'
        f'<form method="post" action="{move}#card-{pk}" class="card-move">{csrf}'
        f'<label class="visually-hidden" for="move-{pk}">Move “{title}” to</label>'
        f'<select id="move-{pk}" name="stage">{options}</select>'
        '<button type="submit" class="button-small button-secondary">Move</button>'
        "</form></li>"
    )
    return html  # every user value above goes through escape()
