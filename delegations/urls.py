from django.urls import path

from . import views

app_name = "delegations"

urlpatterns = [
    path("", views.home, name="home"),
    path("pavilions/", views.pavilion_list, name="pavilions"),
]
