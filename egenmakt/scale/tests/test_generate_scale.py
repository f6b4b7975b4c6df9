from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from egenmakt.accounts.models import Organisation, User
from egenmakt.audit.models import AccessLog
from egenmakt.instruments.models import Response
from egenmakt.peer.models import (
    Application,
    Cohort,
    ErasedApplications,
    Interview,
    Participant,
    Placement,
    RecruitmentRound,
    RoundStatus,
)
from egenmakt.reports.programme import programme_report
from egenmakt.scale.accounts import REGION_NAME
from egenmakt.scale.context import EMAIL_DOMAIN, given_times
from egenmakt.scale.plan import ACCESS_LOG_ROWS_PER_CLIENT, YEARS, Plan


def _generate(clients: int) -> str:
    out = StringIO()
    call_command("generate_scale", clients=clients, seed=7, stdout=out)
    return out.getvalue()


def test_a_region_is_ten_thousand_clients_and_a_nation_ten_regions():
    region, nation, small = (Plan.for_clients(n) for n in (10_000, 100_000, 1_000))
    assert (region.regions, nation.regions, small.regions) == (1, 10, 1)
    assert region.share == nation.share == 1.0
    # A full region: four rounds a year, about a thousand applicants, ~110 admitted.
    assert region.rounds_per_year * region.applications_per_round == 1_000
    assert region.rounds_per_year * region.course_places == 112
    assert small.rounds_per_year == 1 and small.applications_per_round == 100
    assert nation.access_log_rows == 10 * region.access_log_rows


@pytest.mark.parametrize("clients", [20, 40])
def test_generate_scale_makes_counts_in_proportion(db, clients):
    before = {model: model.objects.count() for model in (AccessLog, Response, Application)}
    output = _generate(clients)
    plan = Plan.for_clients(clients)

    assert "Done in" in output
    assert AccessLog.objects.count() - before[AccessLog] == ACCESS_LOG_ROWS_PER_CLIENT * clients
    network = Organisation.objects.get(name="Brukarnätverket Skala 1")
    rounds = RecruitmentRound.objects.filter(organisation=network)
    assert rounds.count() == YEARS * plan.rounds_per_year
    assert rounds.filter(status=RoundStatus.OPEN).count() == 1
    # Every closed round has its course; old rounds keep only the admitted and the counts.
    assert Cohort.objects.filter(round__in=rounds).count() == rounds.count() - 1
    assert ErasedApplications.objects.filter(round__in=rounds).exists()
    assert Participant.objects.filter(cohort__round__in=rounds).count() > 0
    assert Placement.objects.filter(workplace__network=network).exists()
    assert Interview.objects.filter(application__round__in=rounds).exists()
    assert Response.objects.count() > before[Response]
    # Synthetic people are on the reserved domain and cannot sign in with a password.
    made = User.objects.filter(email__endswith="@" + EMAIL_DOMAIN)
    assert made.exists()
    assert not any(user.has_usable_password() for user in made[:50])

    # The programme report reads the generated history: erased applicants are counted.
    report = programme_report(network)
    applied = Application.objects.filter(round__in=rounds).count()
    erased = sum(e.applied for e in ErasedApplications.objects.filter(round__in=rounds))
    assert report.total.applied == applied + erased
    assert report.total.completed > 0


def test_generate_scale_refuses_a_database_that_has_scale_data(db):
    _generate(20)
    assert Organisation.objects.filter(name=REGION_NAME.format(n=1)).exists()
    with pytest.raises(CommandError, match="fresh database"):
        _generate(20)


def test_generate_scale_refuses_zero_clients(db):
    with pytest.raises(CommandError):
        _generate(0)


def test_given_times_restores_the_automatic_times():
    field = AccessLog._meta.get_field("occurred_at")
    with given_times((AccessLog, "occurred_at")):
        assert not field.auto_now_add
    assert field.auto_now_add


def test_coordination_data_is_synthetic_and_in_proportion(db):
    from egenmakt.coordination.models import Client, Meeting, PlanVersion, StepRecord
    from egenmakt.scale.coordination import CLIENT_BATCH

    before = Client.objects.count()
    output = _generate(40)
    assert "coordination" in output
    clients = Client.objects.filter(organisation__name__contains="Skala 1")
    assert clients.count() == Client.objects.count() - before == 40 < CLIENT_BATCH
    # Birth numbers 980–999 only: never a real person's number.
    assert all(
        980 <= int(n[8:11]) <= 999 for n in clients.values_list("identity_number", flat=True)
    )
    assert clients.filter(coordination_number=True).exists()
    steps = StepRecord.objects.filter(client__in=clients, response__isnull=False)
    answered = sum(len(r.answers) for r in Response.objects.filter(coordination_step__in=steps))
    assert 40 * 100 * 0.5 < answered < 40 * 100 * 1.6
    assert Meeting.objects.filter(client__in=clients, status="held").exists()
    assert PlanVersion.objects.filter(plan__client__in=clients).exists()
    client_type = ContentType.objects.get_for_model(Client)
    assert AccessLog.objects.filter(person_type=client_type).exists()


def test_answers_per_client_is_an_option(db):
    from egenmakt.coordination.models import StepRecord

    call_command("generate_scale", clients=20, answers_per_client=0, stdout=StringIO())
    assert not StepRecord.objects.exists()
