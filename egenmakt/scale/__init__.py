"""Synthetic data at a region's scale, for ``manage.py generate_scale`` and ``make bench``.

A region has about 10,000 clients in coordination, about 100 peer supporters a year and
ten years of history; a national installation is ten regions. ``generate_scale --clients
N`` makes ``max(1, round(N / 10,000))`` regions of ten years each, every yearly volume
proportional to the region's share of N (see ``plan.py``).

Each app that holds data has its generator here (``scale/<app>.py``, or ``scale/<app>/``
with a module per area once it grows, as its demo data is in ``egenmakt/demo/<app>.py``),
listed in ``ScaleConfig.contributes``; no domain app imports this package. Generators share a
``ScaleContext`` (the regions, their staff, the people the access log can be about; a
generator's pass over one region builds on ``RegionRun``) and insert with
``bulk_create`` in batches, never through the services: the services write one row at a
time with its audit trail, which is right for real use and hours too slow here.

Everything is synthetic: names from Faker's Swedish locale, e-mail on the reserved
``.example`` domain, no personal identity numbers at all. A generator that needs them (the
coordination app's clients) must use birth numbers 980–999, the range kept for synthetic
numbers here, so that no generated number is a real person's.
"""
