from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="list"),
    path("new/", views.decision_new, name="new"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/minutes/", views.decision_minutes, name="minutes"),
    path("<int:pk>/proposal/", views.proposal, name="proposal"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/comments/", views.comment, name="comment"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/statement/", views.statement, name="statement"),
    path("<int:pk>/new-round/", views.new_round, name="new-round"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/hide/", views.comment_hide, name="comment-hide"),
]
