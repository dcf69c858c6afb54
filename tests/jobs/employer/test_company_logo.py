"""Company logos: the upload on the company settings form (checked and resized with Pillow), the
logo's URL, and the monogram shown without one."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from jobs.board.search import refresh_search_vectors
from jobs.employer import services
from jobs.employer.logos import MAX_UPLOAD_BYTES
from jobs.models import CompanyLogo
from jobs.templatetags.company_logo import company_logo, monogram
from tests.factories import CompanyFactory, PostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(user):
    return services.company_create(name="Acme Robotics", website="https://acme.example", by=user)


def image_file(name="logo.png", size=(400, 200), fmt="PNG", colour=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def post_settings(client, company, **extra):
    data = {"name": company.name, "website": company.website, "description": "", **extra}
    return client.post(reverse("employer:company_edit", args=[company.slug]), data)


def test_an_uploaded_logo_is_resized_to_a_square_webp_and_served(owner_client, company):
    response = post_settings(owner_client, company, logo=image_file())
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.logo_updated_at is not None
    stored = CompanyLogo.objects.get(company=company)
    with Image.open(io.BytesIO(bytes(stored.image))) as image:
        assert (image.format, image.size) == ("WEBP", (128, 128))

    served = owner_client.get(company.logo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert "immutable" in served["Cache-Control"]
    assert served.content == bytes(stored.image)
    # The card and the company settings show the image instead of the monogram.
    PostingFactory(company=company, title="Robot Wrangler")
    refresh_search_vectors()
    html = owner_client.get("/jobs/").content.decode()
    assert f'src="{company.logo_url.replace("&", "&amp;")}"' in html


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("logo.png", b"not an image at all", content_type="image/png"),
            "Upload a valid image",
        ),
        (
            image_file("logo.bmp", fmt="BMP"),
            "The logo is a BMP image; upload a PNG, JPEG, WebP or GIF.",
        ),
        (
            image_file(size=(5000, 4000)),
            "The logo is 5000 × 4000 pixels; it can be at most 4096 × 4096.",
        ),
    ],
)
def test_a_bad_logo_is_refused_with_a_message_naming_the_field(
    owner_client, company, upload, message
):
    response = post_settings(owner_client, company, logo=upload, description="Kept")
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in error for error in form.errors["logo"]), form.errors
    assert form["description"].value() == "Kept"  # the form comes back filled in
    company.refresh_from_db()
    assert company.logo_updated_at is None and not CompanyLogo.objects.exists()


def test_a_logo_over_the_size_limit_is_refused(owner_client, company, monkeypatch):
    monkeypatch.setattr("jobs.employer.logos.MAX_UPLOAD_BYTES", 10 * 1024)
    buffer = io.BytesIO()
    Image.effect_noise((300, 300), 100).save(buffer, format="PNG")  # noise does not compress
    upload = SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")
    response = post_settings(owner_client, company, logo=upload)
    assert response.status_code == 400
    assert (
        f"The logo is {round(len(buffer.getvalue()) / 1024)} KB; it can be at most 10 KB."
        in (response.context["form"].errors["logo"])
    )
    assert MAX_UPLOAD_BYTES == 2 * 1024 * 1024


def test_removing_the_logo_brings_the_monogram_back(owner_client, company):
    post_settings(owner_client, company, logo=image_file())
    response = post_settings(owner_client, company, remove_logo="on")
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.logo_url == "" and not CompanyLogo.objects.exists()
    assert owner_client.get(reverse("jobs:company_logo", args=[company.slug])).status_code == 404


def test_without_a_logo_a_monogram_shows_the_initials_on_a_colour_of_the_name():
    initials, colour = monogram("Acme Robotics")
    assert initials == "AR" and monogram("Acme Robotics")[1] == colour  # stable
    assert monogram("hooli")[0] == "H" and monogram("-")[0] == "?"
    assert {monogram(f"Company {i}")[1] for i in range(40)} != {colour}  # names spread over colours
    html = company_logo(CompanyFactory(name="Acme Robotics"))
    assert f'class="company-logo logo-48 company-monogram monogram-{colour}"' in html
    assert 'aria-hidden="true">AR</span>' in html


def test_the_remove_checkbox_shows_only_when_there_is_a_logo(owner_client, company):
    url = reverse("employer:company_edit", args=[company.slug])
    assert 'name="remove_logo"' not in owner_client.get(url).content.decode()
    assert (
        'name="remove_logo"'
        not in owner_client.get(reverse("employer:company_create")).content.decode()
    )
    post_settings(owner_client, company, logo=image_file())
    html = owner_client.get(url).content.decode()
    assert 'name="remove_logo"' in html and "Remove the current logo" in html
    # A bad post (a missing name) keeps it while the logo is there.
    html = post_settings(owner_client, company, name="").content.decode()
    assert 'name="remove_logo"' in html
