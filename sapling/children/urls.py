from __future__ import annotations

from django.urls import path

from sapling.children import views, views_safeguarding, views_sharing, views_statutory

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

# Safeguarding concerns (clinical roles; the open list for the safeguarding lead).
urlpatterns += [
    path("safeguarding/", views_safeguarding.list_open_concerns, name="list_open_concerns"),
    path(
        "safeguarding/lead/",
        views_safeguarding.update_safeguarding_lead,
        name="update_safeguarding_lead",
    ),
    path(
        "<int:child_pk>/concerns/",
        views_safeguarding.list_child_concerns,
        name="list_child_concerns",
    ),
    path("<int:child_pk>/concerns/add/", views_safeguarding.add_concern, name="add_concern"),
    path(
        "<int:child_pk>/concerns/<int:pk>/escalate/",
        views_safeguarding.escalate_concern,
        name="escalate_concern",
    ),
    path(
        "<int:child_pk>/concerns/<int:pk>/close/",
        views_safeguarding.close_concern,
        name="close_concern",
    ),
]

# Statutory advice requests (EHC needs assessments, Additional Learning Needs).
urlpatterns += [
    path("statutory-advice/", views_statutory.list_advice_due, name="list_advice_due"),
    path(
        "<int:child_pk>/statutory-advice/",
        views_statutory.list_child_advice,
        name="list_child_advice",
    ),
    path(
        "<int:child_pk>/statutory-advice/add/",
        views_statutory.add_advice_request,
        name="add_advice_request",
    ),
    path(
        "<int:child_pk>/statutory-advice/<int:pk>/writer/",
        views_statutory.assign_advice_writer,
        name="assign_advice_writer",
    ),
    path(
        "<int:child_pk>/statutory-advice/<int:pk>/sent/",
        views_statutory.record_advice_sent,
        name="record_advice_sent",
    ),
    path(
        "<int:child_pk>/statutory-advice/<int:pk>/withdraw/",
        views_statutory.withdraw_advice_request,
        name="withdraw_advice_request",
    ),
]

# Consent to share and school summaries; partners read what was shared with their school.
urlpatterns += [
    path(
        "<int:child_pk>/school-summaries/",
        views_sharing.list_child_sharing,
        name="list_child_sharing",
    ),
    path(
        "<int:child_pk>/school-summaries/add/",
        views_sharing.add_school_summary,
        name="add_school_summary",
    ),
    path(
        "<int:child_pk>/school-summaries/<int:pk>/update/",
        views_sharing.update_school_summary,
        name="update_school_summary",
    ),
    path(
        "<int:child_pk>/school-summaries/<int:pk>/share/",
        views_sharing.release_school_summary,
        name="release_school_summary",
    ),
    path(
        "<int:child_pk>/school-summaries/<int:pk>/withdraw/",
        views_sharing.withdraw_school_summary,
        name="withdraw_school_summary",
    ),
    path(
        "<int:child_pk>/sharing-consents/add/",
        views_sharing.add_sharing_consent,
        name="add_sharing_consent",
    ),
    path(
        "<int:child_pk>/sharing-consents/<int:pk>/withdraw/",
        views_sharing.withdraw_sharing_consent,
        name="withdraw_sharing_consent",
    ),
    path("summaries/", views_sharing.list_released_summaries, name="list_released_summaries"),
    path(
        "summaries/<int:pk>/",
        views_sharing.show_released_summary,
        name="show_released_summary",
    ),
    path("partner-schools/", views_sharing.list_partner_schools, name="list_partner_schools"),
    path("partner-schools/add/", views_sharing.add_partner_school, name="add_partner_school"),
    path(
        "partner-schools/<int:pk>/end/",
        views_sharing.end_partner_school,
        name="end_partner_school",
    ),
]
