"""The pages that belong to no single app: home, health, /me/, /people/ and /search/.

/me/ and /people/ gather a person's data from every app, so this module is part of the composition
root: it may call other apps' public functions (workshops.membership), never their internals.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from charter import services as charter_services
from commons_registry import services as commons_services
from commons_registry.models import Commons
from decisions import services as decisions_services
from workshops import membership
from workshops import services as workshops_services

from . import fragments, health, permissions, personal_data, ratelimits, search, waiting
from .domain import SpreadsheetWriter
from .forms import DeleteAccountForm, NotificationPreferencesForm, ProfileForm, SubscribeForm
from .models import User
from .notifications import subscriptions, topics
from .people import delete_account
from .permissions import facilitator_required


def home(request):
    """The next assembly and its workshops, the newest commons, open decisions and the charter."""
    context = {
        "next_meeting": workshops_services.next_meeting(),
        "newest_commons": commons_services.newest_published(),
        "open_decisions": decisions_services.open_decisions()[:5],
        "charter_version": charter_services.current_version(),
        "waiting": waiting.waiting_for(request.user),
    }
    return render(request, "assembly/home.html", context)


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
def me(request):
    fragments.remember_content_version(request)
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("me")
    person = request.user
    context = {
        "form": form,
        # Read only when the page's fragment is rendered (once per content version and minute,
        # both of which it depends on), not when it is copied.
        "standing": SimpleLazyObject(lambda: membership.standing(person)),
        "waiting": SimpleLazyObject(lambda: waiting.waiting_for(person)),
        "minute": fragments.current_minute(),
    }
    return render(request, "assembly/me.html", context)


@login_required
@require_POST
def declare_membership(request):
    if not permissions.can_declare_membership(request.user):
        raise PermissionDenied
    try:
        membership.declare(request.user)
    except membership.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("You are now a member of the assembly. Welcome, and thank you!"),
        )
    return redirect("me")


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


PEOPLE_PER_PAGE = 48


def people(request):
    """People who chose to be listed: the only place anyone's membership is public."""
    published_commons = Commons.objects.published().only("name", "slug").order_by("name")
    query = request.GET.get("q", "").strip()
    listed = User.objects.listed()
    if query:
        listed = listed.filter(display_name__icontains=query)
    listed = listed.only(
        "display_name", "email", "bio", "membership_declared_at", "eligible_until"
    ).prefetch_related(Prefetch("stewarded_commons", queryset=published_commons))
    page = Paginator(listed, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "assembly/people.html", {"page_obj": page, "query": query})


def _members():
    return User.objects.members().only(
        "display_name", "email", "membership_declared_at", "eligible_until"
    )


@facilitator_required
def members(request):
    return render(request, "assembly/members.html", {"members": _members()})


@facilitator_required
@never_cache
def members_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="members-{stamp}.csv"'
    response.write("\ufeff")  # a BOM, so spreadsheets read the accented names as UTF-8
    writer = SpreadsheetWriter(response)
    writer.writerow(["name", "email", "declared_at", "member_until"])
    for person in _members():
        writer.writerow(
            [
                person.display_name,
                person.email,
                timezone.localtime(person.membership_declared_at).date().isoformat(),
                person.eligible_until.isoformat(),
            ]
        )
    return response


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


# Results shown per kind on the overview, and per page once a kind is chosen.
SEARCH_OVERVIEW_PER_KIND = 5
SEARCH_PER_PAGE = 20


@require_GET
def search_page(request):
    """Search across everything written, grouped by kind; each app's source filters what the
    person may see. With `kind`, one kind alone, page by page."""
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    if search.source(kind) is None:
        kind = ""
    groups = search.search(
        request.user,
        query,
        per_kind=SEARCH_PER_PAGE if kind else SEARCH_OVERVIEW_PER_KIND,
        kind=kind or None,
        page_number=request.GET.get("page", 1) if kind else 1,
    )
    context = {"query": query, "kind": kind, "groups": groups, "sources": search.sources()}
    return render(request, "assembly/search.html", context)
