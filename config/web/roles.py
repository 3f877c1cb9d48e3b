"""The four roles, as Django groups, and the one question every queryset asks: may this user see all?"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Q

MEDARBEJDER = "medarbejder"
SEKRETARIAT = "sekretariat"
AFDELINGSBESTYRELSE = "afdelingsbestyrelse"
ADMINISTRATOR = "administrator"

ALL_ROLES = (MEDARBEJDER, SEKRETARIAT, AFDELINGSBESTYRELSE, ADMINISTRATOR)

ROLE_LABELS = {
    MEDARBEJDER: "Medarbejder i fsb",
    SEKRETARIAT: "Boligsocialt Sekretariat",
    AFDELINGSBESTYRELSE: "Afdelingsbestyrelse",
    ADMINISTRATOR: "Administrator",
}


def group_names(user) -> frozenset[str]:
    """The user's group names, fetched once per request-bound user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = _read_group_names(user.pk)
        user._role_names = cached
    return cached


def _read_group_names(user_id) -> frozenset[str]:
    # Every page asks, so the query is written out: the ORM's related manager spends far longer building the
    # query than the database spends running it.
    User = get_user_model()
    groups, memberships = Group._meta.db_table, User.groups.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT g.name FROM {groups} g JOIN {memberships} m ON m.group_id = g.id WHERE m.user_id = %s",  # noqa: S608 - table names from the models
            [user_id],
        )
        return frozenset(name for (name,) in cursor.fetchall())


def is_administrator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or ADMINISTRATOR in group_names(user))


def is_medarbejder(user) -> bool:
    """fsb staff: edits everything. Administrators can do what staff can."""
    return is_administrator(user) or MEDARBEJDER in group_names(user)


def is_sekretariat(user) -> bool:
    return SEKRETARIAT in group_names(user)


def sees_all_afdelinger(user) -> bool:
    """Staff and the secretariat read everything; board members only their own afdelinger."""
    return is_medarbejder(user) or is_sekretariat(user)


def staff_users():
    """The users with staff's role, as is_medarbejder() has it, by name: those an indsats or a plan can be
    given to as ansvarlig. Deactivated users stay in the list, so that the work still theirs can be found
    and handed over (and editing it does not drop them)."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name__in=[MEDARBEJDER, ADMINISTRATOR]) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name")
    )


def role_label(user) -> str:
    if is_administrator(user):
        return ROLE_LABELS[ADMINISTRATOR]
    for role in (MEDARBEJDER, SEKRETARIAT, AFDELINGSBESTYRELSE):
        if role in group_names(user):
            return ROLE_LABELS[role]
    return "Ingen rolle"
