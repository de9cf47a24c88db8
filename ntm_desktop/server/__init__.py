"""The office's PostgreSQL server: checking a connection, setting up the schema, moving a SQLite office onto
it, and backing it up. Nothing here imports Qt; the dialog (ui/server_dialog.py) and the `server` command call it.
"""
