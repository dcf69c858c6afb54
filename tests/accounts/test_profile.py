import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone

from accounts.forms import clean_tags
from accounts.models import NotificationKind, Profile

pytestmark = pytest.mark.django_db

URL = "/account/profile/"


def profile_data(**overrides):
    data = {
        "display_name": "Ada",
        "headline": "Backend developer",
        "skills": "Python, django ,  PostgreSQL, python, Django",
        "years_of_experience": "7",
        "preferred_locations": "Berlin, Remote",
        "timezone": "Europe/Berlin",
        "email_notifications": ["reminder_due", "saved_search_digest"],
    }
    data.update(overrides)
    return data


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_profile_page_shows_the_form_and_the_settings_nav(owner_client):
    html = owner_client.get(URL).content.decode()
    assert '<label for="id_skills">Skills' in html
    assert 'data-tags="skill"' in html
    assert "js/tags.js" in html
    assert '<nav class="settings-nav" aria-label="Account settings">' in html
    assert '<a href="/account/profile/" aria-current="page">Profile</a>' in html
    for kind in NotificationKind:
        assert f'value="{kind.value}"' in html


def test_saving_the_profile_cleans_the_tags(owner_client, user):
    response = owner_client.post(URL, profile_data())
    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.skills == ["Python", "django", "PostgreSQL"]
    assert profile.preferred_locations == ["Berlin", "Remote"]
    assert profile.years_of_experience == 7
    assert profile.timezone == "Europe/Berlin"
    assert profile.email_preferences == {
        kind.value: kind.value in {"reminder_due", "saved_search_digest"}
        for kind in NotificationKind
    }
    assert profile.wants_email("reminder_due")
    assert not profile.wants_email("saved_job_expiring")


def test_saved_tags_come_back_as_comma_separated_text(owner_client, user):
    Profile.objects.filter(user=user).update(skills=["Python", "SQL"])
    html = owner_client.get(URL).content.decode()
    assert 'value="Python, SQL"' in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("skills", "x" * 61, "keep each skill to 60 characters"),
        ("skills", ",".join(f"s{i}" for i in range(41)), "At most 40 skills"),
        ("preferred_locations", "y" * 101, "keep each location to 100 characters"),
        ("years_of_experience", "-1", "greater than or equal to 0"),
        ("years_of_experience", "99", "between 0 and 60"),
        ("years_of_experience", "lots", "Enter a whole number."),
        ("timezone", "Mars/Olympus", "Select a valid choice."),
        ("email_notifications", ["spam"], "Select a valid choice."),
    ],
)
def test_bad_input_gives_a_message_on_the_field(owner_client, user, field, value, message):
    before = Profile.objects.get(user=user)
    response = owner_client.post(URL, profile_data(**{field: value}))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert 'value="Ada"' in html  # the rest of the form comes back filled in
    after = Profile.objects.get(user=user)
    assert (after.display_name, after.skills, after.updated_at) == (
        before.display_name,
        before.skills,
        before.updated_at,
    )


def test_clean_tags_trims_dedupes_and_keeps_order():
    assert clean_tags(" a ,B,, b,  c  d \n A", max_length=10, max_count=5, noun="tag") == [
        "a",
        "B",
        "c d",
    ]


def test_times_are_shown_in_the_profile_timezone(owner_client, user):
    user.date_joined = dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.UTC)
    user.save(update_fields=["date_joined"])
    Profile.objects.filter(user=user).update(timezone="Asia/Tokyo")
    html = owner_client.get("/account/data/").content.decode()
    assert "Account created 1 Jan 2026, 09:00 JST" in html


def test_utc_without_a_signed_in_user(client):
    client.get("/")
    rendered = Template("{{ t|date:'H:i e' }}").render(
        Context({"t": dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.UTC)})
    )
    assert rendered == "00:00 UTC"
    assert timezone.get_current_timezone_name() == "UTC"


def test_profile_is_only_ever_the_signed_in_users_own(outsider_client, user, other_user):
    """There is no profile id in any URL: each user edits and sees only their own."""
    Profile.objects.filter(user=user).update(display_name="Owner Name")
    response = outsider_client.post(URL, profile_data(display_name="Outsider"))
    assert response.status_code == 302
    assert Profile.objects.get(user=user).display_name == "Owner Name"
    assert Profile.objects.get(user=other_user).display_name == "Outsider"
    assert "Owner Name" not in outsider_client.get(URL).content.decode()
