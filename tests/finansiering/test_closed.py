"""Nothing of a closed indsats's money changes: the budget, the regnskab and its import refuse, over HTTP and
at service level (indsatser/ramme.py)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finansiering import actions as budget_actions
from finansiering import actuals_import
from finansiering.models import Budgetlinje, Regnskabslinje
from indsatser.models import Indsats, Maalsaetning
from indsatser.ramme import CLOSED_MESSAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(version):
    Indsats.objects.filter(pk=version.indsats_id).update(status=Indsats.Status.AFSLUTTET)
    version.indsats.refresh_from_db()
    return version


def test_actions_refuse_a_closed_indsats(closed, medarbejder, omraader, typer):
    indsats = closed.indsats
    with pytest.raises(budget_actions.BudgetError, match="afsluttet"):
        budget_actions.save_budget_line(
            closed, 2025, omraader[0], typer["loen"], Decimal(1), acting_user=medarbejder
        )
    with pytest.raises(budget_actions.BudgetError, match="afsluttet"):
        budget_actions.save_regnskab_line(
            indsats, 2025, omraader[0], typer["loen"], Decimal(1), acting_user=medarbejder
        )
    with pytest.raises(budget_actions.BudgetError, match="afsluttet"):
        budget_actions.create_version(indsats, "ansoegning", "Ny", kilde=closed, acting_user=medarbejder)
    content = f"aar;indsatsomraade;omkostningstype;beloeb\n2025;{omraader[0].navn};Løn;100\n".encode()
    report = actuals_import.import_file(content, "regnskab.csv", indsats, acting_user=medarbejder)
    assert [e.message for e in report.errors] == [CLOSED_MESSAGE]
    assert not Regnskabslinje.objects.exists()


def test_pages_refuse_a_closed_indsats(client_as, medarbejder, closed, omraader, typer):
    indsats = closed.indsats
    client = client_as(medarbejder)
    before = list(Budgetlinje.objects.filter(version=closed).values_list("beloeb", flat=True))
    name = f"c-2025-{omraader[0].pk}-{typer['loen'].pk}"
    response = client.post(reverse("budget_save", args=[indsats.pk, closed.nummer]), {name: "5"})
    assert response.status_code == 400 and CLOSED_MESSAGE in response.text
    response = client.post(reverse("regnskab_save", args=[indsats.pk]), {"aar": "2025", name: "5"})
    assert response.status_code == 400 and CLOSED_MESSAGE in response.text
    upload = SimpleUploadedFile(
        "r.csv", f"aar;indsatsomraade;omkostningstype;beloeb\n2025;{omraader[0].navn};Løn;5\n".encode()
    )
    response = client.post(reverse("regnskab_import", args=[indsats.pk]), {"fil": upload})
    assert response.status_code == 400 and CLOSED_MESSAGE in response.text
    assert list(Budgetlinje.objects.filter(version=closed).values_list("beloeb", flat=True)) == before
    assert not Regnskabslinje.objects.exists()
    # The register's forms too: the indsats itself and its goals.
    response = client.get(reverse("indsats_edit", args=[indsats.pk]), follow=True)
    assert (
        CLOSED_MESSAGE in response.text
        and '<form method="post" novalidate class="indsatser-form">' not in response.text
    )
    response = client.post(
        reverse("maalsaetning_create", args=[indsats.pk]), {"nytmaal-ny_indikator": "X"}, follow=True
    )
    assert CLOSED_MESSAGE in response.text and not Maalsaetning.objects.exists()
