"""Small apps that exist only to be installed by ``test_registry.py``: each module is an
app (its ``AppConfig`` and what it contributes)."""
