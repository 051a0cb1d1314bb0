"""Publishing a city's CES: its delegation, pavilions, figures and itemised records go public
together, waiting changes included (see `delegations.models.Publishable`).

The unit is what a city reported about one CES: everything of that edition that belongs to the
city, directly (delegation, pavilions, figures, agreements) or through its pavilion or its
company (per-region counts, exhibits, contracts, awards).
"""

from django.db import transaction
from django.db.models import Q

from delegations.models import Delegation, Pavilion, RegionalCompanyCount, ReportedFigure

from .models import Agreement, Contract, Exhibit, InnovationAward

PUBLISHED_REASON = "published"


def unit(edition, region):
    """(model, rows of the city's CES) for every kind of record in it, drafts included."""
    in_city = Q(pavilion__region=region) | Q(pavilion__isnull=True, company__region=region)
    return [
        (Delegation, Delegation.all_objects.filter(edition=edition, region=region)),
        (Pavilion, Pavilion.all_objects.filter(edition=edition, region=region)),
        (ReportedFigure, ReportedFigure.all_objects.filter(edition=edition, region=region)),
        (
            RegionalCompanyCount,
            RegionalCompanyCount.all_objects.filter(
                pavilion__edition=edition, pavilion__region=region
            ),
        ),
        (Exhibit, Exhibit.all_objects.filter(in_city, edition=edition)),
        (Contract, Contract.all_objects.filter(in_city, edition=edition)),
        (Agreement, Agreement.all_objects.filter(edition=edition, region=region)),
        (
            InnovationAward,
            InnovationAward.all_objects.filter(edition=edition, company__region=region),
        ),
    ]


def waiting(edition, region):
    """How many drafts and waiting changes the city's CES has, by kind of record."""
    counts = {}
    for model, rows in unit(edition, region):
        n = rows.filter(Q(published=False) | Q(pending__isnull=False)).count()
        if n:
            counts[model._meta.verbose_name_plural] = n
    return counts


@transaction.atomic
def publish(edition, region, user=None):
    """Publish the city's CES: every draft and waiting change in it, in one transaction, each
    with a history record saying so. Returns how many records changed."""
    changed = 0
    for _model, rows in unit(edition, region):
        for obj in rows.filter(Q(published=False) | Q(pending__isnull=False)):
            obj._history_user = user
            obj._change_reason = PUBLISHED_REASON
            obj.publish()
            changed += 1
    return changed
