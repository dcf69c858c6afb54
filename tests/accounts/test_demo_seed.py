from accounts.demo import DEMO_EMAIL, seed_demo_data
from accounts.models import User
from tracking.models import Application, SavedJob


def test_the_demo_user_gets_a_board_and_saved_jobs_once(db):
    first = seed_demo_data()
    demo = User.objects.get(email=DEMO_EMAIL)
    assert first["demo_applications"] > 5
    assert Application.objects.for_user(demo).count() == first["demo_applications"]
    assert SavedJob.objects.for_user(demo).count() == first["demo_saved_jobs"] >= 3
    second = seed_demo_data()
    assert second["demo_applications"] == 0 and second["demo_saved_jobs"] == 0
    assert Application.objects.for_user(demo).count() == first["demo_applications"]


def test_the_demo_has_an_employer_who_owns_a_company_and_the_banner_names_it(db):
    from accounts.demo import EMPLOYER_EMAIL, EMPLOYER_PASSWORD
    from config.run import _banner
    from jobs.models import CompanyMembership

    seed_demo_data()
    employer = User.objects.get(email=EMPLOYER_EMAIL)
    assert employer.check_password(EMPLOYER_PASSWORD)
    membership = CompanyMembership.objects.get(user=employer)
    assert membership.role == CompanyMembership.Role.OWNER
    assert membership.company.postings.exists()
    banner = _banner("http://127.0.0.1:8000/")
    assert f"{EMPLOYER_EMAIL} / {EMPLOYER_PASSWORD}" in banner
    seed_demo_data()  # twice: still one membership
    assert CompanyMembership.objects.filter(user=employer).count() == 1


def test_the_readme_banner_names_the_employer(db):
    from pathlib import Path

    from accounts.demo import EMPLOYER_EMAIL, EMPLOYER_PASSWORD

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert f"{EMPLOYER_EMAIL} / {EMPLOYER_PASSWORD}" in readme
