from django.urls import path

from .views import acting, detail, log

app_name = "decisions"

urlpatterns = [
    path("", log.decision_list, name="list"),
    path("new/", log.decision_new, name="new"),
    path("<int:pk>/", detail.decision_detail, name="detail"),
    path("<int:pk>/minutes/", detail.decision_minutes, name="minutes"),
    path("<int:pk>/proposal/", acting.proposal, name="proposal"),
    path("<int:pk>/vote/", acting.vote, name="vote"),
    path("<int:pk>/comments/", acting.comment, name="comment"),
    path("<int:pk>/withdraw/", acting.withdraw, name="withdraw"),
    path("<int:pk>/statement/", acting.statement, name="statement"),
    path("<int:pk>/new-round/", log.new_round, name="new-round"),
    path("comments/<int:pk>/edit/", acting.comment_edit, name="comment-edit"),
    path("comments/<int:pk>/hide/", acting.comment_hide, name="comment-hide"),
]
