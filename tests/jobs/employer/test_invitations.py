"""Issue 16 point 5: company members are invited by email and join by accepting; the inviter's
answer is the same for known and unknown addresses; the form is rate limited."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobs.employer import selectors, services
from jobs.models import CompanyInvitation, CompanyMembership, InvitationStatus
from jobs.tasks import company_invitation_email
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company(user):
    company = CompanyFactory(name="Acme Robotics")
    CompanyMembership.objects.create(company=company, user=user, role="owner")
    return company


@pytest.fixture
def invitee():
    return UserFactory(email="invitee@example.com")


def invite(client, company, email, role="editor"):
    return client.post(
        reverse("employer:member_add", args=[company.slug]),
        {"member-email": email, "member-role": role},
        follow=True,
    )


def _answer(response) -> tuple:
    messages = [str(m) for m in response.context["messages"]]
    return response.status_code, response.redirect_chain, messages


def test_the_answer_is_the_same_for_known_and_unknown_addresses(owner_client, company, invitee):
    known = _answer(invite(owner_client, company, "invitee@example.com"))
    unknown = _answer(invite(owner_client, company, "nobody@example.com"))
    assert known[:2] == unknown[:2] == (200, [(f"/employer/companies/{company.slug}/", 302)])
    assert [m.replace("invitee@", "X@") for m in known[2]] == [
        m.replace("nobody@", "X@") for m in unknown[2]
    ]
    # Nobody became a member without consent; both are invited.
    assert not CompanyMembership.objects.filter(company=company, user=invitee).exists()
    assert set(
        CompanyInvitation.objects.filter(company=company).values_list("email", flat=True)
    ) == {"invitee@example.com", "nobody@example.com"}


def test_the_invitation_is_emailed_with_its_link_in_its_own_transaction(owner_client, company):
    invite(owner_client, company, "New.Person@Example.com")
    invitation = CompanyInvitation.objects.get(company=company)
    assert invitation.email == "new.person@example.com"
    # Written with the invitation (an outbox row of its transaction), not a Redis-only task.
    (message,) = mail.outbox
    assert message.to == ["new.person@example.com"]
    assert "Acme Robotics" in message.subject
    assert reverse("employer:invitation", args=[invitation.token]) in message.body
    # A task queued before the outbox still sends at most once per token.
    mail.outbox.clear()
    assert company_invitation_email.apply(args=[invitation.pk]).get() is True
    assert company_invitation_email.apply(args=[invitation.pk]).get() is False
    assert len(mail.outbox) == 1


def test_the_invitee_accepts_and_becomes_a_member_with_the_role(owner_client, company, invitee):
    invite(owner_client, company, "invitee@example.com", role="owner")
    invitation = CompanyInvitation.objects.get(company=company)
    client = Client()
    client.force_login(invitee)
    page = client.get(reverse("employer:invitation", args=[invitation.token]))
    assert page.status_code == 200 and "Acme Robotics" in page.content.decode()
    response = client.post(reverse("employer:invitation_accept", args=[invitation.token]))
    assert response.status_code == 302
    assert CompanyMembership.objects.get(company=company, user=invitee).role == "owner"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    # The link is spent.
    client.post(reverse("employer:invitation_accept", args=[invitation.token]))
    assert CompanyMembership.objects.filter(company=company, user=invitee).count() == 1


def test_declining_makes_no_member(owner_client, company, invitee):
    invite(owner_client, company, "invitee@example.com")
    invitation = CompanyInvitation.objects.get(company=company)
    client = Client()
    client.force_login(invitee)
    client.post(reverse("employer:invitation_decline", args=[invitation.token]))
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert not CompanyMembership.objects.filter(company=company, user=invitee).exists()


def test_someone_else_with_the_link_gets_a_404_and_joins_nothing(
    owner_client, company, invitee, other_user
):
    invite(owner_client, company, "invitee@example.com")
    invitation = CompanyInvitation.objects.get(company=company)
    client = Client()
    client.force_login(other_user)
    page = client.get(reverse("employer:invitation", args=[invitation.token]))
    assert page.status_code == 404 and "Acme Robotics" not in page.content.decode()
    response = client.post(reverse("employer:invitation_accept", args=[invitation.token]))
    assert response.status_code == 404
    assert not CompanyMembership.objects.filter(company=company, user=other_user).exists()


def test_an_expired_invitation_cannot_be_accepted(owner_client, company, invitee):
    invite(owner_client, company, "invitee@example.com")
    invitation = CompanyInvitation.objects.get(company=company)
    client = Client()
    client.force_login(invitee)
    later = timezone.now() + dt.timedelta(days=services.INVITATION_DAYS, hours=1)
    with time_machine.travel(later):
        response = client.post(
            reverse("employer:invitation_accept", args=[invitation.token]), follow=True
        )
    assert "has expired" in response.content.decode()
    assert not CompanyMembership.objects.filter(company=company, user=invitee).exists()


def test_the_owner_sees_pending_invitations_and_cancels_one(owner_client, company, invitee):
    invite(owner_client, company, "invitee@example.com")
    invitation = CompanyInvitation.objects.get(company=company)
    page = owner_client.get(reverse("employer:company_edit", args=[company.slug]))
    html = page.content.decode()
    assert "invitee@example.com" in html
    cancel = reverse("employer:invitation_cancel", args=[company.slug, invitation.pk])
    assert cancel in html
    owner_client.post(cancel)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CANCELLED
    client = Client()
    client.force_login(invitee)
    client.post(reverse("employer:invitation_accept", args=[invitation.token]))
    assert not CompanyMembership.objects.filter(company=company, user=invitee).exists()
    page = owner_client.get(reverse("employer:company_edit", args=[company.slug]))
    assert cancel not in page.content.decode()


def test_inviting_again_renews_the_one_open_invitation(owner_client, company):
    invite(owner_client, company, "invitee@example.com")
    first = CompanyInvitation.objects.get(company=company).token
    invite(owner_client, company, "INVITEE@example.com")
    (invitation,) = CompanyInvitation.objects.filter(company=company)
    assert invitation.token != first
    assert selectors.invitation_by_token(token=first) is None


def test_an_editor_cannot_invite(company, invitee):
    editor = UserFactory()
    CompanyMembership.objects.create(company=company, user=editor, role="editor")
    client = Client()
    client.force_login(editor)
    response = invite(client, company, "invitee@example.com")
    assert "Only an owner" in response.content.decode()
    assert not CompanyInvitation.objects.exists()


def test_the_form_is_rate_limited_per_inviter(owner_client, company):
    for i in range(10):
        assert invite(owner_client, company, f"person{i}@example.com").status_code == 200
    response = invite(owner_client, company, "person10@example.com")
    assert response.status_code == 429
    assert "Too many invitations" in response.content.decode()
    assert CompanyInvitation.objects.filter(company=company).count() == 10


def test_the_form_is_rate_limited_per_company(company):
    owners = [UserFactory() for _ in range(3)]
    for owner in owners:
        CompanyMembership.objects.create(company=company, user=owner, role="owner")
    sent = 0
    for n, owner in enumerate(owners):
        client = Client()
        client.force_login(owner)
        for i in range(10):
            if invite(client, company, f"p{n}-{i}@example.com").status_code == 200:
                sent += 1
    assert sent == 20  # 3 owners × 10 tries, 20 per company and hour
    assert CompanyInvitation.objects.filter(company=company).count() == 20
