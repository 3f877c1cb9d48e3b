"""The plan's Økonomi tab: the budget in force, who pays what, each afdeling's share and the regnskab on one
page, read from the finansiering app and drawn with its tables; staff reach its editing pages from here."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from config.web.roles import sees_all_afdelinger
from finansiering.economy import indsats_economy
from helhedsplaner.views.common import get_plan_for_user
from screening.models import board_afdeling_ids


@login_required
@require_GET
def plan_economy(request, pk):
    plan = get_plan_for_user(request.user, pk)
    indsats = plan.indsats
    economy = indsats_economy(indsats)
    # A board member reads the whole plan, every afdeling's share included; their own afdelinger come first.
    own_ids = set() if sees_all_afdelinger(request.user) else board_afdeling_ids(request.user)
    shares = economy.finansiering.afdelinger
    shares.sort(key=lambda share: share.afdeling.pk not in own_ids)
    context = {
        "plan": plan,
        "indsats": indsats,
        "economy": economy,
        "fin": economy.finansiering,
        "own_shares": [share for share in shares if share.afdeling.pk in own_ids],
        "own_ids": own_ids,
        "can_change_budget": request.user.has_perm("finansiering.change_budget", indsats),
        "can_change_key": request.user.has_perm("finansiering.change_fordelingsnoegle", indsats),
        "can_change_regnskab": request.user.has_perm("finansiering.change_regnskab", indsats),
    }
    return render(request, "helhedsplaner/economy.html", context)
