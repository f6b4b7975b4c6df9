"""Pages of the peer programme, one module per area; thin over services and selectors."""
