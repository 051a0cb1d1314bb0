"""Every page has a JSON twin at the same address ending in `.json` (`/` has `/index.json`)."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from . import views

JSON = {"as_json": True}

# Error pages in the reader's language (templates/400.html …); none shows a traceback.
handler400 = views.bad_request
handler500 = views.server_error


def page(route, view, name):
    """The page at `route/` and its JSON twin at `route.json`."""
    return [
        path(f"{route}/" if route else "", view, name=name),
        path(f"{route}.json" if route else "index.json", view, JSON, name=f"{name}-json"),
    ]


urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/<str:code>/", views.switch_language, name="switch_language"),
    path("admin/", admin.site.urls),
    *page("", views.home, "home"),
    *page("cities/<slug:slug>", views.city, "city"),
    *page("editions/<int:year>", views.edition, "edition"),
    *page("editions/<int:year>/<slug:slug>", views.pavilion, "pavilion"),
    *page("companies/<slug:slug>", views.company, "company"),
    *page("sources", views.source_list, "sources"),
    *page("sources/<slug:key>", views.source, "source"),
    path("results/", views.results_list, name="results"),
    path("pavilions/", views.pavilion_list, name="pavilions"),
    path("companies/", views.company_list, name="companies"),
    path("exhibits/", views.exhibit_list, name="exhibits"),
    path("contracts/", views.contract_list, name="contracts"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("awards/", views.award_list, name="awards"),
    path("participation/", views.participation, name="participation"),
]
