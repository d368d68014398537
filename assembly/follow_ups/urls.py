"""/settings/imports/<batch>/invite/ and …/notice/: what follows an import (namespace
"import-follow-ups"), beside the engine's own pages under the same prefix."""

from django.urls import path

from . import views

app_name = "import-follow-ups"

urlpatterns = [
    path("<int:pk>/invite/", views.invite_people, name="invite"),
    path("<int:pk>/notice/", views.send_notice, name="notice"),
]
