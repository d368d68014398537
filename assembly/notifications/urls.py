"""/deliveries/: the e-mails that need a facilitator's attention (namespace "deliveries")."""

from django.urls import path

from . import views

app_name = "deliveries"

urlpatterns = [
    path("", views.delivery_list, name="index"),
    path("<int:pk>/retry/", views.retry_delivery, name="retry"),
]
