from django.urls import path

from . import pages, views

app_name = "companies"

urlpatterns = [
    path("companies/", views.company_list, name="companies"),
    path("exhibits/", views.exhibit_list, name="exhibits"),
    path("contracts/", views.contract_list, name="contracts"),
    path("awards/", views.award_list, name="awards"),
    path("participation/", views.participation, name="participation"),
    path("companies/<slug:slug>/", pages.company_detail, name="company"),
]
