from django.urls import path

from . import views

app_name = "delegations"

urlpatterns = [
    path("", views.home, name="home"),
    path("pavilions/", views.pavilion_list, name="pavilions"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("cities/<slug:slug>/", views.city_detail, name="city"),
    path("editions/<int:year>/", views.edition_detail, name="edition"),
    path("editions/<int:year>/<slug:slug>/", views.pavilion_detail, name="pavilion"),
    path("sources/", views.source_list, name="sources"),
    path("sources/<slug:key>/", views.source_detail, name="source"),
]
