from django.urls import path

from . import views

app_name = "charter"

# The default charter lives at /charter/; any other document of the assembly under
# /charter/documents/<slug>/, with the same pages.
per_document = [
    ("", views.current, "current"),
    ("versions/", views.versions, "versions"),
    ("versions/<int:number>/", views.version, "version"),
    ("diff/", views.pick_diff, "pick-diff"),
    ("diff/<int:a>/<int:b>/", views.diff, "diff"),
    ("amend/", views.amend, "amend"),
]

urlpatterns = [
    *(path(route, view, name=name) for route, view, name in per_document),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/", views.conflict, name="conflict"),
    *(
        path(f"documents/<slug:slug>/{route}", view, name=name)
        for route, view, name in per_document
    ),
]
