from __future__ import annotations

from django.urls import path

from sapling.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.list_referrals, name="list_referrals"),
    path("add/", views.add_referral, name="add_referral"),
    path("<int:pk>/", views.show_referral, name="show_referral"),
    path("<int:pk>/child-views/", views.record_child_views, name="record_child_views"),
    path("<int:pk>/duplicates/", views.show_duplicates, name="show_duplicates"),
    path("refer/", views.refer_child, name="refer_child"),
    path("mine/", views.list_my_referrals, name="list_my_referrals"),
    path("mine/<int:pk>/", views.show_my_referral, name="show_my_referral"),
]
