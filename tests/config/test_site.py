"""config/site.py: the one helper that turns a path into a link on the public address."""

from config.site import absolute_url, site_host, site_scheme


def test_absolute_url_puts_a_path_on_the_public_address(settings):
    settings.SITE_URL = "https://jobs.example.org"
    assert absolute_url("/jobs/1-x/") == "https://jobs.example.org/jobs/1-x/"
    assert absolute_url("jobs/") == "https://jobs.example.org/jobs/"
    assert absolute_url("https://elsewhere.example/a") == "https://elsewhere.example/a"
    assert site_host() == "jobs.example.org"
    assert site_scheme() == "https"


def test_links_follow_the_setting_when_it_changes(settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert absolute_url("/x") == "http://127.0.0.1:8000/x"
    assert site_scheme() == "http"
