"""Demo clients in coordination, for ``make run`` and the browser tests.

Identity numbers here are synthetic: the birth number (the three digits after the date)
is taken from 980–999, the series Skatteverket uses for its published test numbers
(INFERRED: check against Skatteverket's list before relying on it). The check digit is
real (Luhn), so the numbers pass validation like real ones.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from faker import Faker
from stdnum import luhn

from egenmakt.coordination.access import forget_client_access
from egenmakt.coordination.models import (
    CaseNote,
    Client,
    Closeness,
    Consent,
    ConsentScope,
    Contact,
    Meeting,
    Phase,
    Sector,
    TeamRole,
)
from egenmakt.coordination.services import clients as clients_services
from egenmakt.coordination.services import consent as consent_services
from egenmakt.coordination.services import group as group_services
from egenmakt.coordination.services import mapping as mapping_services
from egenmakt.coordination.services import meetings as meeting_services
from egenmakt.coordination.services import plan as plans
from egenmakt.coordination.services import team as team_services
from egenmakt.demo.cast import Cast
from egenmakt.instruments import services as instrument_services
from egenmakt.instruments.selectors import find_current_definition

TEST_SERIES_START = 980
TEST_SERIES_SIZE = 20


def synthetic_identity_number(birth: date, index: int, *, coordination: bool = False) -> str:
    """A made-up number in the test series: YYYYMMDD-98NC (or the day + 60)."""
    serial = TEST_SERIES_START + index % TEST_SERIES_SIZE
    birth = birth + timedelta(days=index // TEST_SERIES_SIZE)
    day = birth.day + (60 if coordination else 0)
    nine = f"{birth:%y%m}{day:02d}{serial:03d}"
    return f"{birth:%Y%m}{day:02d}-{serial:03d}{luhn.calc_check_digit(nine)}"


def _name(key: str) -> str:
    fake = Faker("sv_SE")
    fake.seed_instance(f"client-{key}")
    return f"{fake.first_name()} {fake.last_name()}"


def _answer(user: Any, record: Any, answers: dict[str, Any], *, submit: bool = True) -> None:
    response = record.response
    save = instrument_services.submit_response if submit else instrument_services.save_draft
    save(user=user, response=response, answers=answers, expected_version=response.version)


def _worksheet(
    user: Any, client: Client, key: str, days_ago: int, present: list[Any], **kw: Any
) -> Any:
    definition = find_current_definition(key, client.organisation)
    if definition is None:
        return None
    return mapping_services.start_worksheet(
        user=user,
        client=client,
        definition=definition,
        respondent_kind=kw.pop("respondent_kind", definition.respondents[0]),
        done_on=timezone.localdate() - timedelta(days=days_ago),
        present=present,
        **kw,
    )


def _seed_relatives_and_paper(manager: Any, partner: Any, alva: Client) -> None:
    """The mother interviewed alone, agreeing that Alva reads a summary; her own rating of
    her strain (not shared); the everyday-life sheet filled in by Alva on paper and by her
    mother, for the follow-up's comparison."""
    mother = alva.contacts.get(name="Maria")
    mother.email = "maria.mamma@example.org"  # so a link can be sent to her in the demo
    mother.save(update_fields=["email"])
    both = [manager, partner]
    interview = _worksheet(
        manager, alva, "relative_interview", 25, both, client_present=False, relative=mother
    )
    if interview is not None:
        _answer(
            manager,
            interview,
            {
                "relation": "mamma",
                "client_sees": "summary",
                "client_summary": "Din mamma ser hur mycket du kämpar och vill gärna vara med "
                "i resursgruppen. Hon vill veta mer om hur hon kan stötta dig.",
                "rating_shared": "no",
                "how_it_shows": "Hon slutar svara i telefon och drar ner rullgardinerna.",
                "strain": "Jag sover dåligt och har gått ner i tid på jobbet.",
                "climate_burden": "Varm relation men mycket oro; mamman tar stort ansvar.",
            },
        )
    rating = _worksheet(
        manager, alva, "relative_rating", 25, both, client_present=False, relative=mother
    )
    if rating is not None:
        items = ("worry", "conflicts", "criticism", "tired", "own_life", "alone", "information")
        _answer(manager, rating, {**dict.fromkeys(items, 4), "conflicts": 2, "criticism": 2})
    self_rating = _worksheet(
        manager,
        alva,
        "everyday_life_self",
        20,
        [manager],
        respondent_kind="client",
        from_paper=True,
        filled_in_by="Alva själv, hemma",
    )
    relative_rating = _worksheet(
        manager, alva, "everyday_life_relative", 20, [manager], client_present=False,
        respondent_kind="relative", relative=mother,
    )  # fmt: skip
    for record, base in ((self_rating, 3), (relative_rating, 2)):
        if record is None:
            continue
        definition = record.response.definition.definition
        answers = {
            item["key"]: base + (index % 2)
            for section in definition["sections"]
            for index, item in enumerate(section["items"])
            if item["type"] == "scale"
        }
        _answer(manager, record, answers)


CONTACTS = [
    ("Maria", "mamma", Sector.FAMILY, Closeness.CLOSE, "", "070-111 11 11"),
    ("Johan", "bror", Sector.FAMILY, Closeness.MIDDLE, "", ""),
    ("Sara", "vän sedan skolan", Sector.FRIENDS, Closeness.CLOSE, "", "070-222 22 22"),
    ("Ali", "granne", Sector.FRIENDS, Closeness.DISTANT, "", ""),
    ("Dr. Ek", "läkare", Sector.PROFESSIONALS, Closeness.MIDDLE, "Psykiatrimottagning Centrum", ""),
    ("Lena", "boendestödjare", Sector.PROFESSIONALS, Closeness.CLOSE, "Boendestöd Östra", ""),
    ("Körledaren", "kören på tisdagar", Sector.OTHERS, Closeness.DISTANT, "Kvarnens kör", ""),
]


@transaction.atomic
def seed_demo_coordination(cast: Cast) -> None:
    """Three clients at different points, and a few more for the list. Idempotent."""
    if Client.objects.filter(organisation=cast.org("clinic")).exists():
        return
    today = timezone.localdate()
    manager, partner = cast.case_manager, cast.municipal_case_manager

    # 1. Both case managers, under a consent: the mapping, the plan decided at the first
    # resource-group meeting, the next meeting booked (``_seed_resource_group``).
    alva = clients_services.register_client(
        user=manager,
        organisation=cast.org("clinic"),
        identity_number=synthetic_identity_number(date(1989, 5, 17), 0),
        data={
            "full_name": _name("1"),
            "address": "Kvarngatan 12",
            "postcode": "123 45",
            "city": "Västerhav",
            "phone": "070-123 45 67",
            "started_on": today - timedelta(days=40),
        },
    )
    team_services.add_team_member(
        user=manager,
        client=alva,
        member=partner,
        organisation=cast.org("social_psychiatry"),
        role=TeamRole.CASE_MANAGER,
    )
    team_services.add_team_member(
        user=manager,
        client=alva,
        member=cast.method_supervisor,
        organisation=cast.org("clinic"),
        role=TeamRole.METHOD_SUPERVISOR,
    )
    consent_services.record_consent(
        user=manager,
        client=alva,
        given_on=today - timedelta(days=38),
        form="written",
        scope=list(ConsentScope.values),
        organisations=[cast.org("clinic"), cast.org("social_psychiatry")],
        case_managers=[manager, partner],
    )
    forget_client_access(manager)
    forget_client_access(partner)
    both = [manager, partner]
    mapping_services.record_step(
        user=manager, client=alva, step="first_meeting", done_on=today - timedelta(days=38),
        present=both, comment="Samtycke och checklista; datum bokade.",
    )  # fmt: skip
    mapping_services.record_step(
        user=manager, client=alva, step="contact_details", done_on=today - timedelta(days=38),
        present=both,
    )  # fmt: skip
    for name, relation, sector, closeness, workplace, phone in CONTACTS:
        mapping_services.save_contact(
            user=manager,
            client=alva,
            data={
                "name": name,
                "relationship": relation,
                "sector": sector,
                "closeness": closeness,
                "workplace": workplace,
                "phone": phone,
                "on_map": True,
            },
        )
    mapping_services.record_step(
        user=partner, client=alva, step="network_map", done_on=today - timedelta(days=31),
        present=[partner], comment="Ritad hemma hos klienten.",
    )  # fmt: skip
    normal_day = _worksheet(manager, alva, "normal_day", 35, both)
    if normal_day is not None:
        _answer(
            manager,
            normal_day,
            {
                "hours": {"08": "Vaknar, kaffe", "10": "Promenad med hunden", "14": "Vilar"},
                "weekday_or_weekend": "weekday",
                "hard_parts": "Kvällarna är långa och ensamma.",
                "wish_to_change": "Ha något att göra på kvällarna.",
            },
        )
        mapping_services.add_summary_entry(
            user=manager,
            client=alva,
            source=normal_day,
            area="Fritid",
            wants_to_change="Ha något meningsfullt att göra på kvällarna.",
            obstacles="Orkar inte gå ut ensam när det är mörkt.",
            resources="Tycker om att sjunga; har en vän i kören.",
        )
    ors = _worksheet(partner, alva, "ors", 30, [partner], respondent_kind="client")
    if ors is not None:
        _answer(
            partner,
            ors,
            {"individually": 4.2, "interpersonally": 5.5, "socially": 3.1, "overall": 4.4},
        )
    # Two more ratings before meetings: the first on track, the latest below the expected
    # progress from the intake (the follow-up page and the start page flag it).
    for days_ago, values in ((16, (6.0, 5.8, 4.5, 5.9)), (3, (4.8, 5.5, 4.0, 4.9))):
        later = _worksheet(partner, alva, "ors", days_ago, [partner], respondent_kind="client")
        if later is not None:
            keys = ("individually", "interpersonally", "socially", "overall")
            _answer(partner, later, dict(zip(keys, values, strict=True)))
    interview = _worksheet(manager, alva, "client_interview", 7, both)
    if interview is not None:
        _answer(
            manager,
            interview,
            {"improve": "Komma igång med något på dagarna."},
            submit=False,
        )
    _seed_relatives_and_paper(manager, partner, alva)
    CaseNote.objects.create(
        client=alva,
        organisation=cast.org("clinic"),
        text="Medicinjustering diskuterad med läkaren (mottagningens egen anteckning).",
        written_by=manager,
    )

    # 2. Just registered, protected identity, no consent yet.
    clients_services.register_client(
        user=manager,
        organisation=cast.org("clinic"),
        identity_number=synthetic_identity_number(date(1996, 11, 3), 1),
        data={
            "full_name": _name("2"),
            "protected_identity": True,
            "address": "(skyddad adress)",
            "city": "Västerhav",
            "meeting_place": "office",
            "started_on": today,
        },
    )

    # 3. Mapping for six weeks with one case manager: the ORS is late.
    late = clients_services.register_client(
        user=manager,
        organisation=cast.org("clinic"),
        identity_number=synthetic_identity_number(date(1971, 2, 8), 2, coordination=True),
        data={
            "full_name": _name("3"),
            "preferred_language": "arabiska",
            "interpreter_needed": True,
            "started_on": today - timedelta(days=45),
        },
    )
    consent_services.record_consent(
        user=manager,
        client=late,
        given_on=today - timedelta(days=44),
        form="oral",
        scope=[ConsentScope.SHARE_INFORMATION, ConsentScope.WORKSHEETS],
        organisations=[cast.org("clinic")],
        case_managers=[manager],
    )

    # A few more, so the list looks like a real caseload.
    others = [
        clients_services.register_client(
            user=manager,
            organisation=cast.org("clinic"),
            identity_number=synthetic_identity_number(
                date(1960 + index * 3, index, 10 + index), index
            ),
            data={"full_name": _name(str(index)), "started_on": today - timedelta(days=index * 20)},
        )
        for index in range(4, 10)
    ]
    forget_client_access(manager)
    _seed_resource_group(cast, alva)
    _seed_overdue_meeting(cast, others[-1])


def _held(
    user: Any, client: Client, days_ago: int, *, absent: tuple[str, ...] = (), **record: Any
) -> Meeting:
    """A meeting that took place ``days_ago``: booked ahead (as in life), then held; all
    members came but the ``absent``."""
    meeting = meeting_services.book_meeting(
        user=user,
        client=client,
        starts_at=timezone.now() + timedelta(days=1),
        chair=user.full_name,
        invite=False,
    )
    start = timezone.localtime(timezone.now() - timedelta(days=days_ago))
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=start.replace(hour=10, minute=0, second=0, microsecond=0)
    )
    meeting.refresh_from_db()
    present: dict[int, bool | None] = {
        row.member_id: row.member.name not in absent
        for row in meeting.attendance.select_related("member")
    }
    meeting_services.save_meeting(
        user=user,
        client=client,
        meeting=meeting,
        expected_version=meeting.version,
        record=meeting_services.MeetingRecord(held=True, present=present, **record),
    )
    meeting.refresh_from_db()
    return meeting


def _seed_resource_group(cast: Cast, client: Client) -> None:
    """The shared client's plan, resource group, first meeting (held: the plan decided)
    and the next one, booked about three months on."""
    manager, partner = cast.case_manager, cast.municipal_case_manager
    clients_services.change_phase(
        user=manager,
        client=client,
        phase=Phase.PLANNING,
        reason="Klienten vill komma igång; intervjun skrivs klart under planeringen.",
    )
    plan = plans.plan_for(client, manager)
    plans.save_plan_header(
        user=manager, client=client, plan=plan, expected_version=plan.version,
        long_term_goal="Jag vill ha ett sammanhang på kvällarna och orka träffa vänner.",
        responsible_principal="municipality", responsible_person=partner,
    )  # fmt: skip
    choir = plans.add_goal(
        user=manager, client=client, plan=plan, expected_version=plan.version,
        text="Gå med i kören", measure="Går på kören två tisdagar i månaden",
        target_date=timezone.localdate() + timedelta(days=90),
    )  # fmt: skip
    plans.add_action(
        user=manager, client=client, plan=plan, expected_version=plan.version,
        data={"goal": choir, "what": "Följa med till första övningen", "who": "Lena",
              "principal": "municipality", "organisation_name": "Boendestöd Östra",
              "when": "tisdag nästa vecka"},
    )  # fmt: skip
    contacts = {c.name: c for c in Contact.objects.filter(client=client)}
    emails = {"Maria": "maria.demo@example.org", "Lena": "lena.demo@example.org"}
    # The client chose her mother, her housing support and her physician.
    for name in ("Maria", "Lena", "Dr. Ek"):
        contact = contacts[name]
        group_services.add_group_member(
            user=manager,
            client=client,
            chosen_by_client=True,
            contact=contact,
            data={"email": emails.get(name, "")},
        )
    first = _held(
        manager,
        client,
        5,
        absent=("Dr. Ek",),
        client_present=True,
        warning_plan_reviewed=True,
        minutes="Klienten ledde själv punkten om kören. Dr. Ek hade förhinder.",
    )
    plan.refresh_from_db()
    meeting_services.record_decision(
        user=manager, client=client, meeting=first, kind="decide_plan",
        plan_version=plan.version,
        data={"consent": Consent.objects.filter(client=client).first(),
              "consent_confirmed": True,
              "decided_on": timezone.localtime(first.starts_at).date()},
    )  # fmt: skip
    plan.refresh_from_db()
    meeting_services.record_decision(
        user=manager, client=client, meeting=first, kind="new_goal",
        plan_version=plan.version,
        data={"text": "Sova bättre", "measure": "Sover sju timmar de flesta nätter",
              "target_date": timezone.localdate() + timedelta(days=120)},
    )  # fmt: skip
    clients_services.change_phase(user=manager, client=client, phase=Phase.WORK)
    meeting_services.book_meeting(
        user=manager,
        client=client,
        starts_at=meeting_services.next_meeting_default(first),
        chair=manager.full_name,
        invite=True,
    )


def _seed_overdue_meeting(cast: Cast, client: Client) -> None:
    """A client in the work phase whose last meeting was over three months ago and who
    has nothing booked: the case manager's start page lists them."""
    manager = cast.case_manager
    consent_services.record_consent(
        user=manager,
        client=client,
        given_on=client.started_on,
        form="written",
        scope=list(ConsentScope.values),
        organisations=[cast.org("clinic")],
        case_managers=[manager],
    )
    forget_client_access(manager)
    clients_services.change_phase(user=manager, client=client, phase=Phase.PLANNING, reason="Demo.")
    clients_services.change_phase(user=manager, client=client, phase=Phase.WORK)
    _held(manager, client, 100, client_present=True)
