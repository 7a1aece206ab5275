"""Users, roles, password hashing, web sessions and API tokens."""
