from django.urls import path

from . import views

app_name = "exchanges"

urlpatterns = [
    path("", views.exchange_list, name="list"),
    path("new/", views.exchange_create, name="create"),
    path(
        "new/from-match/<int:match_id>/", views.exchange_create_from_match, name="create_from_match"
    ),
    path("<int:pk>/", views.exchange_detail, name="detail"),
    path("<int:pk>/edit/", views.exchange_edit, name="edit"),
    path("<int:pk>/contract/", views.exchange_contract, name="contract"),
    path("<int:pk>/execute/", views.exchange_execute, name="execute"),
    path("<int:pk>/close/", views.exchange_close, name="close"),
    path("<int:pk>/cancel/", views.exchange_cancel, name="cancel"),
    path("<int:pk>/amend/", views.exchange_amend, name="amend"),
    path("<int:pk>/amend/withdraw/", views.exchange_amend_withdraw, name="amend_withdraw"),
    path("<int:pk>/plan/", views.plan_fragment, name="plan"),
    path("<int:pk>/plan/add/", views.activity_add, name="activity_add"),
    path("<int:pk>/plan/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/plan/<int:activity_id>/delete/", views.activity_delete, name="activity_delete"),
    path(
        "<int:pk>/plan/<int:activity_id>/approve/", views.activity_approve, name="activity_approve"
    ),
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/add/", views.group_add, name="group_add"),
    path("groups/<int:pk>/remove/<int:exchange_id>/", views.group_remove, name="group_remove"),
    path("groups/<int:pk>/bulk/", views.group_bulk, name="group_bulk"),
]
