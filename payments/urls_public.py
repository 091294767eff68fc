"""The public lump-sum estimator (no account), mounted at /lump-sum/."""

from django.urls import path

from .views import estimator, estimator_cities

urlpatterns = [
    path("", estimator, name="lump_sum"),
    path("cities/", estimator_cities, name="lump_sum_cities"),
]
