from __future__ import annotations

from django.urls import path

from sapling.groups import views

app_name = "groups"
urlpatterns = [
    path("", views.public_resources, name="public_resources"),
    path("manage/", views.list_resources, name="list_resources"),
    path("manage/add/", views.add_resource, name="add_resource"),
    path("manage/<int:pk>/update/", views.update_resource, name="update_resource"),
]
