from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config import mail
from config.health import health_report


@require_GET
def home(request):
    if request.user.is_authenticated:  # a signed-in user's home is their dashboard
        from tracking.dashboard.views import dashboard_page

        return dashboard_page(request)
    return render(request, "home.html")


@never_cache
@require_GET
def healthz(request):
    report = health_report()
    return JsonResponse(
        {"ok": all(report.values()), **report}, status=200 if all(report.values()) else 503
    )


def _dev_mail_enabled() -> None:
    if settings.EMAIL_BACKEND != "config.mail.DevelopmentEmailBackend":
        raise Http404("The development mailbox is off when EMAIL_URL is set.")


@staff_member_required
@require_GET
def dev_mailbox(request):
    _dev_mail_enabled()
    return render(request, "dev/mailbox.html", {"mails": mail.stored_mails()})


@staff_member_required
@require_GET
def dev_mail_detail(request, name: str):
    _dev_mail_enabled()
    stored = mail.stored_mail(name)
    if stored is None:
        raise Http404
    return render(request, "dev/mail_detail.html", {"mail": stored})
