from django.urls import path

from .views import amending, conflicts, reading

app_name = "charter"

# The default charter lives at /charter/; any other document of the assembly under
# /charter/documents/<slug>/, with the same pages.
per_document = [
    ("", reading.current, "current"),
    ("versions/", reading.versions, "versions"),
    ("versions/<int:number>/", reading.version, "version"),
    ("diff/", reading.pick_diff, "pick-diff"),
    ("diff/<int:a>/<int:b>/", reading.diff, "diff"),
    ("amend/", amending.amend, "amend"),
]

urlpatterns = [
    *(path(route, view, name=name) for route, view, name in per_document),
    path("conflicts/", conflicts.conflicts, name="conflicts"),
    path("conflicts/<int:pk>/", conflicts.conflict, name="conflict"),
    *(
        path(f"documents/<slug:slug>/{route}", view, name=name)
        for route, view, name in per_document
    ),
]
