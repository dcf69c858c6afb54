"""Issue 16 point 11: unsave / undo over htmx must not show an unpublished posting's title."""

import pytest
from django.urls import reverse

from tests.factories import PostingFactory
from tracking.saved import services as saved

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture(params=["submitted", "draft", "rejected"])
def hidden(request):
    return PostingFactory(title="Secret Stealth Role", status=request.param, published_at=None)


def test_unsave_over_htmx_of_an_unpublished_posting_is_a_404_without_its_title(
    owner_client, hidden
):
    response = owner_client.post(reverse("tracking:unsave", args=[hidden.pk]), headers=HTMX)
    assert response.status_code == 404
    assert "Secret Stealth Role" not in response.content.decode()


def test_undo_over_htmx_of_an_unpublished_posting_is_a_404_without_its_title(owner_client, hidden):
    response = owner_client.post(
        reverse("tracking:saved_undo"), {"token": "x", "posting": hidden.pk}, headers=HTMX
    )
    assert response.status_code == 404
    assert "Secret Stealth Role" not in response.content.decode()


def test_a_posting_the_user_saved_still_gets_its_button_after_it_left_the_board(owner_client, user):
    """Someone who saved it has seen the title: unsave and undo keep working for them."""
    posting = PostingFactory(title="Once Public")
    saved.saved_job_save(user=user, posting=posting)
    posting.status = "submitted"
    posting.save()
    response = owner_client.post(reverse("tracking:unsave", args=[posting.pk]), headers=HTMX)
    assert response.status_code == 200
    token = response.context["undo_token"]
    response = owner_client.post(
        reverse("tracking:saved_undo"), {"token": token, "posting": posting.pk}, headers=HTMX
    )
    assert response.status_code == 200 and 'aria-pressed="true"' in response.content.decode()


def test_a_visible_posting_answers_as_before(owner_client):
    posting = PostingFactory(title="Public Role")
    response = owner_client.post(reverse("tracking:unsave", args=[posting.pk]), headers=HTMX)
    assert response.status_code == 200 and "Public Role" in response.content.decode()
