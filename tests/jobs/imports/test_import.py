import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from jobs.imports.importers import import_postings
from jobs.models import Company, CompanyGroup, ImportJob, Location, Posting
from jobs.tasks import run_import_job
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def csv_bytes(*rows: str, header: str = "title,company,description,external_id") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


@time_machine.travel(NOW, tick=False)
def test_csv_file_creates_postings_companies_and_locations():
    report = import_postings(read("postings.csv"), filename="postings.csv", source="northwind")

    assert report.ok, report.lines()
    assert (report.format, report.created, report.updated) == ("CSV", 3, 0)
    backend = Posting.objects.get(source="northwind", external_id="NW-17")
    assert backend.company.name == "Northwind Labs"
    assert backend.company.website == "https://northwind.example"
    assert (backend.employment_type, backend.level, backend.workplace) == (
        "full_time",
        "senior",
        "hybrid",
    )
    assert (backend.salary_min, backend.salary_max, backend.salary_currency) == (
        70000,
        90000,
        "EUR",
    )
    assert (
        "<script>" not in backend.description
        and "<li>5+ years of Python</li>" in backend.description
    )
    assert backend.status == "published" and backend.published_at == NOW
    assert backend.application_deadline == dt.date(2099, 3, 31)
    assert backend.expires_at.date() == dt.date(2099, 3, 31)
    assert sorted(str(loc) for loc in backend.locations.all()) == [
        "Berlin, BE, Germany",
        "Hamburg, Germany",
    ]
    assert backend.countries == ["DE"]

    analyst = Posting.objects.get(external_id="NW-22")
    assert analyst.description.startswith("<p>We turn shipment data into decisions.</p>")
    assert (analyst.salary_period, analyst.review_policy, analyst.workplace) == (
        "month",
        "after_deadline",
        "remote",
    )
    assert analyst.apply_email == "jobs@northwind.example"
    assert [str(loc) for loc in analyst.locations.all()] == ["Lisbon, Portugal"]

    nurse = Posting.objects.get(external_id="HH-RN-4")
    assert (nurse.salary_currency, nurse.salary_period, nurse.employment_type) == (
        "USD",
        "hour",
        "part_time",
    )
    assert nurse.expires_at == NOW + dt.timedelta(days=60)
    assert nurse.company.group.name == "Harbor Health Group"
    assert Company.objects.count() == 2


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("name", "rows", "companies", "locations"),
    [("postings.csv", 3, 2, 4), ("postings.json", 2, 1, 2), ("jobposting.jsonld", 2, 1, 3)],
)
def test_importing_the_same_file_twice_leaves_one_copy(name, rows, companies, locations):
    first = import_postings(read(name), filename=name)
    second = import_postings(read(name), filename=name)

    assert (first.created, second.created, second.updated, second.unchanged) == (rows, 0, 0, rows)
    assert Posting.objects.count() == rows
    assert Company.objects.count() == companies
    assert Location.objects.count() == locations
    assert sorted(first.posting_ids) == sorted(second.posting_ids)


@time_machine.travel(NOW, tick=False)
def test_a_second_import_updates_changed_fields():
    import_postings(read("postings.csv"), filename="postings.csv")
    changed = (
        read("postings.csv")
        .replace(b"Senior Backend Engineer (Python)", b"Staff Backend Engineer (Python)")
        .replace(b"70000,90000", b"80000,99000")
    )

    report = import_postings(changed, filename="postings.csv")

    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    posting = Posting.objects.get(external_id="NW-17")
    assert posting.title == "Staff Backend Engineer (Python)"
    assert posting.slug == "staff-backend-engineer-python"
    assert (posting.salary_min, posting.salary_max) == (80000, 99000)
    assert Posting.objects.count() == 3


@time_machine.travel(NOW, tick=False)
def test_the_same_external_id_from_another_source_is_another_posting():
    import_postings(read("postings.csv"), filename="postings.csv", source="a")
    import_postings(read("postings.csv"), filename="postings.csv", source="b")

    assert Posting.objects.filter(external_id="NW-17").count() == 2


@time_machine.travel(NOW, tick=False)
def test_rows_without_external_id_are_still_imported_once():
    data = csv_bytes("Barista,Cafe Uno,Make coffee.,", "Cook,Cafe Uno,Cook food.,")

    import_postings(data, filename="x.csv")
    report = import_postings(data, filename="x.csv")

    assert report.unchanged == 2
    assert Posting.objects.count() == 2


@time_machine.travel(NOW, tick=False)
def test_json_list_of_objects_is_imported_with_unknown_keys_as_a_warning():
    report = import_postings(read("postings.json"), filename="postings.json")

    assert report.ok, report.lines()
    assert (report.format, report.created) == ("JSON", 2)
    assert report.warnings == ["Unknown key(s) ignored: favourite_colour."]
    designer = Posting.objects.get(external_id="K-PD-1")
    assert (designer.salary_min, designer.salary_currency, designer.workplace) == (
        95000,
        "CAD",
        "remote",
    )
    support = Posting.objects.get(external_id="K-SUP-2")
    assert support.employment_type == "contract"
    assert support.description == "<p>Help our customers by chat and email.</p>"


@time_machine.travel(NOW, tick=False)
def test_json_ld_graph_maps_the_schema_org_properties():
    report = import_postings(
        read("jobposting.jsonld"), filename="jobposting.jsonld", source="orbital"
    )

    assert report.ok, report.lines()
    assert (report.format, report.created) == ("JSON-LD", 2)
    assert report.warnings == ["item 1 ignored: it is not a JobPosting (Organization)."]
    ml = Posting.objects.get(source="orbital", external_id="OF-ML-9")
    assert ml.company.name == "Orbital Foods"
    assert ml.company.website == "https://orbital.example"
    assert ml.employment_type == "full_time"
    assert ml.published_at == dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    assert ml.expires_at == dt.datetime(2099, 1, 31, 23, 59, 59, tzinfo=dt.UTC)
    assert ml.application_deadline == dt.date(2099, 1, 31)
    assert (ml.salary_min, ml.salary_max, ml.salary_currency, ml.salary_period) == (
        140000,
        175000,
        "USD",
        "year",
    )
    assert sorted(str(loc) for loc in ml.locations.all()) == [
        "Austin, TX, United States of America",
        "Dublin, Ireland",
    ]
    assert ml.apply_url == "https://orbital.example/careers/ml-9"

    writer = Posting.objects.get(external_id="OF-TW-3")
    assert (writer.workplace, writer.employment_type, writer.salary_period) == (
        "remote",
        "part_time",
        "hour",
    )
    assert (writer.salary_min, writer.salary_max) == (60, 60)
    assert writer.countries == ["US"]
    assert writer.published_at == dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
def test_json_ld_single_object_and_list_are_accepted():
    item = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": "Line Cook",
        "description": "<p>Cook.</p>",
        "hiringOrganization": {"name": "Bistro"},
        "jobLocation": {"address": {"addressLocality": "Lyon", "addressCountry": "FR"}},
        "identifier": {"value": "B-1"},
    }
    one = import_postings(json.dumps(item).encode(), filename="one.json")
    many = import_postings(json.dumps([item]).encode(), filename="many.json")

    assert (one.created, many.unchanged) == (1, 1)
    assert Posting.objects.get().countries == ["FR"]


@time_machine.travel(NOW, tick=False)
def test_errors_name_the_row_and_column_and_nothing_is_saved():
    report = import_postings(read("invalid.csv"), filename="invalid.csv")

    assert not report.ok
    messages = [str(e) for e in report.errors]
    assert "row 3, column salary_min: 'abc' is not a whole number" in messages
    assert "row 4, column title: is required" in messages
    assert "row 4, column salary_max: 40000 is less than salary_min (50000)" in messages
    assert any(m.startswith("row 4, column locations: 'ZZ' is not a country") for m in messages)
    assert any(m.startswith("row 4, column apply_url: 'not-a-url'") for m in messages)
    assert not any(m.startswith("row 2") for m in messages)
    assert Posting.objects.count() == 0
    assert Company.objects.count() == 0
    assert report.summary() == f"Rejected: {len(messages)} problem(s); nothing was imported."


@time_machine.travel(NOW, tick=False)
def test_skip_invalid_imports_the_valid_rows_and_reports_each_skipped_row():
    report = import_postings(read("invalid.csv"), filename="invalid.csv", skip_invalid=True)

    assert report.ok
    assert report.created == 1
    assert [s.row for s in report.skipped] == ["row 3", "row 4"]
    assert str(report.skipped[0]) == "row 3 skipped: column salary_min: 'abc' is not a whole number"
    assert Posting.objects.get().external_id == "NW-30"


@time_machine.travel(NOW, tick=False)
def test_json_errors_name_the_item_and_key():
    data = json.dumps(
        [
            {"title": "A", "company": "C", "description": "d", "salary_min": "lots"},
            {"title": "B", "company": "C", "description": "d", "level": "wizard"},
        ]
    ).encode()

    report = import_postings(data, filename="x.json")

    messages = [str(e) for e in report.errors]
    assert "item 1, column salary_min: 'lots' is not a whole number" in messages
    assert any(m.startswith("item 2, column level: 'wizard' is not one of:") for m in messages)


@time_machine.travel(NOW, tick=False)
def test_json_ld_errors_name_the_nested_key():
    item = {
        "@type": "JobPosting",
        "title": "X",
        "description": "d",
        "hiringOrganization": {"name": "C"},
        "baseSalary": {"currency": "USD", "value": {"minValue": "ten", "unitText": "YEAR"}},
    }
    report = import_postings(json.dumps(item).encode(), filename="x.jsonld")

    assert [str(e) for e in report.errors] == [
        "item 1, column baseSalary.value.minValue: 'ten' is not a whole number"
    ]


@time_machine.travel(NOW, tick=False)
def test_a_repeated_external_id_in_one_file_is_an_error():
    data = csv_bytes("A,C,d,X-1", "B,C,d,X-1")

    report = import_postings(data, filename="x.csv")

    assert [str(e) for e in report.errors] == ["row 3, column external_id: 'X-1' repeats row 2"]


@time_machine.travel(NOW, tick=False)
def test_a_published_row_past_its_deadline_is_imported_as_expired_with_a_warning():
    header = "title,company,description,application_deadline,status"
    report = import_postings(
        csv_bytes("A,C,d,2020-01-01,published", "B,C,d,2020-01-01,closed", header=header),
        filename="x.csv",
    )

    assert report.ok
    assert report.warnings == ["1 row(s) past their deadline were imported as expired: row 2."]
    assert dict(Posting.objects.values_list("title", "status")) == {"A": "expired", "B": "closed"}


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "x.csv", "The file is empty."),
        (b"   \n", "x.csv", "The file is empty."),
        (b"title,company,description\n", "x.csv", "The file has a header row but no postings."),
        (b"[]", "x.json", "The file holds no postings."),
        (b'[{"title": "A",}]', "x.json", "Not valid JSON: Expecting property name"),
        (
            b"title,company\nA,B\n",
            "x.csv",
            "Missing required column(s): description. The header row (row 1) has: title, company.",
        ),
        (
            "title,company,description\nCaf\u00e9,B,c\n".encode("latin-1"),
            "x.csv",
            "The file is not UTF-8: byte 0xe9 on line 2",
        ),
        ("title\n".encode("utf-16"), "x.csv", "The file is UTF-16 encoded."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "x.png", "This is not a text file"),
    ],
)
def test_unreadable_files_are_rejected_with_a_clear_message(data, filename, message):
    report = import_postings(data, filename=filename)

    assert not report.ok
    assert str(report.errors[0]).startswith(message)
    assert Posting.objects.count() == 0


def test_a_bom_is_accepted_and_unknown_columns_are_warned_about():
    data = "\ufefftitle,company,description,Shoe size\nA,B,c,44\n".encode()

    with time_machine.travel(NOW, tick=False):
        report = import_postings(data, filename="x.csv")

    assert report.ok
    assert report.warnings == ["Unknown column(s) ignored: Shoe size."]


def test_semicolon_separated_csv_is_read():
    data = b'title;company;description;locations\nA;B;c;"Paris, FR; Lyon, FR"\n'

    with time_machine.travel(NOW, tick=False):
        report = import_postings(data, filename="x.csv")

    assert report.created == 1
    assert Posting.objects.get().locations.count() == 2


def test_size_and_row_limits():
    big = import_postings(b"x" * 2048, filename="x.csv", max_bytes=1024)
    many = import_postings(csv_bytes(*[f"T{i},C,d,{i}" for i in range(11)]), max_rows=10)

    assert (
        str(big.errors[0]) == "The file is 0.0 MB; the limit is 0 MB. Split it into smaller files."
    )
    assert str(many.errors[0]) == "The file has more than 10 rows; split it into smaller files."


def test_format_is_detected_from_content_without_an_extension():
    with time_machine.travel(NOW, tick=False):
        report = import_postings(read("postings.json"), filename="upload")

    assert report.format == "JSON"


def test_dry_run_reports_but_saves_nothing():
    with time_machine.travel(NOW, tick=False):
        report = import_postings(read("postings.csv"), filename="postings.csv", dry_run=True)

    assert report.created == 3
    assert report.summary().startswith("Would import 3 of 3 row(s)")
    assert Posting.objects.count() == 0
    assert CompanyGroup.objects.count() == 0


# -- the management command ---------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_command_prints_the_report():
    out = StringIO()

    call_command("import_postings", str(DATA / "postings.csv"), "--source", "nw", stdout=out)

    assert "Imported 3 of 3 row(s) from CSV: 3 created, 0 updated, 0 unchanged." in out.getvalue()
    assert Posting.objects.filter(source="nw").count() == 3


@time_machine.travel(NOW, tick=False)
def test_command_exits_non_zero_with_the_row_and_column_errors():
    err = StringIO()

    with pytest.raises(CommandError) as exc:
        call_command("import_postings", str(DATA / "invalid.csv"), stderr=err)

    assert "nothing was imported" in str(exc.value)
    assert "error: row 3, column salary_min: 'abc' is not a whole number" in err.getvalue()
    assert Posting.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_command_skip_invalid_and_dry_run():
    out = StringIO()

    call_command(
        "import_postings", str(DATA / "invalid.csv"), "--skip-invalid", "--dry-run", stdout=out
    )

    assert "Would import 1 of 3 row(s)" in out.getvalue()
    assert "row 3 skipped: column salary_min: 'abc' is not a whole number" in out.getvalue()
    assert Posting.objects.count() == 0


def test_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_postings", str(tmp_path / "nope.csv"))


def test_command_exit_code_from_a_shell(tmp_path):
    """The real exit status (CommandError → 1) as a shell script would see it."""
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "import_postings", str(DATA / "invalid.csv")]).execute()

    assert exc.value.code == 1


# -- the staff upload page ----------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def upload(name: str, data: bytes | None = None, **extra):
    return {
        "file": SimpleUploadedFile(name, data if data is not None else read(name)),
        "source": "upload",
        **extra,
    }


def test_staff_import_page_refuses_non_staff(client):
    client.force_login(UserFactory())

    assert client.get("/staff/import/").status_code in (302, 403)
    response = client.post("/staff/import/", upload("postings.csv"))
    assert response.status_code in (302, 403)
    assert Posting.objects.count() == 0


def test_staff_import_page_refuses_anonymous(client):
    response = client.get("/staff/import/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_import_page_shows_the_form(staff_client):
    response = staff_client.get("/staff/import/")

    assert response.status_code == 200
    assert b'type="file"' in response.content
    assert b'name="skip_invalid"' in response.content


def upload_and_run(staff_client, data: dict, django_capture_on_commit_callbacks):
    """Upload through the page, run the enqueued import in this process (the task's body; a
    real worker runs it in tests/jobs/imports/test_import_jobs.py) and open the status page."""
    with django_capture_on_commit_callbacks() as enqueued:
        response = staff_client.post("/staff/import/", data)
    assert response.status_code == 302, response.content
    assert len(enqueued) == 1
    job = ImportJob.objects.get()
    assert response["Location"] == f"/staff/imports/{job.pk}/"
    run_import_job(job.pk)
    return staff_client.get(response["Location"])


@time_machine.travel(NOW, tick=False)
def test_staff_upload_imports_and_shows_the_report(
    staff_client, django_capture_on_commit_callbacks
):
    response = upload_and_run(
        staff_client, upload("postings.csv"), django_capture_on_commit_callbacks
    )

    assert response.status_code == 200
    assert b"3 created" in response.content
    posting = Posting.objects.get(external_id="NW-17")
    assert f'<a href="{posting.get_absolute_url()}">'.encode() in response.content
    assert Posting.objects.filter(source="upload").count() == 3


@time_machine.travel(NOW, tick=False)
def test_staff_upload_of_a_bad_file_shows_errors_and_changes_nothing(
    staff_client, django_capture_on_commit_callbacks
):
    response = upload_and_run(
        staff_client, upload("invalid.csv"), django_capture_on_commit_callbacks
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "nothing was imported" in content
    assert "<td>row 3</td>" in content
    assert "<td>salary_min</td>" in content
    assert "&#x27;abc&#x27; is not a whole number" in content
    assert Posting.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("binary.bin", b"\x00\x01\x02\xff" * 100),
        ("latin.csv", "title,company,description\nÉté,B,c\n".encode("latin-1")),
        ("broken.json", b'{"@graph": [1, 2'),
        ("empty.csv", b""),
    ],
)
def test_staff_upload_of_garbage_never_500s(staff_client, name, data):
    response = staff_client.post("/staff/import/", upload(name, data))

    assert response.status_code == 400
    assert b"errorlist" in response.content
    assert Posting.objects.count() == 0
    assert ImportJob.objects.count() == 0


def test_staff_upload_without_a_file_names_the_field(staff_client):
    response = staff_client.post("/staff/import/", {"source": "upload"})

    assert response.status_code == 400
    assert b"This field is required." in response.content


@time_machine.travel(NOW, tick=False)
def test_escaped_html_in_json_ld_descriptions_is_unescaped_then_sanitized():
    item = {
        "@type": "JobPosting",
        "title": "Baker",
        "description": "&lt;p&gt;Bake bread.&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;",
        "hiringOrganization": {"name": "Bakery"},
    }

    import_postings(json.dumps(item).encode(), filename="x.jsonld")

    assert Posting.objects.get().description == "<p>Bake bread.</p>"


@time_machine.travel(NOW, tick=False)
def test_values_longer_than_the_database_allows_are_row_errors():
    header = "title,company,description,company_website,apply_email"
    long_url = "https://example.com/" + "a" * 200
    long_email = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "com"
    data = csv_bytes(f"{'T' * 201},C,d,{long_url},{long_email}", header=header)

    report = import_postings(data, filename="x.csv")

    assert {e.column for e in report.errors} == {"title", "company_website", "apply_email"}


@time_machine.travel(NOW, tick=False)
def test_a_second_import_replaces_changed_locations():
    import_postings(read("postings.csv"), filename="postings.csv")
    moved = read("postings.csv").replace(b'"Boston, MA, US"', b'"Toronto, ON, CA"')

    report = import_postings(moved, filename="postings.csv")

    nurse = Posting.objects.get(external_id="HH-RN-4")
    assert report.updated == 1
    assert [str(loc) for loc in nurse.locations.all()] == ["Toronto, ON, Canada"]
    assert nurse.countries == ["CA"]


def test_import_queries_do_not_grow_with_the_rows(django_assert_max_num_queries):
    header = "title,company,description,locations,external_id"
    rows = [f'T{i},Acme,d,"Paris, FR",{i}' for i in range(300)]

    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(20):
        report = import_postings(csv_bytes(*rows, header=header), filename="x.csv")
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(20):
        again = import_postings(csv_bytes(*rows, header=header), filename="x.csv")

    assert (report.created, again.unchanged) == (300, 300)


@time_machine.travel(NOW, tick=False)
def test_created_and_updated_postings_are_summarized_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as first:
        created = import_postings(read("postings.csv"), filename="postings.csv")
    changed = read("postings.csv").replace(b"70000,90000", b"75000,90000")
    with django_capture_on_commit_callbacks() as second:
        updated = import_postings(changed, filename="postings.csv")
    with django_capture_on_commit_callbacks() as third:
        import_postings(changed, filename="postings.csv", dry_run=True)

    assert len(first) == 1 and sorted(created.changed_ids) == sorted(created.posting_ids)
    assert len(second) == 1
    assert updated.changed_ids == [Posting.objects.get(external_id="NW-17").pk]
    assert third == []
