"""Views of the organisations room, split by audience (thin: parse, call a service, render)."""
