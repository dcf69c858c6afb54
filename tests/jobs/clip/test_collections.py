"""Issue 18, what was left: collections hold jobs from other sites (clipped, not on our board)
too, through Application.collections. The clip API and the paste page put them in the collection
named; /saved/ and the collection page list them with the saved postings; the owner checks."""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.tokens.services import api_token_create
from tests.factories import ApplicationFactory, PostingFactory, UserFactory
from tracking.models import Application, Collection, SavedJob
from tracking.saved.services import collection_create, saved_job_save

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def secret(user):
    return api_token_create(user=user, name="Test")[1]


def clip(client, secret, name, **body):
    body = {"url": f"https://jobs.example.test/{name}", "html": (FIXTURES / name).read_text(),
            "action": "save", **body}  # fmt: skip
    return client.post(
        "/api/clip/", data=json.dumps(body), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )  # fmt: skip


def test_the_api_puts_an_outside_job_in_the_collection_named(client, user, secret):
    response = clip(client, secret, "greenhouse.html", collection="  Berlin   roles ")
    assert response.status_code == 201, response.content
    assert response.json()["messages"] == []
    app = Application.objects.get(user=user)
    assert app.posting is None
    assert list(app.collections.values_list("name", flat=True)) == ["Berlin roles"]
    # The same name (any case) is the same collection.
    clip(client, secret, "lever.html", action="track", stage="Applied", collection="berlin ROLES")
    assert Collection.objects.filter(user=user).count() == 1
    assert Collection.objects.get(user=user).applications.count() == 2


def test_a_too_long_collection_name_is_a_400_naming_the_field_and_saves_nothing(
    client, user, secret
):
    response = clip(client, secret, "greenhouse.html", collection="x" * 61)
    assert response.status_code == 400
    assert "collection" in response.json()["fields"]
    assert not Application.objects.exists() and not Collection.objects.exists()


def test_another_users_collection_of_the_same_name_is_not_used(client, user, secret):
    other = UserFactory()
    theirs = collection_create(user=other, name="Berlin")
    clip(client, secret, "greenhouse.html", collection="Berlin")
    mine = Collection.objects.get(user=user)
    assert mine != theirs and mine.applications.count() == 1
    assert not theirs.applications.exists()


def test_the_paste_page_puts_an_outside_job_in_a_collection(client, user):
    client.force_login(user)
    response = client.post("/clip/paste/", {
        "step": "keep", "action": "save", "url": "https://x.test/j", "title": "Line Cook",
        "company": "Bistro", "location": "Portland", "workplace": "onsite",
        "employment_type": "Part-time", "salary": "", "valid_through": "",
        "description": "Cook dinners.", "canonical_url": "", "apply_url": "", "stage": "",
        "collection": "Kitchens", "note": "",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    app = Application.objects.get(user=user, title="Line Cook")
    assert list(app.collections.values_list("name", flat=True)) == ["Kitchens"]


def test_saved_and_the_collection_page_list_outside_jobs_with_the_postings(
    client, user, secret, django_assert_max_num_queries
):
    clip(client, secret, "greenhouse.html", collection="Berlin")
    clip(client, secret, "lever.html")  # in no collection: on the board only
    berlin = Collection.objects.get(user=user)
    posting = PostingFactory(title="Data Engineer")
    saved, _ = saved_job_save(user=user, posting=posting)
    saved.collections.add(berlin)
    other = collection_create(user=user, name="Other")
    client.force_login(user)

    with django_assert_max_num_queries(14):
        page = client.get(f"{reverse('tracking:saved')}?collection={berlin.pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Data Engineer" in html and "Senior Backend Engineer" in html
    assert "Product Designer" not in html  # not in the collection
    app = Application.objects.get(title="Senior Backend Engineer")
    assert app.get_absolute_url() in html and "From other sites" in html

    everything = client.get(reverse("tracking:saved")).content.decode()
    assert "Senior Backend Engineer" in everything and "Product Designer" not in everything
    assert (
        "Senior Backend Engineer"
        not in client.get(f"{reverse('tracking:saved')}?collection={other.pk}").content.decode()
    )
    counts = client.get(reverse("tracking:saved_collections")).content.decode()
    assert "2 jobs" in counts and "0 jobs" in counts


def test_an_outside_job_comes_out_of_a_collection_and_stays_on_the_board(client, user):
    berlin = collection_create(user=user, name="Berlin")
    app = ApplicationFactory(user=user, posting=None, title="Line Cook")
    app.collections.add(berlin)
    client.force_login(user)
    url = reverse("tracking:outside_uncollect", args=[app.pk])
    response = client.post(url, {"collection": berlin.pk})
    assert response.status_code == 302
    assert not app.collections.exists() and Application.objects.filter(pk=app.pk).exists()


def test_the_owner_checks_on_taking_out(client, user):
    mine = collection_create(user=user, name="Mine")
    app = ApplicationFactory(user=user, posting=None)
    app.collections.add(mine)
    other = UserFactory()
    theirs = collection_create(user=other, name="Theirs")
    client.force_login(user)
    url = reverse("tracking:outside_uncollect", args=[app.pk])
    # Another user's collection (or none): 400 naming the field, nothing changed.
    for data in ({"collection": theirs.pk}, {"collection": "x"}, {}):
        response = client.post(url, data)
        assert response.status_code == 400 and b"Collection:" in response.content
    assert list(app.collections.all()) == [mine]
    # Another user's job: 404; a posting's application is not an outside job: 404 too.
    client.force_login(other)
    assert client.post(url, {"collection": theirs.pk}).status_code == 404
    assert client.get(f"{reverse('tracking:saved')}?collection={mine.pk}").status_code == 404
    tracked = ApplicationFactory(user=user, posting=PostingFactory())
    client.force_login(user)
    tracked_url = reverse("tracking:outside_uncollect", args=[tracked.pk])
    assert client.post(tracked_url, {"collection": mine.pk}).status_code == 404


def test_the_service_refuses_a_posting_and_anothers_collection(user):
    from django.core.exceptions import ValidationError

    from tracking.saved.services import outside_job_add_to_collection

    mine = collection_create(user=user, name="Mine")
    theirs = collection_create(user=UserFactory(), name="Theirs")
    outside = ApplicationFactory(user=user, posting=None)
    with pytest.raises(ValidationError) as error:
        outside_job_add_to_collection(application=outside, collection=theirs)
    assert "collection" in error.value.message_dict
    tracked = ApplicationFactory(user=user, posting=PostingFactory())
    with pytest.raises(ValidationError):
        outside_job_add_to_collection(application=tracked, collection=mine)
    assert not SavedJob.objects.exists() and not mine.applications.exists()


def test_deleting_a_collection_keeps_its_outside_jobs(client, user, secret):
    clip(client, secret, "greenhouse.html", collection="Berlin")
    Collection.objects.get(user=user).delete()
    assert Application.objects.filter(user=user).count() == 1
