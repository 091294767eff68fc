from django.urls import path

from .views import people, profiles, staff

app_name = "organisations"

urlpatterns = [
    path("", profiles.mine, name="mine"),
    path("new/", profiles.create, name="create"),
    path("preview/", profiles.eligibility_preview, name="eligibility_preview"),
    path("cities/", profiles.cities, name="city_search"),
    path("join/", people.join, name="join"),
    path("join/<int:pk>/", people.join_request, name="join_request"),
    path("staff/", staff.staff_queue, name="staff_queue"),
    path("<int:pk>/", profiles.detail, name="detail"),
    path("<int:pk>/edit/", profiles.edit, name="edit"),
    path("<int:pk>/submit/", profiles.submit, name="submit"),
    path("<int:pk>/my-details/", people.my_details, name="my_details"),
    path("<int:pk>/validate/", staff.validate, name="validate"),
    path("<int:pk>/reject/", staff.reject, name="reject"),
    path("<int:pk>/easme/", staff.easme, name="easme"),
    path(
        "representatives/<int:pk>/approve/",
        people.representative_answer,
        {"decision": "approve"},
        name="representative_approve",
    ),
    path(
        "representatives/<int:pk>/decline/",
        people.representative_answer,
        {"decision": "decline"},
        name="representative_decline",
    ),
]
