"""The search page as people know it (issue 20): compact cards, the split view's detail pane
(an htmx partial of the posting page; `?selected=` without JavaScript), the filter sheet."""

import pytest

from jobs.board.search import refresh_search_vectors
from tests.factories import PostingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.services]

URL = "/jobs/"
PANE = {"HX-Request": "true", "HX-Target": "detail-pane"}


def make(**kwargs):
    posting = PostingFactory(**kwargs)
    refresh_search_vectors([posting.id])
    return posting


def test_a_cards_tags_say_each_label_once(client):
    make(title="Design intern", employment_type="internship", level="internship")
    html = client.get(URL).content.decode()
    card = html.split('class="card result-card')[1].split('class="result-foot"')[0]
    assert card.count(">Internship<") == 1


def test_a_card_links_to_the_posting_page_and_loads_it_into_the_pane(client):
    posting = make(title="Python developer")
    html = client.get(URL, {"q": "python"}).content.decode()
    url = posting.get_absolute_url()
    assert f'href="{url}" data-pane-link' in html  # without JavaScript: the posting's own page
    assert f'hx-get="{url}" hx-target="#detail-pane"' in html
    assert f'hx-push-url="/jobs/?q=python&amp;selected={posting.pk}"' in html
    assert 'id="detail-pane"' in html and "Choose a job to read it here." in html


def test_the_pane_request_gets_the_posting_body_as_a_partial(client, django_assert_max_num_queries):
    posting = make(title="Python developer", description="<p>Ship Django apps.</p>")
    with django_assert_max_num_queries(12):
        response = client.get(posting.get_absolute_url(), headers=PANE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<h1" not in html  # a fragment; the page keeps its own h1
    assert '<h2 id="posting-title" class="posting-title">Python developer</h2>' in html
    assert "Ship Django apps." in html
    assert f'<a href="{posting.get_absolute_url()}">Open the full page</a>' in html
    assert "HX-Target" in response["Vary"]
    # A normal request still gets the whole page.
    page = client.get(posting.get_absolute_url()).content.decode()
    assert "<html" in page and "<h1" in page and "Open the full page" not in page


def test_the_selected_posting_is_shown_beside_the_results_on_load(client):
    posting = make(title="Python developer", description="<p>Ship Django apps.</p>")
    html = client.get(URL, {"q": "python", "selected": posting.pk}).content.decode()
    pane = html.split('id="detail-pane"')[1]
    assert "Ship Django apps." in pane and "Choose a job" not in pane
    assert 'class="card result-card is-selected"' in html and 'aria-current="true"' in html


@pytest.mark.parametrize("selected", ["999999", "abc", ""])
def test_an_unknown_or_unpublished_selection_shows_the_empty_pane(client, selected):
    draft = make(title="Secret draft", status="draft")
    for value in (selected, str(draft.pk)):
        response = client.get(URL, {"selected": value})
        assert response.status_code == 200
        assert "Choose a job to read it here." in response.content.decode()
        assert "Secret draft" not in response.content.decode()


def test_the_filters_are_a_sheet_after_the_search_bar_and_before_the_results(client):
    make(title="Python developer", workplace="remote")
    html = client.get(URL, {"q": "python", "workplace": "remote"}).content.decode()
    assert '<details id="filters" class="filter-sheet">' in html
    assert "Filters (1)</summary>" in html
    assert html.index('id="filters"') < html.index('class="result-list"')


def test_the_list_page_with_a_selection_runs_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    postings = [make(title=f"Python developer {i}") for i in range(30)]
    # the search's 5 queries and the pane's posting (posting, locations, summary, reader state)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"q": "python", "selected": postings[3].pk})
    assert response.status_code == 200
