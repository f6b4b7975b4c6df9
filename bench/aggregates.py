"""Times report generation against the same aggregates written as plain SQL (PostgreSQL).

For region 1 of the scale data:

* programme report: the funnel per round (applied, interviewed, admitted, completed,
  employed, employed after 6 and 12 months) as ``egenmakt.reports.programme`` computes it,
  against one SQL statement; and the whole report (funnel, months, workplaces) for scale;
* indicators: the five indicators that SQL can state plainly (activities, user councils,
  system forums with representatives, representatives' share, peer supporters per
  workplace) over the dashboard's eight quarters, against one SQL statement each; and the
  whole dashboard (the ladder indicator too) for scale.

Each side runs ``REPEAT`` times; the median is reported. The results are compared first:
a timing of two different answers would mean nothing.

Usage (the bench's environment): ``python bench/aggregates.py --out FILE.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egenmakt.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from egenmakt.accounts.models import Organisation  # noqa: E402
from egenmakt.influence import indicators as ind  # noqa: E402
from egenmakt.influence.indicators import per_period  # noqa: E402
from egenmakt.influence.models import CareArea  # noqa: E402
from egenmakt.reports.programme import _funnel, programme_report, rounds_in  # noqa: E402
from egenmakt.scale.accounts import ORGANISATIONS  # noqa: E402

REPEAT = 7

FUNNEL_SQL = """
WITH rounds AS (
    SELECT r.id FROM peer_recruitmentround r
    JOIN accounts_organisation o ON o.id = r.organisation_id
    WHERE o.path LIKE %(path)s
), apps AS (
    SELECT round_id, count(*) AS applied,
           count(*) FILTER (WHERE interviewed_at IS NOT NULL) AS interviewed,
           count(*) FILTER (WHERE status = 'admitted') AS admitted
    FROM peer_application WHERE round_id IN (SELECT id FROM rounds) GROUP BY round_id
), done AS (
    SELECT a.round_id, p.user_id,
           (p.completed_at AT TIME ZONE %(tz)s)::date AS done_on
    FROM peer_participant p JOIN peer_application a ON a.id = p.application_id
    WHERE a.round_id IN (SELECT id FROM rounds) AND p.status = 'completed'
), followed AS (
    SELECT d.round_id, d.user_id,
           EXISTS (SELECT 1 FROM peer_placement j
                   WHERE j.peer_supporter_id = d.user_id AND j.starts_on <= %(today)s) AS employed,
           (d.done_on + interval '6 months')::date AS day6,
           (d.done_on + interval '12 months')::date AS day12
    FROM done d
), jobs AS (
    SELECT f.round_id, f.employed,
           f.day6 <= %(today)s AS eligible6,
           f.day6 <= %(today)s AND EXISTS (
               SELECT 1 FROM peer_placement j WHERE j.peer_supporter_id = f.user_id
               AND j.starts_on <= f.day6 AND (j.ends_on IS NULL OR j.ends_on >= f.day6)
           ) AS employed6,
           f.day12 <= %(today)s AS eligible12,
           f.day12 <= %(today)s AND EXISTS (
               SELECT 1 FROM peer_placement j WHERE j.peer_supporter_id = f.user_id
               AND j.starts_on <= f.day12 AND (j.ends_on IS NULL OR j.ends_on >= f.day12)
           ) AS employed12
    FROM followed f
), people AS (
    SELECT round_id, count(*) AS completed, count(*) FILTER (WHERE employed) AS employed,
           count(*) FILTER (WHERE eligible6) AS eligible6,
           count(*) FILTER (WHERE employed6) AS employed6,
           count(*) FILTER (WHERE eligible12) AS eligible12,
           count(*) FILTER (WHERE employed12) AS employed12
    FROM jobs GROUP BY round_id
)
SELECT r.id,
       coalesce(a.applied, 0) + coalesce(e.applied, 0),
       coalesce(a.interviewed, 0) + coalesce(e.interviewed, 0),
       coalesce(a.admitted, 0) + coalesce(e.admitted, 0),
       coalesce(p.completed, 0), coalesce(p.employed, 0),
       coalesce(p.eligible6, 0), coalesce(p.employed6, 0),
       coalesce(p.eligible12, 0), coalesce(p.employed12, 0)
FROM rounds r
LEFT JOIN apps a ON a.round_id = r.id
LEFT JOIN peer_erasedapplications e ON e.round_id = r.id
LEFT JOIN people p ON p.round_id = r.id
ORDER BY r.id
"""

QUARTERS = "SELECT * FROM (VALUES {values}) AS q(start, finish)"

INDICATOR_SQL = {
    "activities": """
        WITH q AS ({quarters})
        SELECT q.start, count(a.id) FROM q
        LEFT JOIN influence_activity a ON a.area_id = ANY(%(areas)s) AND a.status = 'approved'
             AND (a.starts_at AT TIME ZONE %(tz)s)::date BETWEEN q.start AND q.finish
        GROUP BY q.start ORDER BY q.start
    """,
    "user_council": """
        WITH q AS ({quarters}),
        units AS (SELECT DISTINCT organisation_id AS id FROM influence_carearea_units
                  WHERE carearea_id = ANY(%(areas)s))
        SELECT q.start, (100.0 * (
            SELECT count(DISTINCT f.unit_id) FROM influence_forum f
            WHERE f.area_id = ANY(%(areas)s) AND f.kind = 'user_council'
              AND f.unit_id IN (SELECT id FROM units)
              AND (f.started_on IS NULL OR f.started_on <= q.finish)
              AND (f.ended_on IS NULL OR f.ended_on >= q.finish)
        ) / nullif((SELECT count(*) FROM units), 0))
        FROM q ORDER BY q.start
    """,
    "system_forums": """
        WITH q AS ({quarters}), seats AS (
            SELECT q.start, m.forum_id FROM q
            JOIN influence_forum f ON f.area_id = ANY(%(areas)s) AND f.level = 'system'
                 AND (f.started_on IS NULL OR f.started_on <= q.finish)
                 AND (f.ended_on IS NULL OR f.ended_on >= q.finish)
            JOIN influence_forummember m ON m.forum_id = f.id
                 AND m.capacity = 'representative'
                 AND m.since <= q.finish AND (m.until IS NULL OR m.until >= q.finish)
        )
        SELECT q.start, count(DISTINCT s.forum_id) FROM q
        LEFT JOIN seats s ON s.start = q.start GROUP BY q.start ORDER BY q.start
    """,
    "representative_share": """
        WITH q AS ({quarters}), seats AS (
            SELECT q.start, m.capacity FROM q
            JOIN influence_forum f ON f.area_id = ANY(%(areas)s)
                 AND (f.started_on IS NULL OR f.started_on <= q.finish)
                 AND (f.ended_on IS NULL OR f.ended_on >= q.finish)
            JOIN influence_forummember m ON m.forum_id = f.id
                 AND m.since <= q.finish AND (m.until IS NULL OR m.until >= q.finish)
        )
        SELECT q.start,
               100.0 * count(*) FILTER (WHERE s.capacity = 'representative')
               / nullif(count(*) FILTER (
                   WHERE s.capacity IN ('representative', 'own_experience')), 0)
        FROM q LEFT JOIN seats s ON s.start = q.start GROUP BY q.start ORDER BY q.start
    """,
    "peer_supporters_per_workplace": """
        WITH q AS ({quarters}),
        paths AS (SELECT o.path FROM accounts_organisation o
                  WHERE o.id IN (SELECT organisation_id FROM influence_carearea_units
                                 WHERE carearea_id = ANY(%(areas)s))),
        inside AS (SELECT w.id FROM peer_peerworkplace w
                   JOIN accounts_organisation o ON o.id = w.workplace_id
                   WHERE EXISTS (SELECT 1 FROM paths p WHERE o.path LIKE p.path || '%%'))
        SELECT q.start, count(DISTINCT j.peer_supporter_id)::numeric
                        / nullif(count(DISTINCT j.workplace_id), 0)
        FROM q LEFT JOIN peer_placement j ON j.workplace_id IN (SELECT id FROM inside)
             AND j.starts_on <= q.finish AND (j.ends_on IS NULL OR j.ends_on >= q.finish)
        GROUP BY q.start ORDER BY q.start
    """,
}
INDICATOR_ORM: dict[str, Callable[..., Any]] = {
    "activities": per_period.activities_in_period,
    "user_council": per_period.units_with_user_council,
    "system_forums": per_period.system_forums_with_representatives,
    "representative_share": per_period.representative_share,
    "peer_supporters_per_workplace": per_period.peer_supporters_per_workplace,
}


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Median milliseconds over ``REPEAT`` runs, after one warm-up, and the last result."""
    result = function()
    samples = []
    for _n in range(REPEAT):
        started = time.perf_counter()
        result = function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), result


def sql(statement: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall()


def _number(value: Any) -> float | None:
    """Rounded as the app rounds (Python's round, to one decimal)."""
    return None if value is None else round(float(value), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The plain-SQL side is written for PostgreSQL.")
    network = Organisation.objects.get(name=ORGANISATIONS["network"][0].format(n=1), parent=None)
    today = timezone.localdate()
    tz = str(timezone.get_current_timezone())
    results: dict[str, Any] = {}

    rounds = list(rounds_in(network))

    def funnel_orm() -> list[tuple[Any, ...]]:
        return sorted(
            (
                row.round.pk,
                row.applied,
                row.interviewed,
                row.admitted,
                row.completed,
                row.employed,
                row.after_6.eligible,
                row.after_6.employed,
                row.after_12.eligible,
                row.after_12.employed,
            )
            for row in _funnel(rounds, today)
        )

    params = {"path": network.path + "%", "today": today, "tz": tz}
    orm_ms, orm_rows = timed(funnel_orm)
    sql_ms, sql_rows = timed(lambda: [tuple(r) for r in sql(FUNNEL_SQL, params)])
    if orm_rows != sql_rows:
        raise SystemExit(f"The funnel differs:\nORM {orm_rows[:3]}\nSQL {sql_rows[:3]}")
    full_ms, _report = timed(lambda: programme_report(network))
    results["programme report: funnel per round"] = {
        "orm_ms": orm_ms,
        "sql_ms": sql_ms,
        "rows": len(sql_rows),
    }
    results["programme report: whole page's data"] = {"orm_ms": full_ms}

    areas = list(CareArea.objects.filter(organisation=network))
    periods = ind.quarters(today)
    values = ", ".join(f"(DATE '{p.start}', DATE '{p.end}')" for p in periods)
    quarter_sql = QUARTERS.format(values=values)
    area_ids = [a.pk for a in areas]
    orm_total = sql_total = 0.0
    for key, statement in INDICATOR_SQL.items():
        compute = INDICATOR_ORM[key]
        orm_ms, orm_values = timed(lambda c=compute: [c(areas, p) for p in periods])
        sql_ms, rows = timed(
            lambda s=statement: sql(s.format(quarters=quarter_sql), {"areas": area_ids, "tz": tz})
        )
        sql_values = [_number(v) for _start, v in rows]
        if [_number(v) for v in orm_values] != sql_values:
            raise SystemExit(f"Indicator {key} differs: ORM {orm_values}, SQL {sql_values}")
        orm_total += orm_ms
        sql_total += sql_ms
    results["indicators: five indicators x 8 quarters"] = {"orm_ms": orm_total, "sql_ms": sql_total}
    full_ms, _rows = timed(lambda: ind.dashboard(areas, periods))
    results["indicators: whole dashboard"] = {"orm_ms": full_ms}
    Path(args.out).write_text(json.dumps(results, indent=2))
    for name, row in results.items():
        print(f"  {name:<45} " + ", ".join(f"{k} {v:.1f}" for k, v in row.items()))


if __name__ == "__main__":
    main()
