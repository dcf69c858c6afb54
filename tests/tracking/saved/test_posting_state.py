"""The posting page reads the reader's saved / tracked state once, in the view; the template
tags that show it run no queries."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tests.factories import ApplicationFactory, PostingFactory
from tracking.saved import services as saved
from tracking.saved.selectors import posting_state_for

pytestmark = pytest.mark.django_db


def test_the_template_tags_run_no_queries(user, django_assert_num_queries):
    posting = PostingFactory()
    request = RequestFactory().get("/")
    request.user = user
    template = Template(
        "{% load saved_jobs track_button %}{% save_button posting %}{% track_button posting %}"
        "{% application_usage posting %}"
    )
    context = Context({"request": request, "posting": posting, "saved_ids": {posting.pk}})
    with django_assert_num_queries(0):
        html = template.render(context)
    assert "Saved" in html


def test_the_posting_page_shows_saved_and_tracked_from_the_views_state(owner_client, user):
    posting = PostingFactory(title="Data Engineer")
    saved.saved_job_save(user=user, posting=posting)
    application = ApplicationFactory(user=user, posting=posting, title=posting.title)
    state = posting_state_for(user=user, posting=posting)
    assert state["saved_ids"] == {posting.pk} and state["tracked"] == application
    html = owner_client.get(posting.get_absolute_url()).content.decode()
    assert 'aria-pressed="true"' in html
    assert application.get_absolute_url() in html or f"/applications/{application.pk}/" in html
