"""Use-cases of the peer programme, one module per area; each writes in one transaction."""
