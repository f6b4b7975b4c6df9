"""Administration inside the app: an administrator runs their own organisation and the
units below it. Whose tree a request may touch is resolved once (``AdminScope``); anything
outside it answers 404, and someone signed in without the admin role gets 403 (these pages
are not about a person, so there is nothing to hide by a 404)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from egenmakt.accounts.types import AuthenticatedRequest, Viewer
from egenmakt.audit.services import log_access, log_list_access
from egenmakt.core.http import View, protected_object, with_rule

from . import selectors, services
from .forms import InviteForm, PeopleSearchForm, RoleForm, UnitForm
from .models import Membership, Organisation, User
from .selectors import AdminScope

PAGE_SIZE = 25
SEARCH_LIMIT = 50


def _scope_of(request: HttpRequest) -> AdminScope:
    scope = selectors.admin_scope(request.user)
    if scope is None:
        raise PermissionDenied("administration: not an administrator")
    return scope


def is_administrator(user: Viewer) -> bool:
    return selectors.admin_scope(user) is not None


def in_tree(view: View) -> View:
    """Signed in; a target the view resolved in the tree but a service then found outside
    it after all answers 404 like any other target outside the tree."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except services.OutsideTree:
            raise Http404 from None

    return wrapper


def administration_page(view: View) -> View:
    """A page about the tree as a whole: the view gets the administrator's scope."""

    @in_tree
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return view(request, _scope_of(request), *args, **kwargs)

    return with_rule(wrapper, is_administrator)


class AdminPerson(NamedTuple):
    """A person named in the URL, inside the administrator's tree, and that scope."""

    scope: AdminScope
    person: User


class AdminUnit(NamedTuple):
    scope: AdminScope
    organisation: Organisation


class AdminMembership(NamedTuple):
    scope: AdminScope
    membership: Membership


def _resolve_person(request: HttpRequest, user_id: Any) -> AdminPerson:
    scope = _scope_of(request)  # 403 without the role, before anything is looked up
    return AdminPerson(scope, selectors.person_in_scope(scope, user_id))


def _resolve_unit(request: HttpRequest, organisation_id: Any) -> AdminUnit:
    scope = _scope_of(request)
    return AdminUnit(scope, selectors.organisation_in_scope(scope, organisation_id))


def _resolve_membership(request: HttpRequest, membership_id: Any) -> AdminMembership:
    scope = _scope_of(request)
    return AdminMembership(scope, selectors.membership_in_scope(scope, membership_id))


def _log_person_read(
    request: HttpRequest, opened: AdminPerson, *, action: str, reason: str
) -> None:
    log_access(
        request=request, action=action, person=opened.person, obj=opened.person, reason=reason
    )


# One decorator per object an administrator acts on (egenmakt/core/http.py): 403 without
# the admin role, 404 outside the tree, a person's page logged as a read on GET.
person_view = protected_object(
    url_kwarg="user_id", resolve=_resolve_person, log_read=_log_person_read
)
unit_view = protected_object(url_kwarg="organisation_id", resolve=_resolve_unit)
membership_view = protected_object(url_kwarg="membership_id", resolve=_resolve_membership)
PERSON_READ = "administration: person"


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, f"accounts/administration/{template}", context, status=status)


@administration_page
def overview(request: AuthenticatedRequest, scope: AdminScope) -> HttpResponse:
    log_access(request=request, reason="administration: organisation tree")
    return _page(request, "overview.html", {"tree": selectors.administered_tree(scope)})


@in_tree
@require_http_methods(["GET", "POST"])
@unit_view()
def unit_create(request: AuthenticatedRequest, opened: AdminUnit) -> HttpResponse:
    scope, parent = opened
    form = UnitForm(request.POST or None, initial={"kind": parent.kind})
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(
                actor=request.user,
                scope=scope,
                parent=parent,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )
        except services.AdministrationError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, _("The unit %(name)s is created.") % {"name": unit.name})
            return redirect("administration:overview")
    return _page(
        request,
        "unit_form.html",
        {"form": form, "parent": parent},
        status=400 if form.errors else 200,
    )


@administration_page
@require_http_methods(["GET", "POST"])
def people(request: AuthenticatedRequest, scope: AdminScope) -> HttpResponse:
    """Everyone with a role in the tree. Searching is a POST so names never reach a URL."""
    rows = selectors.people_in_scope(scope)
    form = PeopleSearchForm(request.POST or None)
    searched = ""
    page = None
    too_many = False
    if request.method == "POST" and form.is_valid() and form.cleaned_data["q"]:
        searched = form.cleaned_data["q"]
        found = list(selectors.people_in_scope(scope, searched)[: SEARCH_LIMIT + 1])
        shown = found[:SEARCH_LIMIT]
        too_many = len(found) > SEARCH_LIMIT
    else:
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("sida"))
        shown = list(page.object_list)
    # Whom the list showed, one row each (PDL 4 kap. 3 §: every read of personal data).
    log_list_access(request=request, people=shown, reason="administration: people list")
    return _page(
        request,
        "people.html",
        {"people": shown, "page": page, "form": form, "searched": searched, "too_many": too_many},
    )


def _person_context(
    scope: AdminScope, person: User, role_form: RoleForm | None = None
) -> dict[str, Any]:
    whole_account = selectors.all_memberships_inside(scope, person)
    return {
        "person": person,
        "memberships": person.tree_memberships,  # type: ignore[attr-defined]
        "role_form": role_form or RoleForm(tree=selectors.administered_tree(scope)),
        "whole_account": whole_account,
        "is_self": person.pk == scope.actor.pk,
    }


@in_tree
@person_view(reason=PERSON_READ)
def person(request: AuthenticatedRequest, opened: AdminPerson) -> HttpResponse:
    return _page(request, "person.html", _person_context(*opened))


@administration_page
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedRequest, scope: AdminScope) -> HttpResponse:
    form = InviteForm(
        request.POST or None,
        tree=selectors.administered_tree(scope),
        initial={"language": "sv"},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invited = services.invite_person(
                actor=request.user,
                scope=scope,
                email=data["email"],
                full_name=data["full_name"],
                language=data["language"],
                role=data["role"],
                organisation=data["organisation"],
            )
        except services.AdministrationError as error:
            form.add_error("email", str(error))
        else:
            # The same words whether the address was new or not (no enumeration).
            messages.success(
                request,
                _("%(email)s now has the role. An e-mail has been sent to the address.")
                % {"email": data["email"]},
            )
            return redirect("administration:person", user_id=invited.pk)
    return _page(request, "invite.html", {"form": form}, status=400 if form.errors else 200)


@in_tree
@require_POST
@person_view()
def grant_role(request: AuthenticatedRequest, opened: AdminPerson) -> HttpResponse:
    scope, target = opened
    form = RoleForm(request.POST, tree=selectors.administered_tree(scope))
    if form.is_valid():
        try:
            services.grant_role(
                actor=request.user,
                scope=scope,
                user=target,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
            )
        except services.AdministrationError as error:
            form.add_error("role", str(error))
        else:
            messages.success(request, _("The role is given."))
            return redirect("administration:person", user_id=target.pk)
    # The person's page is shown again: a read, on a POST.
    log_access(request=request, person=target, obj=target, reason=PERSON_READ)
    return _page(request, "person.html", _person_context(scope, target, form), status=400)


@in_tree
@require_POST
@membership_view()
def end_membership(request: AuthenticatedRequest, opened: AdminMembership) -> HttpResponse:
    scope, membership = opened
    person_id = membership.user_id
    try:
        services.end_membership(actor=request.user, scope=scope, membership=membership)
    except services.AdministrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The role is ended."))
    if selectors.people_in_scope(scope).filter(pk=person_id).exists():
        return redirect("administration:person", user_id=person_id)
    return redirect("administration:people")


def _account_action(
    request: AuthenticatedRequest,
    opened: AdminPerson,
    action: Callable[..., Any],
    done: str,
    confirm: dict[str, str] | None = None,
) -> HttpResponse:
    """GET asks to confirm (when ``confirm`` says what to ask; the decorator logged the
    read); POST acts."""
    scope, target = opened
    if request.method == "GET" and confirm is not None:
        return _page(request, "confirm.html", {"person": target, **confirm})
    try:
        action(actor=request.user, scope=scope, user=target)
    except services.AdministrationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("administration:person", user_id=target.pk)


@in_tree
@require_http_methods(["GET", "POST"])
@person_view(reason=PERSON_READ)
def deactivate(request: AuthenticatedRequest, opened: AdminPerson) -> HttpResponse:
    return _account_action(
        request,
        opened,
        services.deactivate_account,
        _("The account is closed and its sessions are ended. The person can no longer sign in."),
        confirm={
            "heading": _("Close the account?"),
            "text": _(
                "The person is signed out at once and can no longer sign in. Their roles stay, "
                "so you can open the account again later."
            ),
            "button": _("Close the account"),
        },
    )


@in_tree
@require_POST
@person_view(reason=PERSON_READ)
def reactivate(request: AuthenticatedRequest, opened: AdminPerson) -> HttpResponse:
    return _account_action(
        request,
        opened,
        services.reactivate_account,
        _("The account is open again. The person can sign in."),
    )


@in_tree
@require_http_methods(["GET", "POST"])
@person_view(reason=PERSON_READ)
def reset_second_factor(request: AuthenticatedRequest, opened: AdminPerson) -> HttpResponse:
    return _account_action(
        request,
        opened,
        services.reset_second_factor,
        _(
            "The second factor is reset and the person is signed out everywhere. They have "
            "been sent a new link to set up their authenticator app."
        ),
        confirm={
            "heading": _("Reset the second factor?"),
            "text": _(
                "Do this when the person has lost or replaced their phone. Their authenticator "
                "app and backup codes stop working, they are signed out everywhere, and they get "
                "an e-mail with a new link. Make sure you know it is really them who asked."
            ),
            "button": _("Reset the second factor"),
        },
    )


@in_tree
@require_http_methods(["GET", "POST"])
@person_view(reason=PERSON_READ)
def anonymise(request: AuthenticatedRequest, opened: AdminPerson) -> HttpResponse:
    """For someone who has left: GET asks to confirm, POST anonymises (the account leaves
    the administrator's tree, so the answer is the list of people)."""
    scope, target = opened
    if request.method == "GET":
        return _page(
            request,
            "confirm.html",
            {
                "person": target,
                "heading": _("Anonymise the account?"),
                "text": _(
                    "Do this when the person has left and will not come back. Their name and "
                    "e-mail are replaced by a pseudonym everywhere they are shown, their roles, "
                    "sign-in methods and e-mail are removed, and the account is closed for "
                    "good. Records and the access log keep what they did, under the "
                    "pseudonym. This cannot be undone."
                ),
                "button": _("Anonymise the account"),
            },
        )
    try:
        left = services.anonymise_user(actor=request.user, scope=scope, user=target)
    except services.AdministrationError as error:
        messages.error(request, str(error))
        return redirect("administration:person", user_id=target.pk)
    messages.success(
        request,
        _("The account is anonymised. It is now shown as %(pseudonym)s.")
        % {"pseudonym": target.full_name},
    )
    if left:
        messages.warning(
            request,
            _(
                "The old name is still written in free text in %(count)s places (notes and "
                "minutes others wrote, which are kept as written)."
            )
            % {"count": len(left)},
        )
    return redirect("administration:people")


# --- The administrator's start page ------------------------------------------------------

WAITING_LIMIT = 10


def admin_panel(request: HttpRequest) -> dict[str, Any]:
    """The start-page panel: people in the tree not yet able to sign in as they should."""
    from django.urls import reverse
    from django.utils import timezone

    from .start_panels import Waiting, waiting_panel

    scope = selectors.admin_scope(request.user)
    people = selectors.people_waiting_on_sign_in(scope, WAITING_LIMIT) if scope is not None else []
    log_list_access(
        request=request, people=people[:WAITING_LIMIT], reason="start page: sign-in to set up"
    )
    now = timezone.now()
    items = []
    for person in people:
        until = person.invited_until  # type: ignore[attr-defined]
        if until is None:
            detail = _("no second factor")
        elif until >= now:
            detail = _("invitation not yet used, valid until %(day)s") % {
                "day": f"{timezone.localtime(until):%Y-%m-%d}"
            }
        else:
            detail = _("invitation expired %(day)s: send a new one") % {
                "day": f"{timezone.localtime(until):%Y-%m-%d}"
            }
        items.append(
            Waiting(
                person.full_name or person.email,
                reverse("administration:person", args=[person.pk]),
                detail,
            )
        )
    return waiting_panel(
        request,
        key="admin",
        heading=_("Sign-in to set up"),
        intro=_(
            "People in your organisation whose invitation is not yet used, or who sign in "
            "with a password and have no second factor."
        ),
        items=items,
        empty=_("Everyone in your organisation can sign in. Nothing waits for you."),
        next_actions=[
            (_("Invite someone"), "administration:invite"),
            (_("People"), "administration:people"),
            (_("Administration"), "administration:overview"),
        ],
        limit=WAITING_LIMIT,
        more_url_name="administration:people",
    )
