"""Personal API tokens (the clip API, the browser extension). Keyword-only, typed."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import ApiToken, User

PREFIX = "jt_"
NAME_MAX = 60
MAX_LIVE = 20


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token and its secret: the only time the secret exists outside the client."""
    name = " ".join((name or "").split()) or "Browser extension"
    if len(name) > NAME_MAX:
        raise ValidationError(
            {"name": f"Keep the name to {NAME_MAX} characters ({len(name)} now)."}
        )
    if ApiToken.objects.for_user(user).live().count() >= MAX_LIVE:
        raise ValidationError({"name": f"You have {MAX_LIVE} tokens: revoke one first."})
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:10], token_hash=token_hash(secret)
    )
    return token, secret


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The live token with this secret (its user loaded), stamping its last use."""
    secret = (secret or "").strip()
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.live()
        .select_related("user")
        .filter(token_hash=token_hash(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # One write a minute at most: the timestamp is for people, not for auditing each call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
