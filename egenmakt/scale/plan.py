"""How much of everything ``generate_scale --clients N`` makes.

The yardstick is one region (DESIGN.md, "Scale"): about 10,000 clients in coordination,
about 100 peer supporters trained a year, ten years of history. Larger N means more
regions of that size (a national installation is ten of them); smaller N means one region
whose yearly volumes shrink in proportion, never below what every page needs to show
something (one round a year, a handful of applicants, one workplace...).
"""

from __future__ import annotations

from dataclasses import dataclass

CLIENTS_PER_REGION = 10_000
YEARS = 10

# One region's year at full size (``share`` = 1.0).
ROUNDS_PER_YEAR = 4
APPLICATIONS_PER_YEAR = 1_000
# Handbook: a round admits more people than there are jobs; about 100 trained a year.
ADMITTED_SHARE = 0.11
SESSIONS_PER_COURSE = 10  # five weeks, two days a week
ASSIGNMENTS_PER_COURSE = 3
WORKPLACES = 40
AREAS = 3
UNITS_PER_AREA = 12  # workplaces and other units whose influence is followed
INFLUENCE_ORGANISATIONS = 12
FORUMS_PER_AREA = 6
ACTIVITIES_PER_YEAR = 120
FOLLOW_UP_EVENTS_PER_YEAR = 3
# The access log over ten years, per client of N. The coordination app's clients will
# be most of the people it is about; today it is about applicants and peer supporters.
ACCESS_LOG_ROWS_PER_CLIENT = 20
# Coordination (issue 10): a region's 10,000 clients gave about a million worksheet
# answers in ten years, ~100 answered items per client (a worksheet has 4 to 100 items).
ANSWERS_PER_CLIENT = 100
# Case managers per region (half in the region's clinic, half in the municipality).
CASE_MANAGERS = 100

STAFF = {
    "coordinator": 3,
    "training_lead": 2,
    "course_leader": 6,
    "lecturer": 6,
    "interviewer": 10,
    "supervisor": 5,
    "auditor": 1,
    "analyst": 2,
}
# Every page needs someone to show it to, and interviews take two people.
MIN_STAFF = {"interviewer": 2}


@dataclass(frozen=True)
class Plan:
    clients: int
    regions: int
    share: float  # one region's size as a share of the full region (1.0 = 10,000 clients)
    answers_per_client: int = ANSWERS_PER_CLIENT

    @classmethod
    def for_clients(cls, clients: int, *, answers_per_client: int = ANSWERS_PER_CLIENT) -> Plan:
        if clients < 1:
            raise ValueError("--clients must be at least 1")
        if answers_per_client < 0:
            raise ValueError("--answers-per-client cannot be negative")
        regions = max(1, round(clients / CLIENTS_PER_REGION))
        return cls(clients, regions, clients / regions / CLIENTS_PER_REGION, answers_per_client)

    def scaled(self, full: float, minimum: int = 1) -> int:
        """A per-region number: ``full`` at a full-size region, never below ``minimum``."""
        return max(minimum, round(full * self.share))

    @property
    def years(self) -> int:
        return YEARS

    @property
    def rounds_per_year(self) -> int:
        return self.scaled(ROUNDS_PER_YEAR)

    @property
    def applications_per_round(self) -> int:
        return max(12, round(APPLICATIONS_PER_YEAR * self.share / self.rounds_per_year))

    @property
    def course_places(self) -> int:
        return max(3, round(self.applications_per_round * ADMITTED_SHARE))

    @property
    def workplaces(self) -> int:
        return self.scaled(WORKPLACES, minimum=2)

    @property
    def areas(self) -> int:
        return self.scaled(AREAS)

    @property
    def units_per_area(self) -> int:
        return max(2, round(UNITS_PER_AREA * min(1.0, self.share * 4)))

    @property
    def influence_organisations(self) -> int:
        return self.scaled(INFLUENCE_ORGANISATIONS, minimum=2)

    @property
    def activities_per_year(self) -> int:
        return self.scaled(ACTIVITIES_PER_YEAR, minimum=4)

    @property
    def clients_per_region(self) -> int:
        return max(1, round(CLIENTS_PER_REGION * self.share))

    @property
    def case_managers(self) -> int:
        return self.scaled(CASE_MANAGERS, minimum=2)

    @property
    def access_log_rows(self) -> int:
        """In the whole installation, not per region."""
        return ACCESS_LOG_ROWS_PER_CLIENT * self.clients

    def staff(self, role: str) -> int:
        return self.scaled(STAFF[role], minimum=MIN_STAFF.get(role, 1))
