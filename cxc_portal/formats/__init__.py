"""The portal's date formats, which win over Django's locale formats (FORMAT_MODULE_PATH)."""
