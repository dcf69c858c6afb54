"""The helpers shared by the apps (config/timezones.py, config/http.py, config/forms.py)."""

import zoneinfo

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from accounts.models import Profile
from config.forms import add_service_errors
from config.http import safe_next
from config.timezones import timezone_choices, user_timezone, zone_named
from tracking.models import Interview


def test_timezone_choices_are_a_callable_so_migrations_do_not_freeze_the_list():
    for model in (Profile, Interview):
        field = model._meta.get_field("timezone")
        assert field.deconstruct()[3]["choices"] is timezone_choices
    assert ("Europe/Berlin", "Europe/Berlin") in timezone_choices()
    assert ("America/New_York", "America/New York") in timezone_choices()


def test_an_unknown_or_empty_zone_name_is_utc():
    assert zone_named("Europe/Paris") == zoneinfo.ZoneInfo("Europe/Paris")
    assert zone_named("Mars/Olympus_Mons") == zoneinfo.ZoneInfo("UTC")
    assert zone_named("") == zoneinfo.ZoneInfo("UTC")
    assert user_timezone(object()) == zoneinfo.ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"next": "/saved/?q=x"}, "/saved/?q=x"),
        ({"next": "https://evil.example/"}, "/home/"),
        ({"next": "//evil.example/"}, "/home/"),
        ({}, "/home/"),
    ],
)
def test_safe_next_follows_only_this_sites_next(data, expected):
    request = RequestFactory().post("/x/", data, HTTP_REFERER="http://testserver/referer/")
    assert safe_next(request, "/home/") == expected


def test_safe_next_never_follows_the_referer():
    request = RequestFactory().post("/x/", {}, HTTP_REFERER="http://testserver/somewhere/")
    assert safe_next(request, "/home/") == "/home/"


class _Form(forms.Form):
    name = forms.CharField(required=False)


def test_service_errors_land_on_their_field_or_at_the_top():
    form = _Form({"name": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"name": "Taken.", "other": "Elsewhere."}))
    assert form.errors["name"] == ["Taken."]
    assert form.non_field_errors() == ["Elsewhere."]
    form = _Form({"name": "x"})
    form.is_valid()
    add_service_errors(form, ValidationError("Plain."))
    assert form.non_field_errors() == ["Plain."]
