"""The benchmark's URLconf: every URL of the portal, plus a bare view returning a constant.

The bare view is the floor every page is measured against (what Django, gunicorn and the
middleware cost alone). It is mounted here only — ``benchmarks.settings`` — never in
``cxc_portal.urls`` (a test checks).
"""

from django.http import HttpResponse
from django.urls import path

from cxc_portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    """A constant: no template, no query."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("__bench__/bare/", bare, name="bench_bare"), *portal_urlpatterns]
