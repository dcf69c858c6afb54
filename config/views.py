import hmac
from typing import cast

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config import mail
from config.health import health_report
from config.http import AuthedHttpRequest, HtmxHttpRequest
from jobs.common import staff_required


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_authenticated:  # a signed-in user's home is their dashboard
        from tracking.dashboard.views import dashboard_page

        return dashboard_page(cast(AuthedHttpRequest, request))
    return render(request, "home.html")


def _may_see_health_details(request: HttpRequest) -> bool:
    token = settings.HEALTHZ_TOKEN
    if token:
        offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if offered and hmac.compare_digest(offered.encode(), token.encode()):
            return True
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_staff)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Anyone gets ok or not (200/503); staff or `Authorization: Bearer $HEALTHZ_TOKEN` get
    which part failed and how old each heartbeat is."""
    report = health_report()
    body = report if _may_see_health_details(request) else {"ok": report["ok"]}
    return JsonResponse(body, status=200 if report["ok"] else 503)


def _dev_mail_enabled() -> None:
    from config.outbox import delivery_backend

    if delivery_backend() != "config.mail.DevelopmentEmailBackend":
        raise Http404("The development mailbox is off when EMAIL_URL is set.")


# The site's own login (with next=) for anonymous visitors, a 404 for members: not the admin's.
@staff_required
@require_GET
def dev_mailbox(request: AuthedHttpRequest) -> HttpResponse:
    _dev_mail_enabled()
    return render(request, "dev/mailbox.html", {"mails": mail.stored_mails()})


@staff_required
@require_GET
# An HTML email is styled inline (mail clients want it so); its preview, a sandboxed srcdoc
# iframe without scripts, inherits this page's policy. Development only, staff only.
@csp_update({"style-src": [UNSAFE_INLINE]})  # type: ignore[arg-type]  # typed for (request) views
def dev_mail_detail(request: AuthedHttpRequest, name: str) -> HttpResponse:
    _dev_mail_enabled()
    stored = mail.stored_mail(name)
    if stored is None:
        raise Http404
    return render(request, "dev/mail_detail.html", {"mail": stored})
