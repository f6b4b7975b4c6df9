"""The permission matrix (security.md P1/P2): every URL by every role by where the user sits.

The expected outcomes are one table, ``permission_matrix.ROWS``; this module builds the
world the table speaks of and asks every cell of it. A row's object lives in one
organisation of the demo cast; for each role there is a user with a membership in that
organisation ("own"), in a unit below it ("below"), beside it under the same parent
("sibling"; for a top organisation, another principal of the region) and in the other
region ("other"). Then the anonymous visitor, the demo client signed in to their own
pages, and, where the object is reached through a relationship (the care team, the
round's people, the course staff), the person who holds it ("related").

Every cell of a row is asked before the row's test fails, and the failure lists every cell
that differs, so one run shows the whole picture. A URL without a row fails
``test_every_url_has_a_row_and_every_row_a_url``; a menu entry the table refuses to a role
it is shown to fails ``test_every_menu_role_is_let_in_to_its_menu_pages``.

To draft the row of a new URL, run this module with ``MATRIX_RECORD=/tmp/cells.json``: it
then writes every cell's outcome there and asserts nothing. Read them before copying: the
table says what must be, not what is.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client as Browser
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from egenmakt.accounts.roles import Role

from .permission_matrix import (
    ANONYMOUS,
    BELOW,
    CLIENT,
    LOGIN,
    OTHER,
    OWN,
    POSITIONS,
    RELATED,
    ROWS,
    SAMPLES,
    SIBLING,
    Row,
    expected,
)

ROWS_BY_NAME = {row.name: row for row in ROWS}
RECORD = os.environ.get("MATRIX_RECORD", "")
RECORDED: dict[str, dict[str, Any]] = {}


# --- The URLconf -----------------------------------------------------------------------------


def _walk(resolver: URLResolver, namespace: list[str], prefix: str) -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = [*namespace, pattern.namespace] if pattern.namespace else namespace
            yield from _walk(pattern, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            if namespace[:1] == ["admin"]:
                yield "admin:*"  # Django's admin is one row, asked on a sample
            elif pattern.name:
                yield ":".join([*namespace, pattern.name])
            else:
                yield prefix + str(pattern.pattern)  # an unnamed pattern, by its route


def url_names() -> set[str]:
    """Every URL name in the URLconf, namespaced."""
    return set(_walk(get_resolver(), [], ""))


def test_every_url_has_a_row_and_every_row_a_url() -> None:
    names = url_names()
    missing = sorted(names - ROWS_BY_NAME.keys())
    unknown = sorted(n for n, r in ROWS_BY_NAME.items() if n not in names and not r.optional)
    assert not missing, "URLs without a row in permission_matrix.ROWS: " + ", ".join(missing)
    assert not unknown, "Rows in permission_matrix.ROWS that name no URL: " + ", ".join(unknown)
    assert len(ROWS_BY_NAME) == len(ROWS), "A URL has two rows"


def test_every_menu_role_is_let_in_to_its_menu_pages() -> None:
    """A menu entry a role is shown must be a page the table lets that role into
    (somewhere: the matrix then proves where)."""
    from egenmakt.accounts.navigation import nav_entries

    refused = [
        f"{entry.url_name} for {role}"
        for entry in nav_entries()
        for role in entry.roles
        if not ROWS_BY_NAME[entry.url_name].allow.get(role)
    ]
    assert not refused, "Menu entries the table refuses: " + ", ".join(refused)


# --- The world the table speaks of ------------------------------------------------------------


@dataclass
class World:
    cast: Any
    objects: dict[str, Any] = field(default_factory=dict)
    # (role, organisation pk) -> session cookie value, made once for the module.
    sessions: dict[tuple[str, int], str] = field(default_factory=dict)
    person_sessions: dict[int, str] = field(default_factory=dict)
    client_session: str = ""
    # Organisation key -> {position: the organisation an actor in that position sits in}.
    places: dict[str, dict[str, Any]] = field(default_factory=dict)


# Where each object of a row lives (a key of the demo's ORGANISATIONS), and who holds the
# relationship that opens it, if an organisation membership alone must not.
@dataclass(frozen=True)
class Target:
    organisation: str
    args: Callable[[World], dict[str, Any]]
    # A cast person key, or "@key" for a person among ``World.objects``.
    related: str | None = None
    query: str = ""  # for views that need one to show anything


def _o(world: World, key: str) -> Any:
    return world.objects[key]


def person_names(world: World) -> tuple[str, ...]:
    """The names of the people the rows' objects are about: the client, the applicant, the
    course participant and the working peer supporter. None of them may appear in a
    refusal, nor on any page another region's user is shown."""
    o = world.objects
    return (
        str(o["client"].full_name),
        str(o["application"].full_name),
        str(o["participant_user"].full_name),
        str(o["placement"].peer_supporter.full_name),
    )


def _client(extra: Callable[[World], dict[str, Any]] = lambda _w: {}, query: str = "") -> Target:
    return Target(
        "clinic",
        lambda w: {"client_id": _o(w, "client").pk, **extra(w)},
        related="case_manager",
        query=query,
    )


TARGETS: dict[str, Target] = {
    "none": Target("network", lambda _w: {}),
    "none@clinic": Target("clinic", lambda _w: {}),
    # The demo's administrator: not an operator, so Django's admin answers 404 to her.
    "admin": Target("network", lambda _w: {}, related="admin"),
    "client": _client(),
    "client_worksheet": _client(query="arbetsblad=ors"),
    "client_fhir": _client(lambda _w: {"resource_type": "Goal"}),
    "client_versions": _client(query="a=1&b=1"),
    "client_seat": _client(lambda w: {"seat_id": _o(w, "seat").pk}),
    "client_consent": _client(lambda w: {"consent_id": _o(w, "consent").pk}),
    "client_contact": _client(lambda w: {"contact_id": _o(w, "contact").pk}),
    "client_step": _client(lambda w: {"step_id": _o(w, "paper_step").pk}),
    "client_relative_link": _client(lambda w: {"link_id": _o(w, "relative_link").pk}),
    "client_member": _client(lambda w: {"member_id": _o(w, "group_member").pk}),
    "client_meeting": _client(lambda w: {"meeting_id": _o(w, "meeting").pk}),
    "client_session": _client(lambda w: {"session_id": _o(w, "mapping_session").pk}),
    "client_decision": _client(lambda w: {"meeting_id": _o(w, "meeting").pk, "kind": "other"}),
    "client_goal": _client(lambda w: {"goal_id": _o(w, "goal").pk}),
    "client_plan_form": _client(lambda _w: {"name": "goal"}),
    "client_thread": _client(lambda w: {"thread_id": _o(w, "thread").pk}),
    "client_message": _client(lambda w: {"message_id": _o(w, "message").pk}),
    "client_plan_action": _client(lambda w: {"action_id": _o(w, "plan_action").pk}),
    "client_subject": Target(
        "clinic",
        lambda w: {"key": "ors", "subject_slug": "klient", "subject_id": _o(w, "client").pk},
        related="case_manager",
    ),
    "client_response": Target(
        "clinic",
        lambda w: {"response_id": _o(w, "response").pk},
        related="case_manager",
    ),
    "grant": Target(
        "clinic",
        lambda w: {"grant_id": _o(w, "grant").pk},
        related="auditor",
    ),
    "log_review": Target(
        "clinic",
        lambda w: {"review_id": _o(w, "log_review").pk},
        related="auditor",
    ),
    "log_review_item": Target(
        "clinic",
        lambda w: {
            "review_id": _o(w, "log_review").pk,
            "item_id": _o(w, "log_review").items.order_by("pk").first().pk,
        },
        related="auditor",
    ),
    "round": Target("network", lambda w: {"round_id": _o(w, "round").pk}, related="interviewer"),
    "round_member": Target(
        "network",
        lambda w: {"round_id": _o(w, "round").pk, "member_id": _o(w, "round_member").pk},
        related="interviewer",
    ),
    "application": Target(
        "network",
        lambda w: {"application_id": _o(w, "application").pk},
        related="interviewer",
    ),
    "decide": Target(
        "network",
        lambda w: {"application_id": _o(w, "application").pk, "step": "screening"},
        related="interviewer",
    ),
    "interview": Target(
        "network",
        lambda w: {"interview_id": _o(w, "interview").pk},
        related="interviewer",
    ),
    "interview_record": Target(
        "network",
        lambda w: {"interview_id": _o(w, "interview").pk, "kind": "notes"},
        related="interviewer",
    ),
    "network": Target("network", lambda w: {"organisation_id": w.cast.org("network").pk}),
    "cohort": Target(
        "network", lambda w: {"cohort_id": _o(w, "cohort").pk}, related="course_leader"
    ),
    "cohort_round": Target(
        "network", lambda w: {"round_id": _o(w, "cohort").round_id}, related="training_lead"
    ),
    "session": Target(
        "network", lambda w: {"session_id": _o(w, "session").pk}, related="course_leader"
    ),
    "assignment": Target(
        "network", lambda w: {"assignment_id": _o(w, "assignment").pk}, related="course_leader"
    ),
    "submission": Target(
        "network",
        lambda w: {"submission_id": _o(w, "submission").pk},
        related="@participant_user",
    ),
    "participant": Target(
        "network",
        lambda w: {"participant_id": _o(w, "participant").pk},
        related="course_leader",
    ),
    "graduate": Target(
        "network",
        lambda w: {"participant_id": _o(w, "graduate").pk},
        related="peer_supporter",
    ),
    "participant_self": Target("network", lambda _w: {}, related="@participant_user"),
    "my_assignment": Target(
        "network",
        lambda w: {"assignment_id": _o(w, "assignment").pk},
        related="@participant_user",
    ),
    "cohort_feed": Target("network", lambda w: {"key": _o(w, "cohort").calendar_key}),
    "participant_feed": Target("network", lambda w: {"key": _o(w, "participant").calendar_key}),
    "workplace": Target(
        "outpatient",
        lambda w: {"workplace_id": _o(w, "workplace").pk},
        related="coordinator",
    ),
    "placement": Target(
        "network",
        lambda w: {"placement_id": _o(w, "placement").pk},
        related="supervisor",
    ),
    "supervision_meeting": Target(
        "network",
        lambda w: {"meeting_id": _o(w, "supervision_meeting").pk},
        related="supervisor",
    ),
    "supervision_row": Target(
        "network",
        lambda w: {"row_id": _o(w, "supervision_row").pk},
        related="supervisor",
    ),
    "work_log_entry": Target(
        "network",
        lambda w: {"entry_id": _o(w, "work_log_entry").pk},
        related="peer_supporter",
    ),
    "event": Target("network", lambda w: {"event_id": _o(w, "event").pk}, related="coordinator"),
    "status_token": Target("network", lambda w: {"token": _o(w, "status_token")}),
    "public_key": Target("network", lambda w: {"public_key": _o(w, "round").public_key}),
    "area": Target("network", lambda w: {"area_id": _o(w, "area").pk}),
    "area_org": Target(
        "network",
        lambda w: {"area_id": _o(w, "area").pk, "organisation_id": _o(w, "influence_org").pk},
    ),
    "forum": Target("network", lambda w: {"forum_id": _o(w, "forum").pk}),
    "forum_member": Target(
        "network",
        lambda w: {"forum_id": _o(w, "forum").pk, "member_id": _o(w, "forum_member").pk},
    ),
    "activity": Target("network", lambda w: {"activity_id": _o(w, "activity").pk}),
    "forum_steering": Target(
        "network", lambda w: {"forum_id": _o(w, "forum_meeting").forum_id}, related="lecturer"
    ),
    "forum_meeting": Target(
        "network", lambda w: {"meeting_id": _o(w, "forum_meeting").pk}, related="lecturer"
    ),
    "forum_meeting_held": Target(
        "network", lambda w: {"meeting_id": _o(w, "forum_meeting_held").pk}, related="lecturer"
    ),
    "matter": Target("network", lambda w: {"matter_id": _o(w, "matter").pk}, related="lecturer"),
    "influence_org": Target(
        "user_org_a",
        lambda w: {"organisation_id": _o(w, "influence_org").pk},
        related="lecturer",
    ),
    "area_slug": Target("network", lambda w: {"slug": _o(w, "area").slug}),
    "consultation": Target(
        "network", lambda w: {"consultation_id": _o(w, "consultation").pk}, related="lecturer"
    ),
    "consultation_published": Target(
        "network", lambda w: {"consultation_id": _o(w, "consultation_published").pk}
    ),
    # An organisation above user-movement networks (the movement's national body): made by
    # ``positions_of``, with a network below it.
    "national": Target("national", lambda _w: {}),
    "export": Target("network", lambda w: {"key": _o(w, "export").key}, related="coordinator"),
    "portal_response": Target("clinic", lambda w: {"response_id": _o(w, "portal_response").pk}),
    "portal_draft": Target("clinic", lambda w: {"response_id": _o(w, "portal_draft").pk}),
    "portal_thread": Target("clinic", lambda w: {"thread_id": _o(w, "thread").pk}),
    "portal_meeting": Target("clinic", lambda w: {"meeting_id": _o(w, "meeting").pk}),
    "portal_message": Target("clinic", lambda w: {"message_id": _o(w, "message").pk}),
    "portal_link": Target("clinic", lambda w: {"token": "ingen-giltig-lank"}),
    "relative_token": Target("clinic", lambda w: {"token": "ingen-giltig-lank"}),
    "portal_key": Target("clinic", lambda _w: {"key": "ors"}),
    # A copy of one's own data opens only for whoever asked; nobody in the matrix did.
    "export_key": Target("network", lambda _w: {"key": "00000000-0000-4000-8000-000000000000"}),
    "language": Target("network", lambda _w: {"language": "sv"}),
    "role_slug": Target("network", lambda _w: {"slug": "samordnare"}),
    "password_reset": Target(
        "network", lambda w: {"uidb64": _o(w, "reset_uid"), "token": _o(w, "reset_token")}
    ),
    "error_page": Target("network", lambda _w: {"code": 404}),
    # Administration: a unit, a person whose only role is at the clinic, and that role.
    "admin_unit": Target("clinic", lambda w: {"organisation_id": w.cast.org("clinic").pk}),
    "admin_person": Target("clinic", lambda w: {"user_id": _o(w, "admin_person").pk}),
    "admin_membership": Target("clinic", lambda w: {"membership_id": _o(w, "admin_membership").pk}),
    "invitation_token": Target("clinic", lambda _w: {"token": "ingen-giltig-inbjudan"}),
    "oidc_provider": Target("clinic", lambda w: {"provider_id": _o(w, "oidc_provider").pk}),
    "oidc_provider_slug": Target("clinic", lambda w: {"slug": _o(w, "oidc_provider").slug}),
    # The case manager's own API token: only she revokes it.
    "api_token": Target(
        "clinic", lambda w: {"token_id": _o(w, "api_token").pk}, related="case_manager"
    ),
}


def _child_of(parent: Any, name: str) -> Any:
    from egenmakt.accounts.models import Organisation

    child, _created = Organisation.objects.get_or_create(
        name=name, parent=parent, defaults={"kind": parent.kind}
    )
    return child


def positions_of(world: World, key: str) -> dict[str, Any]:
    """The four organisations a row's actors sit in, around the object's organisation."""
    from egenmakt.accounts.models import Organisation

    cast = world.cast
    if key == "national":
        national, _new = Organisation.objects.get_or_create(
            name="Matrisens nationella organisation", parent=None, defaults={"kind": "other"}
        )
        network, _new = Organisation.objects.get_or_create(
            name="Matrisens nätverk", parent=national, defaults={"kind": "user_network"}
        )
        return {
            OWN: national,
            BELOW: network,
            SIBLING: cast.org("municipality"),
            OTHER: cast.org("other_network"),
        }
    org = cast.org(key)
    below = Organisation.objects.filter(parent=org).order_by("pk").first()
    if below is None:
        below = _child_of(org, f"Matrisens enhet under {org.name}")
    if org.parent_id is None:
        # A root's siblings are the region's other principals.
        sibling = cast.org("municipality")
    else:
        sibling = Organisation.objects.filter(parent_id=org.parent_id).exclude(pk=org.pk).order_by(
            "pk"
        ).first() or _child_of(org.parent, f"Matrisens syskon till {org.name}")
    region_tree = {"region", "clinic", "outpatient"}
    other = cast.org("other_region" if key in region_tree else "other_network")
    return {OWN: org, BELOW: below, SIBLING: sibling, OTHER: other}


def _session_for(user: Any) -> str:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="matris", confirmed=True)
    browser = Browser()
    browser.force_login(user)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return str(session.session_key)


def _seed_objects(world: World) -> None:
    """The full demo (as ``manage.py seed_demo``) and the few objects it lacks."""
    from django.core.files.base import ContentFile

    from egenmakt.accounts.models import Membership, User
    from egenmakt.audit.services import grant_emergency_access, start_log_review
    from egenmakt.coordination.models import (
        CareTeamMember,
        Client,
        Consent,
        Contact,
        Goal,
        MappingSession,
        Meeting,
        PlanAction,
        RelativeLink,
        ResourceGroupMember,
        StepRecord,
    )
    from egenmakt.demo import peer as peer_demo
    from egenmakt.demo import programme as programme_demo
    from egenmakt.demo.coordination import seed_demo_coordination
    from egenmakt.demo.influence import seed_demo_influence
    from egenmakt.demo.portal import seed_demo_portal
    from egenmakt.influence.models import (
        Activity,
        CareArea,
        Forum,
        ForumMember,
        InfluenceOrganisation,
        Matter,
    )
    from egenmakt.instruments.models import InstrumentDefinition, Response
    from egenmakt.peer.models import (
        Assignment,
        Cohort,
        CourseSession,
        FollowUpEvent,
        Interview,
        Participant,
        PeerWorkplace,
        Placement,
        RecruitmentRound,
        RoundMember,
        Submission,
        SupervisionAttendance,
        WorkLogEntry,
    )
    from egenmakt.peer.services.recruitment import status_token
    from egenmakt.reports.services import request_export

    cast = world.cast
    peer_demo.seed_demo_recruitment(cast)
    peer_demo.seed_demo_course(cast)
    programme_demo.seed_demo_programme(cast)
    seed_demo_influence(cast)
    seed_demo_coordination(cast)
    account = seed_demo_portal(cast)
    assert account is not None
    o = world.objects
    o["client"] = client = account.client
    o["portal_account"] = account
    o["seat"] = CareTeamMember.objects.filter(client=client, user=cast.municipal_case_manager).get()
    o["consent"] = Consent.objects.filter(client=client).order_by("pk").first()
    o["contact"] = Contact.objects.filter(client=client).order_by("pk").first()
    o["relative_link"] = RelativeLink.objects.create(
        client=client,
        contact=o["contact"],
        definition=InstrumentDefinition.objects.filter(key="relative_rating").latest("version"),
        token_hash="0" * 64,
        organisation=client.organisation,
        sent_by=cast.case_manager,
        expires_at=timezone.now() + timedelta(days=14),
    )
    o["group_member"] = ResourceGroupMember.objects.filter(client=client).order_by("pk").first()
    o["meeting"] = Meeting.objects.filter(client=client).order_by("pk").first()
    o["mapping_session"] = MappingSession.objects.create(
        client=client,
        starts_at=timezone.now() + timedelta(days=7),
        place="Mottagningen",
        planned_steps=["normal_day"],
        organisation=client.organisation,
        created_by=cast.case_manager,
    )
    o["goal"] = Goal.objects.filter(plan__client=client).order_by("pk").first()
    o["plan_action"] = PlanAction.objects.filter(plan__client=client).order_by("pk").first()
    o["response"] = (
        Response.objects.filter(
            subject_id=str(client.pk), entered_by=cast.case_manager, status="submitted"
        )
        .order_by("pk")
        .first()
    )
    o["portal_response"] = (
        Response.objects.filter(subject_id=str(client.pk), respondent_kind="client")
        .order_by("pk")
        .first()
    )
    # A thread the care team started, its message with a PDF attached.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egenmakt.coordination.services.messages import start_thread

    o["thread"] = thread = start_thread(
        user=cast.case_manager,
        client=client,
        subject="Inför nästa möte",
        text="Hej! Här är kallelsen.",
        attachment=SimpleUploadedFile("kallelse.pdf", programme_demo.DEMO_PDF),
    )
    o["message"] = thread.messages.get()
    o["round"] = round_ = RecruitmentRound.objects.get(title=peer_demo.ROUND_TITLE)
    o["round_member"] = RoundMember.objects.filter(round=round_).order_by("pk").first()
    o["interview"] = interview = Interview.objects.filter(application__round=round_).get()
    o["application"] = application = interview.application
    o["status_token"] = status_token(application)
    o["cohort"] = cohort = Cohort.objects.get(title=peer_demo.COURSE_TITLE)
    o["session"] = CourseSession.objects.filter(cohort=cohort).order_by("day").first()
    o["assignment"] = Assignment.objects.filter(cohort=cohort).get()
    o["submission"] = submission = Submission.objects.filter(assignment__cohort=cohort).get()
    # Files behind the download rows, so that they are about the right, not the file.
    submission.file.save("matris.txt", ContentFile(b"Min hemuppgift."), save=True)
    o["consent"].document.save("samtycke.pdf", ContentFile(programme_demo.DEMO_PDF), save=True)
    o["paper_step"] = paper = StepRecord.objects.get(response=o["response"])
    paper.from_paper, paper.filled_in_by = True, "Kim"
    paper.scan.save("blad.pdf", ContentFile(programme_demo.DEMO_PDF), save=True)
    o["participant"] = participant = Participant.objects.get(pk=submission.participant_id)
    o["participant_user"] = participant.user
    o["graduate"] = Participant.objects.get(
        user=cast.peer_supporter, cohort__round__title=programme_demo.PROGRAMME_ROUND_TITLE
    )
    o["workplace"] = PeerWorkplace.objects.get(workplace=cast.org("outpatient"))
    o["placement"] = Placement.objects.filter(workplace=o["workplace"]).order_by("pk").first()
    o["supervision_row"] = row = (
        SupervisionAttendance.objects.filter(peer_supporter=cast.peer_supporter)
        .order_by("-pk")
        .first()
    )
    o["supervision_meeting"] = row.meeting
    o["work_log_entry"] = (
        WorkLogEntry.objects.filter(peer_supporter=cast.peer_supporter).order_by("-day").first()
    )
    o["event"] = FollowUpEvent.objects.order_by("pk").first()
    o["area"] = area = CareArea.objects.get()
    from egenmakt.influence.models import Consultation

    # The demo's consultations: one sent and open, one published (closed with a summary).
    o["consultation"] = Consultation.objects.filter(area=area, status="sent").get()
    o["consultation_published"] = Consultation.objects.filter(area=area, published=True).get()
    o["influence_org"] = InfluenceOrganisation.objects.filter(account=cast.org("user_org_a")).get()
    o["forum"] = forum = Forum.objects.filter(area=area).order_by("pk").first()
    o["forum_member"] = forum.members.filter(until__isnull=True).order_by("pk").first()
    o["activity"] = Activity.objects.filter(status="submitted").order_by("pk").first()
    # Forum work: the steering group's representative for Egen Kraft is the lecturer (a
    # member of user_org_a; the demo links her account), with a matter of hers; one
    # meeting ahead, one held whose minutes are not written yet.
    kim = ForumMember.objects.get(name="Kim Ek", user=cast.lecturer)
    meetings = kim.forum.meetings.order_by("day")
    o["forum_meeting"] = meetings.filter(day__gt=timezone.localdate()).first()
    o["forum_meeting_held"] = meetings.filter(day__lt=timezone.localdate()).last()
    o["matter"] = Matter.objects.create(
        forum=kim.forum,
        title="Tolk vid vårdplanering",
        raised_by=kim,
        organisation=kim.organisation,
        raised_on=timezone.localdate(),
        created_by=cast.coordinator,
    )
    o["export"] = request_export(
        user=cast.coordinator, network=cast.org("network"), kind="programme", format="csv"
    )
    o["grant"] = grant_emergency_access(
        actor=cast.clinic_colleague, person=client, reason="Matrisens nödåtkomst för test."
    )
    # A review of the clinic with reads to review, none reviewed (finishing it is refused).
    o["log_review"] = review = start_log_review(
        auditor=cast.auditor,
        organisation=cast.org("clinic"),
        period_start=timezone.localdate() - timedelta(days=30),
        period_end=timezone.localdate(),
        sample_size=5,
        seed=19,
    )
    assert review.items.exists()
    o["admin_person"] = person = User.objects.create_user(
        "matris.person@example.org", "matrisens-losenord-2026", full_name="Matris Personsson"
    )
    o["admin_membership"] = Membership.objects.create(
        user=person, organisation=cast.org("clinic"), role=Role.PEER_SUPPORTER
    )
    from egenmakt.sso.models import IdentityProvider

    o["oidc_provider"] = IdentityProvider.objects.create(
        organisation=cast.org("clinic"),
        name="Matrisens IdP",
        slug="matris",
        signs_in="staff",
        issuer="https://idp.example.invalid",
        authorization_endpoint="https://idp.example.invalid/authorize",
        token_endpoint="https://idp.example.invalid/token",
        jwks_uri="https://idp.example.invalid/jwks",
        client_id="egenmakt",
        client_secret="matrisens-hemlighet",
    )
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from egenmakt.api.services import create_personal_token

    o["api_token"], _secret = create_personal_token(
        user=cast.case_manager, name="Matrisens nyckel", scopes=["coordination:read"], days=30
    )
    reset_user = User.objects.get(pk=cast.coordinator.pk)
    o["reset_uid"] = urlsafe_base64_encode(force_bytes(reset_user.pk))
    o["reset_token"] = default_token_generator.make_token(reset_user)
    assert Client.objects.filter(pk=client.pk).exists()
    assert all(value is not None for value in o.values()), [k for k, v in o.items() if v is None]


def _seed_actors(world: World) -> None:
    from egenmakt.accounts.models import Membership, User
    from egenmakt.instruments.models import Response

    for key in {target.organisation for target in TARGETS.values()}:
        world.places[key] = positions_of(world, key)
    organisations = {org.pk: org for places in world.places.values() for org in places.values()}
    for org in organisations.values():
        for role in Role.values:
            user = User.objects.create_user(
                f"matris.{role}.{org.pk}@{settings.DEMO_EMAIL_DOMAIN}",
                "matrisens-losenord-2026",
                full_name=f"Matris {role} {org.pk}",
            )
            Membership.objects.create(user=user, organisation=org, role=role)
            world.sessions[(role, org.pk)] = _session_for(user)
    people = [*world.cast.people.values(), world.objects["participant_user"]]
    for person in people:
        world.person_sessions[person.pk] = _session_for(person)
    from egenmakt.portal.tests.factories import as_client

    browser = as_client(world.objects["portal_account"])
    world.client_session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    started = browser.post(reverse("portal:worksheet_start", args=["ors"]))
    world.objects["portal_draft"] = Response.objects.get(pk=started.url.rstrip("/").split("/")[-2])


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[World]:
    """The full demo and the matrix's actors, once for the module, rolled back after it
    (each test's own transaction is a savepoint inside this one)."""
    from egenmakt.demo.cast import seed_demo_region

    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = World(cast=seed_demo_region())
            _seed_objects(built)
            _seed_actors(built)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    media.disable()


# --- Asking the cells -------------------------------------------------------------------------


def _ask(world: World, row: Row, url: str, session: str | None) -> Any:
    browser = Browser()
    if session:
        browser.cookies[settings.SESSION_COOKIE_NAME] = session
    if row.method == "post":
        return browser.post(url, {}, follow=False)
    return browser.get(url, follow=False)


def _outcome(response: Any) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(
        (reverse("accounts:login"), reverse("portal:login"))
    ):
        return LOGIN
    return int(response.status_code)


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def run_row(world: World, row: Row, urls: list[str]) -> tuple[list[str], int]:
    """Ask every cell of ``row``; return the mismatches, described, and the cells asked."""
    target = TARGETS[row.target]
    places = world.places[target.organisation]
    names = person_names(world)
    cells: list[tuple[str, str, str | None]] = [
        (ANONYMOUS, "", None),
        (CLIENT, "", world.client_session),
    ]
    for role in Role.values:
        for position in POSITIONS:
            cells.append((role, position, world.sessions[(role, places[position].pk)]))
    if target.related is not None:
        key = target.related
        person = world.objects[key[1:]] if key.startswith("@") else world.cast.people[key]
        cells.append((RELATED, "", world.person_sessions[person.pk]))
    problems = []
    asked = 0
    for url in urls:
        for who, position, session in cells:
            cache.clear()  # rate limits count across cells otherwise
            response = _ask(world, row, url, session)
            asked += 1
            got = _outcome(response)
            want = expected(row, who, position)
            label = f"{who}@{position}" if position else who
            if RECORD:
                RECORDED.setdefault(row.name, {})[label] = got
            if got != want:
                problems.append(f"{url} {label}: expected {want}, got {got}")
                continue
            if not position or not (position == OTHER or got in (403, 404, row.refused)):
                continue
            if row.credential and got == 200:
                continue
            body = _body(response)
            for name in names:
                if name in body:
                    problems.append(f"{url} {label}: shows {name!r} ({got})")
    return problems, asked


def _urls(world: World, row: Row) -> list[str]:
    if row.name == "admin:*":
        return [reverse(name, args=[arg(world)] if callable(arg) else []) for name, arg in SAMPLES]
    kwargs = TARGETS[row.target].args(world)
    if ":" not in row.name and "/" in row.name:
        route = row.name
        return ["/" + re.sub(r"<[^>]*:?(\w+)>", lambda m: str(kwargs[m.group(1)]), route)]
    query = TARGETS[row.target].query
    return [reverse(row.name, kwargs=kwargs) + (f"?{query}" if query else "")]


def _marks(row: Row) -> list[Any]:
    if row.xfail:
        return [pytest.mark.xfail(strict=True, reason=row.xfail)]
    return []


@pytest.mark.django_db
@pytest.mark.parametrize("row", [pytest.param(r, id=r.name, marks=_marks(r)) for r in ROWS])
def test_matrix(world: World, row: Row) -> None:
    if row.name not in url_names():
        pytest.skip(f"{row.name} is not in this URLconf (a setting turns it on)")
    problems, _asked = run_row(world, row, _urls(world, row))
    if RECORD:
        with open(RECORD, "w") as out:
            json.dump(RECORDED, out, indent=0)
        return
    assert not problems, f"{row.name}: {len(problems)} cells differ:\n" + "\n".join(problems)
