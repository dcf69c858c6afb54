import json
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import ApiToken
from accounts.tokens import services
from config.http import AuthedHttpRequest

BOOKMARKLET = (
    "(function(){var o=%(origin)s,u=location.href,"
    "w=window.open(o+'/clip/bookmarklet/?url='+encodeURIComponent(u),'jobtrail_clip',"
    "'width=560,height=760');if(!w){location.href=o+'/clip/paste/?url='+encodeURIComponent(u);"
    "return}function f(e){if(e.origin!==o||e.source!==w||e.data!=='jobtrail:ready')return;"
    "window.removeEventListener('message',f);var s=String(window.getSelection()||'');"
    "w.postMessage({kind:'jobtrail:page',url:u,text:s,"
    "html:s?'':document.documentElement.outerHTML.slice(0,1900000)},o)}"
    "window.addEventListener('message',f)})()"
)


def bookmarklet_href(origin: str) -> str:
    """A javascript: link that opens the clip window and hands it the page. The page goes to
    our origin only (postMessage's targetOrigin); the window posts it with its own session and
    CSRF token, so the bookmarklet carries no secret."""
    return "javascript:" + quote(
        BOOKMARKLET % {"origin": json.dumps(origin)}, safe="(){}!*;,:=+'/?&|._-[]"
    )


def _page(
    request: AuthedHttpRequest,
    *,
    secret: str = "",
    error: str = "",
    name: str = "",
    status: int = 200,
):
    return render(
        request,
        "accounts/tokens.html",
        {
            "tokens": ApiToken.objects.for_user(request.user),
            "secret": secret,
            "error": error,
            "name": name,
            "site_url": request.build_absolute_uri("/").rstrip("/"),
            "bookmarklet": bookmarklet_href(request.build_absolute_uri("/").rstrip("/")),
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def token_list(request: AuthedHttpRequest) -> HttpResponse:
    return _page(request)


@never_cache
@login_required
@require_POST
def token_create(request: AuthedHttpRequest) -> HttpResponse:
    name = request.POST.get("name", "")
    try:
        _, secret = services.api_token_create(user=request.user, name=name)
    except ValidationError as exc:
        return _page(request, error=" ".join(exc.messages), name=name, status=400)
    # Shown in this response only; never stored in the session or a message.
    return _page(request, secret=secret)


@login_required
@require_POST
def token_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.for_user(request.user), pk=pk)
    services.api_token_revoke(token=token)
    messages.success(request, f"“{token.name}” is revoked: it no longer works.")
    return redirect("accounts:tokens")
