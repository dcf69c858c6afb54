"""The search page rendered without the page cache (issue 17.2): cards from words computed once,
blocks kept per process for the values they show, the anonymous Save link without an include."""

import re

from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory

from jobs.models import Company, Posting
from jobs.templatetags.kept import forget_kept
from tests.factories import CompanyFactory, LocationFactory, PostingFactory

URL = "/jobs/"


def make(title, **kwargs):
    from jobs.board.search import refresh_search_vectors

    posting = PostingFactory(title=title, **kwargs)
    refresh_search_vectors([posting.pk])
    return posting


def _card(html: str, pk: int) -> str:
    start = html.index(f'id="save-{pk}"')
    return html[html.rindex('<li class="card result-card', 0, start) : html.index("</li>", start)]


def test_the_anonymous_save_link_of_a_card_is_what_the_save_button_renders(client, db):
    posting = make("Data Engineer")
    html = client.get(URL, {"q": "data"}).content.decode()
    link = re.search(r'<span class="save-toggle" id="save-\d+">.*?</a>\n</span>', html, re.S)
    request = RequestFactory().get(URL, {"q": "data"})
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    expected = render_to_string(
        "tracking/saved/_save_button.html",
        {
            "posting": posting,
            "form_id": "save-posting-form",
            "login_to_save_url": "/accounts/login/?next=%2Fjobs%2F%3Fq%3Ddata",
        },
        request=request,
    )
    assert link and link.group(0) + "\n" == expected
    assert 'href="/accounts/login/?next=%2Fjobs%2F%3Fq%3Ddata"' in link.group(0)


def test_a_card_shows_a_changed_value_at_once_though_its_facts_are_kept(client, db):
    forget_kept()
    berlin = LocationFactory(city="Berlin", country="DE")
    posting = PostingFactory(title="Data Engineer", company=CompanyFactory(name="Acme"))
    posting.locations.add(berlin)
    before = _card(client.get(URL).content.decode(), posting.pk)
    assert ">Acme</a> · Berlin, Germany</p>" in before and "salary-chip" not in before
    assert before == _card(client.get(URL).content.decode(), posting.pk)  # kept: the same

    # Changes made without a save() (no signal, no updated_at): the kept blocks' keys hold the
    # values themselves, so each shows at once.
    Company.objects.filter(pk=posting.company_id).update(name="Acme Robotics")
    Posting.objects.filter(pk=posting.pk).update(
        salary_min=50_000, salary_max=60_000, salary_currency="EUR", workplace="remote",
        title="Data Engineer II",
    )  # fmt: skip
    posting.locations.add(LocationFactory(city="Paris", country="FR"))
    after = _card(client.get(URL).content.decode(), posting.pk)
    assert ">Acme Robotics</a> · Berlin, Germany · Paris, France</p>" in after
    assert '<li class="badge badge-ok">Remote</li>' in after and "salary-chip" in after
    assert 'class="company-logo logo-48 company-monogram' in after and ">AR</span>" in after
    assert ">Data Engineer II</a></h3>" in after  # the whole card is kept too, by what it shows


def test_a_facet_list_shows_a_changed_count_at_once_though_it_is_kept(client, db):
    forget_kept()
    make("Python A", workplace="remote")
    label = 'for="f-workplace-remote"'
    html = client.get(URL, {"q": "python"}).content.decode()
    assert label in html and 'aria-label="1 job">1<' in html
    make("Python B", workplace="remote")
    html = client.get(URL, {"q": "python"}).content.decode()
    assert 'aria-label="2 jobs">2<' in html
    html = client.get(URL, {"q": "python", "workplace": "remote"}).content.decode()
    assert 'value="remote" checked' in html  # the selection is part of what is kept


def test_the_selected_card_and_its_push_url(client, db):
    posting = make("Data Engineer")
    other = make("Data Analyst")
    html = client.get(URL, {"q": "data", "selected": posting.pk}).content.decode()
    card = _card(html, posting.pk)
    assert card.startswith('<li class="card result-card is-selected">')
    assert f'hx-push-url="/jobs/?q=data&amp;selected={posting.pk}"' in card
    assert 'aria-current="true"' in card
    assert "is-selected" not in _card(html, other.pk)
    plain = client.get(URL).content.decode()
    assert f'hx-push-url="/jobs/?selected={posting.pk}"' in plain


def test_a_kept_block_is_kept_per_block_and_per_key():
    forget_kept()
    template = Template(
        "{% load kept %}{% kept key %}a{{ value }}{% endkept %}|{% kept key %}b{{ value }}{% endkept %}"
    )
    assert template.render(Context({"key": 1, "value": "x"})) == "ax|bx"
    assert template.render(Context({"key": 1, "value": "y"})) == "ax|bx"  # the key says "same"
    assert template.render(Context({"key": 2, "value": "y"})) == "ay|by"
    assert (
        Template("{% load kept %}{% kept key %}c{% endkept %}").render(Context({"key": 1})) == "c"
    )  # another block: its own entries


def test_the_filters_count_words_and_the_currency_list(client, db):
    make("Python A", workplace="remote")
    make("Python B", workplace="remote")
    html = client.get(URL, {"q": "python", "currency": "USD"}).content.decode()
    assert 'for="f-workplace-remote"' in html and 'aria-label="2 jobs">2<' in html
    assert '<option value="USD" selected>USD</option>' in html
    assert '<option value="">EUR</option>' in html
    client.cookies.clear()  # else the explicit USD is remembered (jobs/board/currency.py)
    html = client.get(URL, {"q": "python"}).content.decode()
    assert '<option value="" selected>EUR</option>' in html
    assert '<option value="USD">USD</option>' in html


def test_posting_rows_of_a_search_page_read_no_summary_when_none_is_stored(db):
    from jobs.board.search import SearchParams, search_postings

    make("Data Engineer")
    assert Posting.objects.filter(summary__isnull=True).count() == 1
    [hit] = search_postings(SearchParams(q="data")).hits
    assert hit.posting.has_summary is False and hit.summary_line == ""


def test_the_kept_currency_list_follows_the_readers_default_currency(client, db):
    """The filters' currency list is kept per (chosen, reader's default): the default is the
    selected option sent as no value, whatever list an earlier reader got."""
    forget_kept()
    make("Data Engineer")

    def currency_select(language: str) -> str:
        html = client.get(URL, headers={"Accept-Language": language}).content.decode()
        return re.search(r'<select id="f-currency".*?</select>', html, re.S).group(0)

    british, swiss = currency_select("en-GB"), currency_select("de-CH")
    assert '<option value="" selected>GBP</option>' in british
    assert '<option value="" selected>CHF</option>' in swiss
    assert '<option value="GBP">GBP</option>' in swiss


def test_signed_in_readers_share_the_kept_cards_and_only_their_save_buttons_differ(client, db):
    # Issue 17.3: a page that differs per user only by saved flags is not rendered again per
    # user: the cards are kept per process by what they show, the Save button is the reader's.
    from jobs.templatetags import kept
    from tests.factories import UserFactory
    from tracking.saved.services import saved_job_save

    forget_kept()
    postings = [make(f"Data Engineer {i}") for i in range(3)]
    anonymous = client.get(URL).content.decode()
    entries = len(kept._KEPT)
    reader = UserFactory()
    saved_job_save(user=reader, posting=postings[0])
    client.force_login(reader)
    signed_in = client.get(URL).content.decode()
    assert len(kept._KEPT) == entries  # no card, logo, facts or facet list rendered again
    for posting in postings:
        card, theirs = _card(anonymous, posting.pk), _card(signed_in, posting.pk)
        assert card[: card.index("save-toggle")] == theirs[: theirs.index("save-toggle")]
    assert "Saved" in _card(signed_in, postings[0].pk) and "log in first" in _card(
        anonymous, postings[0].pk
    )
