"""Pages of delegations, editions and pavilions."""

from django.http import HttpResponse
from django.shortcuts import render
from django_tables2 import RequestConfig

from cesdash.exports import export_response

from .models import Pavilion
from .tables import PavilionTable

PER_PAGE = 50


def home(request):
    return render(request, "delegations/home.html")


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def pavilion_list(request):
    """The pavilion results table; `?_export=csv` downloads exactly the rows shown."""
    table = PavilionTable(Pavilion.objects.for_results_table(), request=request)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    if "_export" in request.GET:
        return export_response(request, table, "pavilions")
    return render(request, "delegations/pavilion_list.html", {"table": table})
