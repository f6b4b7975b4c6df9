"""The demo region for ``make run`` and the tests: ``manage.py seed_demo``.

One module per app whose data the demo holds (``cast`` for the organisations and the named
cast, then ``peer``, ``influence``, ``coordination``, ``portal``), each writing through
that app's services so the demo takes the real write path, audit rows included. Tooling:
it imports the domain apps and no domain app imports it (``egenmakt/tests/test_layout.py``).
"""
