from django.urls import path

from . import views

app_name = "chantiers"

urlpatterns = [
    path("", views.chantier_list, name="list"),
    path("new/", views.chantier_new, name="new"),
    path("<int:pk>/", views.chantier_detail, name="detail"),
    path("<int:pk>/edit/", views.chantier_edit, name="edit"),
    path("<int:pk>/join/", views.chantier_join, name="join"),
    path("<int:pk>/leave/", views.chantier_leave, name="leave"),
    path("<int:pk>/workshops/", views.workshop_link, name="link-workshop"),
    path("<int:pk>/cards/new/", views.card_new, name="card-new"),
    path("<int:pk>/cards/<int:card>/", views.card_detail, name="card"),
    path("<int:pk>/cards/<int:card>/move/", views.card_move, name="card-move"),
]
