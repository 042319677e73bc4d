"""A test-only app: Django's ``flush`` that can empty the append-only audit table on SQLite
(see ``smartcommune/rounds/migrations/0002_audit_append_only.py``)."""
