from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from egenmakt.accounts.models import Organisation, User
from egenmakt.accounts.scale import REGION_NAME
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
