"""What ``make bench`` needs from the app, mounted only when ``EGENMAKT_BENCH`` is on.

* ``floor``: the cheapest response the stack can give, through the whole middleware
  stack but with no database work (asked for without a session cookie, the session and the
  user are never loaded). Every page's p95 is compared with this one's.
* ``QueryCountMiddleware``: puts the number of SQL queries a request ran in the
  ``X-Bench-Queries`` response header, and the milliseconds Django spent on it (the whole
  middleware stack and the view, not the wait for a free worker) in ``X-Bench-Ms``; first
  in the stack, so the session's load and save count too.

Both stay out of production: the header tells anyone how much work a page does, and the
app's addresses are only those its users need. ``EGENMAKT_BENCH`` is set by
``bench/run.sh`` and nowhere else.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse

HEADER = "X-Bench-Queries"
TIME_HEADER = "X-Bench-Ms"


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


class QueryCountMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(
            execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any
        ) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, ctx)

        started = time.perf_counter()
        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response[TIME_HEADER] = f"{(time.perf_counter() - started) * 1000:.2f}"
        response[HEADER] = str(count)
        return response
