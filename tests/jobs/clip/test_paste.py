"""The "Paste a job" page (works without JavaScript) and the bookmarklet's window."""

from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import PostingFactory
from tracking.models import Application, SavedJob

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"
PASTE = "/clip/paste/"


def preview(client, name, url="https://jobs.example.test/x"):
    return client.post(
        PASTE, {"step": "extract", "url": url, "content": (FIXTURES / name).read_text()}
    )


def keep_data(response, **changes):
    form = response.context["keep_form"]
    data = {name: form[name].value() or "" for name in form.fields}
    return {**data, "step": "keep", "action": "save", **changes}


def test_anonymous_goes_to_log_in(client):
    response = client.get(PASTE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_paste_html_preview_then_save(owner_client, user):
    shown = preview(owner_client, "aggregator.html")
    assert shown.status_code == 200
    html = shown.content.decode()
    assert 'value="Content Safety Machine Learning Intern"' in html
    assert "Pro Tip" not in html and "AI-Powered" not in html
    assert not Application.objects.exists()  # a preview saves nothing
    saved = owner_client.post(PASTE, keep_data(shown))
    app = Application.objects.get(user=user)
    assert saved.status_code == 302 and saved["Location"] == app.get_absolute_url()
    assert app.company_name == "Brightline Labs" and app.stage.key == "saved"
    assert "Pro Tip" not in app.posting_text
    page = owner_client.get(app.get_absolute_url()).content.decode()
    assert "Tailor your resume" not in page


def test_paste_text_and_track_with_corrections_and_a_deadline(owner_client, user):
    shown = preview(owner_client, "linkedin_copy.txt")
    data = keep_data(
        shown, action="track", stage="Applied", title="ML Engineer", valid_through="2027-02-01"
    )
    owner_client.post(PASTE, data)
    app = Application.objects.get(user=user)
    assert app.title == "ML Engineer" and app.stage.key == "applied"
    assert app.expires_at.date().isoformat() == "2027-02-01"


def test_a_job_on_our_board_is_saved_as_the_posting(owner_client, user):
    posting = PostingFactory(apply_url="https://boards.greenhouse.io/northwind/jobs/4012345")
    shown = preview(owner_client, "greenhouse.html")
    response = owner_client.post(PASTE, keep_data(shown))
    assert SavedJob.objects.get(user=user).posting == posting
    assert response["Location"] == posting.get_absolute_url()


def test_pasting_the_same_job_twice_links_to_the_first(owner_client, user):
    shown = preview(owner_client, "greenhouse.html")
    owner_client.post(PASTE, keep_data(shown))
    again = owner_client.post(PASTE, keep_data(shown), follow=True)
    assert Application.objects.filter(user=user).count() == 1
    assert "already keep this job" in again.content.decode()


def test_empty_paste_is_400_with_the_form_back(owner_client):
    response = owner_client.post(PASTE, {"step": "extract", "url": "https://x.test/1"})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert 'value="https://x.test/1"' in response.content.decode()


def test_a_missing_title_is_400_naming_it_and_saves_nothing(owner_client):
    shown = preview(owner_client, "greenhouse.html")
    response = owner_client.post(PASTE, keep_data(shown, title=""))
    assert response.status_code == 400
    assert response.context["keep_form"].errors["title"]
    assert not Application.objects.exists()


def test_an_unknown_stage_is_400_and_saves_nothing(owner_client):
    shown = preview(owner_client, "greenhouse.html")
    response = owner_client.post(PASTE, keep_data(shown, action="track", stage="Nope"))
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_paste_page_get_changes_nothing_and_prefills_the_url(owner_client):
    response = owner_client.get(PASTE, {"url": "https://x.test/job"})
    assert 'value="https://x.test/job"' in response.content.decode()


def test_the_bookmarklet_window_is_the_paste_form_with_its_script(owner_client):
    response = owner_client.get("/clip/bookmarklet/", {"url": "https://x.test/job"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-clip-bookmarklet" in html and "clip-bookmarklet.js" in html
    assert 'name="csrfmiddlewaretoken"' in html
    # The job page that opened it must keep its window.opener link to hand the page over.
    assert response["Cross-Origin-Opener-Policy"] == "unsafe-none"
    assert owner_client.get(PASTE)["Cross-Origin-Opener-Policy"] == "same-origin"
