"""POST /api/clip/: the browser extension's (and any script's) way in.

Authorization: Bearer <personal token> (accounts.tokens), JSON body
{"url", "html" or "text", "action": "save" | "track" | "preview", "stage", "collection", "note"}.
No cookies, so no CSRF: a request without a valid token is 401 before anything is read.
Answers are JSON; errors are {"error": message, "fields": {field: message}}.
"""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.tokens.services import api_token_authenticate
from config.user_page_cache import mark_writer
from jobs.clip.extract import extract
from jobs.clip.services import ACTIONS, clip_keep

MAX_BYTES = 2 * 1024 * 1024
TOO_BIG = "The page is over 2 MB: send the selection or the text instead."


def _error(status: int, message: str, fields: dict | None = None) -> JsonResponse:
    response = JsonResponse({"error": message, "fields": fields or {}}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="jobtrail"'
    return response


def rate_limited(token_id: int) -> bool:
    """A fixed one-minute window per token in Redis (shared by every web process)."""
    limit = getattr(settings, "CLIP_RATE_LIMIT_PER_MINUTE", 30)
    key = f"clip-rate:{token_id}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key) > limit
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=120)
        return False


def _payload(request: HttpRequest) -> dict | JsonResponse:
    """The JSON body as a dict, or the error response to send."""
    try:
        body = request.body
    except RequestDataTooBig:
        return _error(413, TOO_BIG)
    if len(body) > MAX_BYTES:
        return _error(413, TOO_BIG)
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _error(400, "The body is not valid JSON.", {"body": "Send a JSON object."})
    if not isinstance(data, dict):
        return _error(400, "The body must be a JSON object.", {"body": "Send a JSON object."})
    fields = {}
    for name in ("url", "html", "text", "action", "stage", "collection", "note"):
        if data.get(name) is not None and not isinstance(data[name], str):
            fields[name] = "Must be a string."
    if fields:
        return _error(400, "Some fields have the wrong type.", fields)
    return data


@csrf_exempt
@require_POST
def clip(request: HttpRequest) -> JsonResponse:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    token = api_token_authenticate(secret=secret) if scheme.lower() == "bearer" else None
    if token is None:
        return _error(401, "Send a valid personal token: Authorization: Bearer <token>.")
    mark_writer(request, token.user_id)  # its cached pages are stale after this call
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > MAX_BYTES:
        return _error(413, TOO_BIG)
    if rate_limited(token.pk):
        response = _error(429, "Too many clips in a minute: wait a moment and try again.")
        response["Retry-After"] = "60"
        return response
    data = _payload(request)
    if isinstance(data, JsonResponse):
        return data
    action = (data.get("action") or "save").strip().lower()
    if action not in ACTIONS:
        return _error(400, "Unknown action.", {"action": "Say “save”, “track” or “preview”."})
    html, text = data.get("html") or "", data.get("text") or ""
    if not html.strip() and not text.strip():
        return _error(400, "Nothing to clip.", {"html": "Send the page's HTML or its text."})
    found = extract(url=data.get("url") or "", html=html, text=text if not html.strip() else "")
    if action != "preview" and found.missing() and not found.description_text:
        return _error(
            400,
            "No job was found on the page.",
            {name: f"No {name} was found on the page." for name in found.missing()},
        )
    try:
        result = clip_keep(
            user=token.user,
            clip=found,
            action=action,
            stage=data.get("stage") or "",
            collection=data.get("collection") or "",
            note=data.get("note") or "",
            site_host=request.get_host(),
        )
    except ValidationError as exc:
        fields = {k: " ".join(v) for k, v in exc.message_dict.items()}
        return _error(400, "The job could not be kept: " + " ".join(fields.values()), fields)
    body = {
        "action": action,
        "extracted": {
            key: value for key, value in found.as_json().items() if key != "description_text"
        },
        "summary_text_length": len(found.description_text),
        "created": result.created,
        "duplicate": result.duplicate,
        "kind": result.kind,
        "url": request.build_absolute_uri(result.url) if result.url else None,
        "posting_url": request.build_absolute_uri(result.posting.get_absolute_url())
        if result.posting
        else None,
        "messages": result.messages,
    }
    status = 201 if result.created else 200
    return JsonResponse(body, status=status)
