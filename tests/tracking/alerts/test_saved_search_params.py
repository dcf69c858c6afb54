"""A saved search keeps every filter of the /jobs/ URL, by the names the URL uses."""

from tracking.alerts.forms import clean_querystring


def test_a_saved_search_keeps_the_salary_its_currency_and_the_date_filter():
    kept = clean_querystring("/jobs/?q=python&salary=80000&currency=PLN&posted=7&page=3&x=1")
    assert kept == "q=python&salary=80000&currency=PLN&posted=7"
