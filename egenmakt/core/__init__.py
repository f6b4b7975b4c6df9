"""Small shared pieces with no models of their own: input checks, network, cache table."""
