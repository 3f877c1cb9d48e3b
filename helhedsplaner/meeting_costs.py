"""What a plan costs each afdeling, as its afdelingsmøde voted on it and as it stands now.

An afdeling that votes no leaves the plan when it goes to the funders, and the local share is then split
between fewer afdelinger: the others pay more than what their meetings voted on. The meeting stores the
cost it voted on when its result is recorded (record_voted_cost); changes() sets each afdeling that voted
yes against its cost with the afdelinger that voted no left out, on the latest budget, and the lifecycle
refuses to send the plan on while a rise is above settings.HELHEDSPLAN_MAX_UDGIFTSSTIGNING_PCT.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from config.web.formatting import kroner, percent
from finansiering.financing import finansiering_without_uses
from finansiering.queries import latest_version

HUNDRED = Decimal(100)


def limit_pct() -> Decimal:
    return settings.HELHEDSPLAN_MAX_UDGIFTSSTIGNING_PCT


def _financing_order(indsats) -> list:
    """The indsats's afdelinger in the order the financing splits the local share between them."""
    return list(indsats.afdelinger.select_related("organisation").order_by("organisation__navn", "nummer"))


def _costs(indsats, version, afdelinger) -> dict:
    """Each afdeling's share (financing.AfdelingAndel) of `version` by afdeling id, the local share split
    between `afdelinger`; empty while there is no budget."""
    financing = finansiering_without_uses(indsats, version, afdelinger)
    if financing.version is None or not financing.budget.total:
        return {}
    return {share.afdeling.pk: share for share in financing.afdelinger}


def record_voted_cost(meeting) -> None:
    """Store on the meeting what the plan costs its afdeling now, as the result is recorded."""
    indsats = meeting.plan.indsats
    share = _costs(indsats, latest_version(indsats), _financing_order(indsats)).get(meeting.afdeling_id)
    meeting.udgift_pr_aar = share.pr_aar if share else None
    meeting.udgift_pr_lejemaal_pr_aar = share.pr_lejemaal_pr_aar if share else None


@dataclass(frozen=True)
class CostChange:
    afdeling: object
    voted: Decimal  # kr. per lejemål per year when the meeting voted
    now: Decimal | None  # kr. per lejemål per year without the afdelinger that voted no, latest budget

    @property
    def rise_pct(self) -> Decimal | None:
        """The rise in percent of what was voted on (None when it was nothing and still is)."""
        if self.now is None:
            return None
        if not self.voted:
            return None if not self.now else Decimal("Infinity")
        return ((self.now - self.voted) / self.voted * HUNDRED).quantize(Decimal("0.1"))

    @property
    def over_limit(self) -> bool:
        rise = self.rise_pct
        return rise is not None and rise > limit_pct()

    @property
    def rise_text(self) -> str:
        rise = self.rise_pct
        if rise is None:
            return "–"
        if rise == Decimal("Infinity"):
            return "ny udgift"
        return f"{'+' if rise > 0 else ''}{percent(rise)} %"

    def __str__(self):
        voted = kroner(self.voted)
        now = kroner(self.now) if self.now is not None else "–"
        return f"{self.afdeling} ({voted} → {now} kr. pr. lejemål pr. år, {self.rise_text})"


def changes(plan, meetings, version) -> list[CostChange]:
    """For each afdeling whose meeting in `meetings` (this round's) adopted the plan and stored the cost it
    voted on: that cost beside its cost when the afdelinger that voted no have left, on `version` (the latest
    budget)."""
    adopted = [
        m for m in meetings if m.har_resultat and m.vedtaget and m.udgift_pr_lejemaal_pr_aar is not None
    ]
    if not adopted:
        return []
    rejected = {m.afdeling_id for m in meetings if m.har_resultat and not m.vedtaget}
    staying = [afdeling for afdeling in _financing_order(plan.indsats) if afdeling.pk not in rejected]
    now = _costs(plan.indsats, version, staying)
    result = []
    for meeting in sorted(adopted, key=lambda m: m.afdeling.nummer):
        share = now.get(meeting.afdeling_id)
        cost = share.pr_lejemaal_pr_aar if share else None
        result.append(CostChange(meeting.afdeling, meeting.udgift_pr_lejemaal_pr_aar, cost))
    return result
