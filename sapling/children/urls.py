from __future__ import annotations

from django.urls import path

from sapling.children import views

app_name = "children"
urlpatterns = [
    path("", views.find_children, name="find_children"),
    path("add/", views.add_child, name="add_child"),
    path("<int:pk>/", views.show_child, name="show_child"),
    path("<int:pk>/update/", views.update_child, name="update_child"),
    path("<int:pk>/history/", views.child_history, name="child_history"),
    path("<int:child_pk>/carers/add/", views.add_carer, name="add_carer"),
    path("<int:child_pk>/carers/<int:pk>/update/", views.update_carer, name="update_carer"),
    path("gp-practices/", views.list_gp_practices, name="list_gp_practices"),
    path("gp-practices/add/", views.add_gp_practice, name="add_gp_practice"),
    path("gp-practices/<int:pk>/update/", views.update_gp_practice, name="update_gp_practice"),
    path("gp-clusters/add/", views.add_gp_cluster, name="add_gp_cluster"),
]
