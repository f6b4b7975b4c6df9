"""The national summary: every network's programme report below one organisation (the
user movement's national body) added up, one row per network.

The numbers are the programme report's own (``programme.py``) over every round and
placement below the organisation; the rows per network add up the rounds of each. Whoever
reads it sees them with small counts suppressed (``shown.py``): nobody at the national
level works with the applicants by name, whatever their role.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.utils.translation import gettext as _

from egenmakt.accounts.models import Organisation, OrganisationKind
from egenmakt.peer.models import RecruitmentRound

from .programme import ProgrammeReport, RoundRow, programme_report


def networks_below(top: Organisation) -> list[Organisation]:
    return list(
        Organisation.objects.filter(path__startswith=top.path, kind=OrganisationKind.USER_NETWORK)
        .exclude(pk=top.pk)
        .order_by("name")
    )


def national_report(top: Organisation, today: date | None = None) -> ProgrammeReport:
    """The programme report of everything below ``top``, its rows one per network."""
    report = programme_report(top, today=today)
    networks = networks_below(top)
    rows = {network.pk: RoundRow(label=network.name) for network in networks}
    paths = dict(
        RecruitmentRound.objects.filter(
            pk__in=[row.round.pk for row in report.rounds if row.round is not None]
        ).values_list("pk", "organisation__path")
    )
    # The deepest network whose path starts the round's organisation's path.
    by_depth = sorted(networks, key=lambda n: len(n.path), reverse=True)
    for row in report.rounds:
        if row.round is None:
            continue
        path = paths.get(row.round.pk, "")
        network = next((n for n in by_depth if path.startswith(n.path)), None)
        if network is not None:
            rows[network.pk].add(row)
    total = replace(report.total, label=str(_("All networks")))
    return replace(report, rounds=[rows[n.pk] for n in networks], total=total, workplaces=[])
