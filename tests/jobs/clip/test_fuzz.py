"""Hostile input to the clip paths: extraction never raises, the paste form and the API never
answer 500, and a refused submission saves nothing."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.tokens.services import api_token_create
from jobs.clip.extract import extract
from tests.security.test_fuzz_forms import FUZZ, TEXT, UNICODE, _post_and_check, around

pytestmark = pytest.mark.django_db

SCHEMA_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), UNICODE),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(UNICODE, inner, max_size=4)
    ),
    max_leaves=12,
)
JOB_KEYS = ["title", "hiringOrganization", "jobLocation", "employmentType", "baseSalary",
            "datePosted", "validThrough", "description", "url", "jobLocationType", "@graph"]  # fmt: skip


@FUZZ
@given(
    fields=st.dictionaries(st.sampled_from(JOB_KEYS), SCHEMA_VALUES, max_size=8),
    body=TEXT,
)
def test_extraction_of_mistyped_json_ld_never_raises(fields, body):
    ld = json.dumps({"@type": "JobPosting", **fields}).replace("</", "<\\/")
    html = f'<html><head><script type="application/ld+json">{ld}</script></head><body>{body}</body></html>'
    clip = extract(url="https://x.test/j", html=html)
    assert isinstance(clip.title, str) and isinstance(clip.locations, list)


@FUZZ
@given(text=TEXT, url=TEXT)
def test_extraction_of_any_text_never_raises(text, url):
    extract(url=url, text=text)
    extract(url=url, html=text)


@FUZZ
@given(
    data=around({"step": "extract", "url": "https://x.test/j", "content": "Line Cook at Bistro"})
)
def test_paste_step_one_survives_fuzz(client, user, data):
    client.force_login(user)
    _post_and_check(client, "/clip/paste/", data, "tracking.Application")


@FUZZ
@given(
    data=around({
        "step": "keep", "action": "save", "url": "https://x.test/j", "title": "Cook",
        "company": "Bistro", "location": "Portland", "workplace": "onsite",
        "employment_type": "Part-time", "salary": "$20", "valid_through": "2030-01-02",
        "description": "Cook dinners.", "canonical_url": "", "apply_url": "", "stage": "",
        "collection": "", "note": "",
    })
)  # fmt: skip
def test_paste_step_two_survives_fuzz(client, user, data):
    client.force_login(user)
    _post_and_check(client, "/clip/paste/", data, "tracking.Collection", "tracking.Note")


@FUZZ
@given(value=SCHEMA_VALUES)
def test_the_api_never_answers_500(client, user, value, settings):
    settings.CLIP_RATE_LIMIT_PER_MINUTE = 10_000
    secret = getattr(user, "_fuzz_secret", None) or api_token_create(user=user, name="fuzz")[1]
    user._fuzz_secret = secret
    response = client.post(
        "/api/clip/", data=json.dumps(value), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )  # fmt: skip
    assert response.status_code in (200, 201, 400)
