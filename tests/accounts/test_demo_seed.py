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
