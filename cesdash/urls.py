from django.contrib import admin
from django.urls import include, path

from delegations.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("companies.urls")),
    path("", include("delegations.urls")),
]
