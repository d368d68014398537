"""Pages of the foot of the chain: robots.txt and health, a person's own data (export, deletion,
e-mail preferences), subscriptions without an account, and the admin's door.

The pages that gather every app (home, /me/, /people/, /search/) are the portal's (portal/views.py).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from . import health, personal_data, ratelimits
from .forms import DeleteAccountForm, NotificationPreferencesForm, SubscribeForm
from .notifications import subscriptions, topics
from .people import delete_account

ROBOTS_TXT = """User-agent: *
Disallow: /admin/
Disallow: /accounts/
Disallow: /me/
"""


@require_GET
def robots_txt(request):
    """For crawlers; constant and query-free, so the benchmark also uses it as its trivial page."""
    return HttpResponse(ROBOTS_TXT, content_type="text/plain; charset=utf-8")


@require_GET
@never_cache
def healthz(request):
    status = {
        "database": "ok" if health.check_database() else "error",
        "broker": "ok" if health.check_broker() else "error",
    }
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse(status, status=200 if healthy else 503)


@login_required
@require_GET
@never_cache
def export_my_data(request):
    data = personal_data.export(request.user)
    response = JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"indent": 2})
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="assemblee-my-data-{stamp}.json"'
    return response


@login_required
def delete_my_account(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        personal_data.delete_person(request.user, delete_account)
        logout(request)
        messages.success(
            request,
            _(
                "Your account is deleted. The attendance and votes you took part in stay counted, "
                "anonymously."
            ),
        )
        return redirect("home")
    return render(request, "assembly/delete_account.html", {"form": form})


@login_required
def my_notifications(request):
    """Per topic: as it happens, weekly digest, or never."""
    form = NotificationPreferencesForm(
        request.POST if request.method == "POST" else None,
        instance=topics.preferences_of(request.user),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("me-notifications")
    return render(request, "assembly/notifications.html", {"form": form})


@never_cache
def subscribe(request):
    """The "info" list: an address and a language, confirmed by a link (double opt-in)."""
    initial = {"language": getattr(request, "LANGUAGE_CODE", None)}
    form = SubscribeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        email = request.POST.get("email", "").strip().lower()
        if not ratelimits.allow(request, "subscription", key=email):
            return render(
                request, "assembly/subscribe.html", {"form": form, "too_many": True}, status=429
            )
        if form.is_valid():
            subscriptions.subscribe(form.cleaned_data["email"], form.cleaned_data["language"])
            # The same answer whether the address was already subscribed: none is revealed.
            return render(request, "assembly/subscribe_sent.html")
    return render(request, "assembly/subscribe.html", {"form": form})


@never_cache
def confirm_subscription(request, token):
    """GET shows a button (mail scanners follow links); POST confirms."""
    try:
        subscriber = subscriptions.subscriber_for(token)
    except subscriptions.BadConfirmation:
        return render(request, "assembly/subscribe_bad_link.html", status=400)
    if request.method == "POST":
        subscriptions.confirm(token)
        return render(request, "assembly/subscribe_confirmed.html", {"subscriber": subscriber})
    return render(request, "assembly/subscribe_confirm.html", {"subscriber": subscriber})


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" without a CSRF token
@never_cache
def unsubscribe(request, token):
    """Turn one topic off without signing in; GET shows a button, POST (one-click too) does it."""
    try:
        payload = topics.read_unsubscribe_token(token)
    except topics.BadToken:
        return render(request, "assembly/unsubscribe_bad_link.html", status=400)
    if request.method == "POST":
        done = topics.unsubscribe(token)
        return render(request, "assembly/unsubscribed.html", done)
    context = {
        "topics": topics.topic_labels(payload.get("t", [topics.SUBSCRIBER_TOPIC])),
        "subscriber": "s" in payload,
    }
    return render(request, "assembly/unsubscribe.html", context)


@never_cache
def admin_login(request):
    """The admin's door opens onto the site's own sign-in, so one set of attempt limits guards both.

    Django's admin login form would authenticate without allauth's limits; it is never shown.
    """
    admin_index = reverse("admin:index")
    next_url = request.GET.get("next") or admin_index
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = admin_index
    if request.user.is_authenticated:
        if request.user.is_active and request.user.is_staff:
            return redirect(next_url)
        # Sending a signed-in person back to the sign-in would loop between it and the admin.
        raise PermissionDenied
    return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
