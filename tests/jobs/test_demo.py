import pytest
from django.core.management import call_command

from accounts.demo import seed_demo_data
from jobs.board.search import SearchParams, search_postings, suggest_query
from jobs.demo import DEMO_SOURCE, SEED_TITLE, seed_jobs_demo
from jobs.models import Company, CompanyGroup, Location, Posting

pytestmark = pytest.mark.django_db


def test_seed_creates_the_group_with_its_two_application_rule():
    seed_jobs_demo()

    group = CompanyGroup.objects.get(name="Parallax Group")
    assert group.application_limit == 2
    assert sorted(group.companies.values_list("name", flat=True)) == [
        "Parallax Commerce",
        "Parallax Labs",
        "Parallax Video",
    ]
    assert "two applications" in group.application_rule


def test_seed_reproduces_the_content_safety_internship():
    seed_jobs_demo()

    posting = Posting.objects.get(title=SEED_TITLE)
    assert posting.company.name == "Parallax Video"
    assert (posting.employment_type, posting.level, posting.review_policy) == (
        "internship",
        "internship",
        "rolling",
    )
    assert posting.is_open
    assert sorted(str(loc) for loc in posting.locations.all()) == [
        "San Jose, CA, United States of America",
        "Seattle, WA, United States of America",
        "Singapore, Singapore",
    ]
    assert "PhD or MS" in posting.description
    assert "maximum of two positions" in posting.description
    assert "<h3>Responsibilities</h3>" in posting.description
    assert posting.search_vector is not None
    assert search_postings(SearchParams(q="content safety")).hits[0].posting == posting
    assert suggest_query("machne lerning") == "machine learning"


def test_seed_creates_hundreds_of_varied_postings():
    seed_jobs_demo()

    demo = Posting.objects.filter(source=DEMO_SOURCE)
    assert demo.count() >= 300
    assert demo.filter(status="published").count() >= 250
    assert demo.filter(status="closed").exists() and demo.filter(status="expired").exists()
    assert set(demo.values_list("workplace", flat=True)) == {"onsite", "hybrid", "remote"}
    assert set(demo.values_list("employment_type", flat=True)) >= {
        "full_time",
        "part_time",
        "contract",
        "internship",
    }
    assert len(set(demo.values_list("salary_currency", flat=True))) >= 8
    assert set(demo.values_list("salary_period", flat=True)) >= {"hour", "month", "year"}
    assert demo.filter(application_deadline__isnull=False).exists()
    assert demo.filter(salary_min__isnull=True).exists()
    assert Location.objects.values("country").distinct().count() >= 12
    assert Company.objects.count() >= 20
    assert not demo.filter(search_vector__isnull=True).exists()
    assert not demo.filter(locations__isnull=True).exists()
    for posting in demo.exclude(status="published")[:20]:
        assert not posting.is_open
    titles = set(demo.values_list("title", flat=True))
    assert len(titles) >= 150
    sample = demo.get(external_id="demo-0001").description
    assert sample.count("<ul>") == 4 and "<li>" in sample


def test_seed_is_deterministic_and_idempotent():
    first = seed_jobs_demo()
    snapshot = list(
        Posting.objects.order_by("external_id").values_list(
            "external_id", "title", "salary_min", "updated_at"
        )
    )

    second = seed_jobs_demo()

    assert first["demo_postings"] == second["demo_postings"] >= 300
    assert second["demo_postings_created"] == 0
    assert (
        list(
            Posting.objects.order_by("external_id").values_list(
                "external_id", "title", "salary_min", "updated_at"
            )
        )
        == snapshot
    )
    assert CompanyGroup.objects.count() == 1


def test_seed_demo_command_loads_the_board():
    call_command("seed_demo")
    call_command("seed_demo")

    assert Posting.objects.filter(title=SEED_TITLE).count() == 1
    assert seed_demo_data()["demo_postings_created"] == 0
