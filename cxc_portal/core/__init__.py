"""The kernel's shared pieces: one copy of each, used by every room."""
