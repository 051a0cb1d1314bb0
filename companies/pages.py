"""A company's own page on the dashboard."""

from django.shortcuts import get_object_or_404, render

from .models import Company


def award_streaks(awards):
    """For awards ordered by year, the run of consecutive years each one ends ('5 in a row')."""
    streaks = []
    run, last = 0, None
    for award in awards:
        year = award.edition.year
        run = run + 1 if last is not None and year == last + 1 else 1
        last = year
        streaks.append((award, run))
    return streaks


def company_detail(request, slug):
    """Every CES the company exhibited at, its awards with streaks, contracts and MOUs."""
    company = get_object_or_404(Company.objects.select_related("region", "source"), slug=slug)
    awards = company.awards.select_related("edition", "source").order_by("edition__year")
    context = {
        "company": company,
        "exhibits": company.exhibits.select_related("edition", "pavilion__edition", "source"),
        "awards": award_streaks(awards),
        "contracts": company.contracts.select_related("edition", "pavilion", "source"),
        "agreements": company.agreements.select_related("edition", "region", "source"),
    }
    return render(request, "companies/company_detail.html", context)
