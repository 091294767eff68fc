"""The benchmark harness (issue 12): data builder, settings, URLconf and the runner."""
