from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("interests/", views.interest_list, name="interest_list"),
    path("interests/<int:pk>/", views.interest_detail, name="interest_detail"),
    path("interests/<int:pk>/accept/", views.interest_accept, name="interest_accept"),
    path("interests/<int:pk>/decline/", views.interest_decline, name="interest_decline"),
    path("interests/<int:pk>/withdraw/", views.interest_withdraw, name="interest_withdraw"),
    path("interests/<int:pk>/matching/", views.matching, name="matching"),
    path(
        "interests/<int:pk>/matching/propose/<int:org_pk>/",
        views.match_propose,
        name="match_propose",
    ),
    path("inbox/", views.staff_inbox, name="staff_inbox"),
    path("matches/", views.match_list, name="match_list"),
    path("matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("matches/<int:pk>/accept/", views.match_accept, name="match_accept"),
    path("matches/<int:pk>/decline/", views.match_decline, name="match_decline"),
    path("matches/<int:pk>/withdraw/", views.match_withdraw, name="match_withdraw"),
    # Last: a partnership's slug (its lower-case acronym) under the directory.
    path("<slug:slug>/", views.partnership_detail, name="detail"),
    path("<slug:slug>/interest/", views.interest_create, name="interest_create"),
]
