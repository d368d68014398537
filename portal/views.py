"""The pages that gather every app: home, /me/, /people/ and /search/.

They call other apps' public functions (services, membership, QuerySet methods), never their
internals; the pages that belong to the foot of the chain alone (health, the person's own data,
subscriptions, the admin's door) stay in assembly/views.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from assembly import fragments, page_cache, permissions, search
from assembly.domain import SpreadsheetWriter
from assembly.forms import ProfileForm
from assembly.models import User
from assembly.permissions import facilitator_required
from assembly.prepared import prepared
from charter import services as charter_services
from commons_registry import services as commons_services
from commons_registry.models import Commons
from decisions import services as decisions_services
from workshops import membership
from workshops import services as workshops_services

from . import checklist, waiting

# Home's feed links (assembly/home.html): the same for every page and person, the code and the
# language alone.
fragments.part("home-feed-links")(lambda context: ())


# Home's lists, built and compiled once per process (assembly/prepared.py).
@prepared()
def _newest_commons():
    return commons_services.newest_published()


@prepared()
def _open_decisions():
    return decisions_services.open_decisions_for_home()[:5]


def home(request):
    """The next assembly and its workshops, the newest commons, open decisions and the charter."""
    # First: for an administrator it may write (the configuration row, when missing).
    moving_in = checklist.checklist_for(request.user)
    if getattr(request, "content_versions", None) is None:
        # The rows home reads through kept_row (page_cache/versioning.py) — the charter's current
        # version, and the configuration in the layout's context processor — under versions
        # read together, before them: one round trip to the shared cache instead of one each.
        # (A visitor's were read with all the page's tables by the page cache's middleware.)
        request.content_versions = page_cache.Versions.read(charter_services.CURRENT_VERSION_TABLES)
    versions = request.content_versions
    context = {
        "next_meeting": workshops_services.next_meeting(),
        "newest_commons": _newest_commons(),
        "open_decisions": _open_decisions(),
        "charter_version": charter_services.current_version(versions=versions),
        "waiting": waiting.waiting_for(request.user),
        "moving_in": moving_in,
    }
    return render(request, "assembly/home.html", context)


@fragments.part("me")
def me_key(context):
    """Everything on /me/ is the person's own."""
    return (context["user"].pk,)


@login_required
def me(request):
    fragments.remember_content_version(request)
    form = None
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile is saved."))
            return redirect("me")
    person = request.user
    context = {
        # The form with the person's errors; None: the profile as stored, which the page writes
        # without building a form (portal/templatetags/me_sections.py).
        "form": form,
        # Read only when the page's fragment is rendered (once per content version and minute,
        # both of which it depends on), not when it is copied.
        "standing": SimpleLazyObject(
            lambda: membership.standing(person, versions=getattr(request, "content_versions", None))
        ),
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
