"""Reads of the peer programme, one module per area; scoped to what the user may see."""
