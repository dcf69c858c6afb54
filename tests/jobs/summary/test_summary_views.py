"""The summary partial, the match panel and adding a missing skill to one's profile."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Profile
from jobs.summary.samples import INTERNSHIP_HTML, INTERNSHIP_TITLE
from jobs.summary.services import posting_summary_refresh
from jobs.summary.web import summary_context
from tests.factories import PostingFactory, UserFactory

pytestmark = pytest.mark.django_db
ADD_URL = "/jobs/skills/add/"


@pytest.fixture
def posting():
    p = PostingFactory(title=INTERNSHIP_TITLE, description=INTERNSHIP_HTML)
    posting_summary_refresh(posting=p)
    return p


def render(posting, user=None):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get(posting.get_absolute_url())
    request.user = user or AnonymousUser()
    # The view computes the panel (summary and the reader's match); the tag only renders it.
    panel = summary_context(posting=posting, user=request.user)
    template = Template(
        "{% load job_summary %}{% posting_summary panel %}<p>{% posting_summary_line posting %}</p>"
    )
    context = {"posting": posting, "panel": panel, "request": request, "csrf_token": "t"}
    return template.render(Context(context))


def test_the_url_is_named():
    assert reverse("jobs_summary:skill_add") == ADD_URL


def test_anonymous_readers_see_the_summary_and_an_invitation(posting):
    html = render(posting)
    assert "Required qualifications" in html and "Preferred qualifications" in html
    assert "Experience with Python and at least one deep learning framework" in html
    assert "Max two applications across the company and its affiliates" in html
    assert 'data-span="' in html and 'data-quote="' in html
    assert "add your skills to see how well you match" in html
    assert "% match" not in html


def test_the_result_line_is_short(posting):
    html = render(posting)
    assert (
        "<p>Machine learning, Statistics, Python, Deep learning · Bachelor&#x27;s degree · max 2 applications</p>"
        in html
    )


def test_members_see_their_match_and_a_form_per_missing_skill(posting):
    user = UserFactory()
    Profile.objects.filter(user=user).update(skills=["python", "PyTorch"])
    user.refresh_from_db()
    html = render(posting, user)
    assert "% match" in html
    assert "You have:</strong> Python, PyTorch" in html
    assert 'name="skill" value="TensorFlow"' in html
    assert html.count(f'action="{ADD_URL}"') == html.count("to my profile</button>")


def test_a_posting_without_a_stored_summary_is_summarized_on_the_fly(client):
    p = PostingFactory(title=INTERNSHIP_TITLE, description=INTERNSHIP_HTML)
    assert "Required qualifications" in render(p)
    p.refresh_from_db()
    assert p.summary is None  # a GET stores nothing


def test_a_short_posting_says_not_enough_text():
    p = PostingFactory(description="<p>Apply now.</p>")
    assert "Not enough text to summarize." in render(p)


def test_adding_a_skill_needs_a_login(client, posting):
    response = client.post(ADD_URL, {"skill": "Go", "posting": posting.pk})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_adding_a_skill_is_post_only(owner_client):
    assert owner_client.get(ADD_URL).status_code == 405


def test_adding_a_skill_uses_its_vocabulary_name_and_redirects_back(owner_client, user, posting):
    response = owner_client.post(
        ADD_URL, {"skill": "k8s", "posting": posting.pk, "next": posting.get_absolute_url()}
    )
    assert response.status_code == 302 and response["Location"] == posting.get_absolute_url()
    assert Profile.objects.get(user=user).skills == ["Kubernetes"]
    owner_client.post(ADD_URL, {"skill": "kubernetes", "posting": posting.pk})
    assert Profile.objects.get(user=user).skills == ["Kubernetes"]


def test_adding_a_skill_changes_only_ones_own_profile(owner_client, user, other_user, posting):
    owner_client.post(ADD_URL, {"skill": "Rust", "posting": posting.pk, "user": other_user.pk})
    assert Profile.objects.get(user=other_user).skills == []
    assert Profile.objects.get(user=user).skills == ["Rust"]


def test_an_unsafe_next_url_is_ignored(owner_client, posting):
    response = owner_client.post(
        ADD_URL, {"skill": "Go", "posting": posting.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == posting.get_absolute_url()


@pytest.mark.parametrize(
    ("skill", "message"), [("", "Enter a skill."), ("x" * 61, "Keep a skill under 60 characters.")]
)
def test_bad_input_changes_nothing_and_says_why(owner_client, user, posting, skill, message):
    response = owner_client.post(ADD_URL, {"skill": skill, "posting": posting.pk}, follow=True)
    assert message in response.content.decode()
    assert Profile.objects.get(user=user).skills == []


def test_htmx_gets_the_match_panel_back(owner_client, user, posting):
    response = owner_client.post(
        ADD_URL, {"skill": "TensorFlow", "posting": posting.pk}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="summary-match" id="summary-match">')
    assert "Added TensorFlow to your profile." in html
    assert 'value="TensorFlow"' not in html
    assert "TensorFlow" in html.split("You have:")[1]
    assert f'name="next" value="{posting.get_absolute_url()}"' in html  # not the add-skill URL


def test_htmx_bad_input_gets_the_panel_with_the_message(owner_client, user, posting):
    response = owner_client.post(
        ADD_URL, {"skill": "", "posting": posting.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200  # htmx swaps only successful responses
    assert Profile.objects.get(user=user).skills == []
    assert "Enter a skill." in response.content.decode()


def test_htmx_without_a_panel_to_swap_reloads_the_page(owner_client, user):
    response = owner_client.post(ADD_URL, {"skill": "Go", "next": "/jobs/"}, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == "/jobs/"
    assert Profile.objects.get(user=user).skills == ["Go"]


def test_the_match_badge_for_saved_jobs_and_compare(posting, django_assert_max_num_queries):
    user = UserFactory()
    Profile.objects.filter(user=user).update(skills=["Python", "PyTorch", "ML"])
    user = type(user).objects.get(pk=user.pk)
    request = RequestFactory().get("/saved/")
    request.user = user
    other = PostingFactory(description="<p>Too short.</p>")
    posting_summary_refresh(posting=other)
    template = Template(
        "{% load job_summary %}{% for p in postings %}[{% posting_match p skills %}]{% endfor %}"
    )
    skills = list(user.profile.skills)  # what the view reads once
    with django_assert_max_num_queries(0):  # the tag itself runs no query
        html = template.render(Context({"postings": [posting, other, posting], "skills": skills}))
    assert html.count("% match</span>") == 2
    assert "[]" in html  # a posting with too little text has no badge
    assert 'title="You have 3 of ' in html
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()  # anonymous: the view has no skills to pass
    assert (
        Template("{% load job_summary %}{% posting_match p None %}")
        .render(Context({"p": posting, "request": request}))
        .strip()
        == ""
    )


def test_one_form_with_a_checkbox_per_missing_skill(posting):
    user = UserFactory()
    Profile.objects.filter(user=user).update(skills=["python"])
    user.refresh_from_db()
    html = render(posting, user)
    assert html.count("<form") == 1
    assert html.count("</button>") - html.count("summary-cite") == 1
    assert 'type="checkbox" name="skill" value="TensorFlow"' in html


def test_the_ticked_skills_are_added_at_once(owner_client, user, posting):
    Profile.objects.filter(user=user).update(skills=["Go"])
    response = owner_client.post(
        ADD_URL, {"skill": ["TensorFlow", "k8s", "go"], "posting": posting.pk}, follow=True
    )
    html = response.content.decode()
    assert Profile.objects.get(user=user).skills == ["Go", "TensorFlow", "Kubernetes"]
    assert "Added TensorFlow and Kubernetes to your profile. Go is already in your profile." in html


def test_nothing_ticked_says_so(owner_client, user, posting):
    response = owner_client.post(ADD_URL, {"posting": posting.pk}, follow=True)
    assert "Tick the skills you have." in response.content.decode()
    assert Profile.objects.get(user=user).skills == []


def test_one_bad_value_adds_none_of_them(owner_client, user, posting):
    owner_client.post(ADD_URL, {"skill": ["Go", "x" * 61], "posting": posting.pk})
    assert Profile.objects.get(user=user).skills == []
