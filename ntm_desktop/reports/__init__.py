"""Reports in the official layout (Nghị định 30/2020): builders that read the database, layouts that print."""
