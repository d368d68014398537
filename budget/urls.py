from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("", views.index, name="index"),
    path("bilan/<int:year>/", views.bilan, name="bilan"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("income/new/", views.income_new, name="income-new"),
    path("expenses/new/", views.expense_new, name="expense-new"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="entry-reverse"),
    path("entries/<int:pk>/receipt/", views.receipt, name="receipt"),
    path("propose/", views.propose, name="propose"),
]
