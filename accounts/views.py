import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services
from accounts.forms import AccountDeleteForm, ProfileForm
from accounts.models import Profile
from config.http import AuthedHttpRequest
from jobs.board.currency import CURRENCY_COOKIE


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: AuthedHttpRequest):
    profile = Profile.objects.for_user(request.user).get()
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        response = redirect("accounts:profile")
        # The setting is the latest choice: a currency remembered from the search gives way.
        if "salary_currency" in form.changed_data:
            response.delete_cookie(CURRENCY_COOKIE, samesite="Lax")
        return response
    return render(request, "accounts/profile.html", {"form": form})


def _render_your_data(request: AuthedHttpRequest, delete_form):
    return render(
        request,
        "accounts/data.html",
        {"delete_form": delete_form, "summary": services.user_data_summary(user=request.user)},
    )


@login_required
@require_GET
def your_data(request: AuthedHttpRequest):
    return _render_your_data(request, AccountDeleteForm(user=request.user))


@never_cache
@login_required
@require_GET
def data_export(request: AuthedHttpRequest):
    payload = services.user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, indent=2), content_type="application/json"
    )
    filename = f"jobtrail-export-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def account_delete(request: AuthedHttpRequest):
    form = AccountDeleteForm(request.POST, user=request.user)
    if not form.is_valid():
        return _render_your_data(request, form)
    user = request.user
    logout(request)
    services.account_delete(user=user)
    messages.success(request, "Your account and all your data are deleted.")
    return redirect("home")
