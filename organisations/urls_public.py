from django.urls import path

from .views.public import eligibility_check

urlpatterns = [path("", eligibility_check, name="eligibility")]
