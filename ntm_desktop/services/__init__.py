"""Qt-free services: the rules of the office's work, called from the UI, the CLI and tests."""
