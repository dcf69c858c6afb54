"""The base layout: landmarks, navigation, htmx + CSRF header, and the site's own error pages."""

import re

from django.test import RequestFactory

from config.errors import server_error


def test_home_has_landmarks_skip_link_and_main_navigation(client, db):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert re.search(r'<main id="main"', html)
    assert '<nav class="main-nav" aria-label="Main">' in html
    for label in ("Jobs", "Saved", "Applications", "Dashboard"):
        assert f">{label}</a>" in html
    assert "<footer" in html


def test_every_page_loads_the_vendored_htmx_and_sends_the_csrf_token_as_a_header(client, db):
    html = client.get("/").content.decode()
    assert "/static/vendor/htmx-2.0.10.min.js" in html
    assert re.search(r'<body hx-headers=\'\{"X-CSRFToken": "[A-Za-z0-9]+"\}\'>', html)
    assert "cdn" not in html.lower()


def test_signed_in_user_sees_account_menu_with_logout_as_a_post_form(client, user):
    client.force_login(user)
    html = client.get("/").content.decode()
    assert 'action="/accounts/logout/"' in html
    assert re.search(r'<form method="post" action="/accounts/logout/">', html)
    assert "Log in" not in html


def test_unknown_page_uses_the_site_404_page(client, db, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert (
        b"We can&#x27;t find that page" in response.content or b"find that page" in response.content
    )
    assert b'class="site-header"' in response.content


def test_server_error_page_renders_without_a_request_context(db):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert b"Something went wrong on our side" in response.content


def test_state_changing_logout_refuses_get(client, user):
    client.force_login(user)
    client.get("/accounts/logout/")
    # GET shows a confirmation page at most; the session survives.
    assert client.get("/account/profile/").status_code == 200


def test_the_home_page_of_a_signed_in_user_is_the_dashboard_and_the_nav_says_so(client, user):
    client.force_login(user)
    html = client.get("/").content.decode()
    assert '<a href="/dashboard/" aria-current="page">Dashboard</a>' in html
