from config.web import roles


def roles_context(request):
    """The user's role, for the menu and for hiding buttons the user may not use anyway."""
    user = request.user
    return {
        "is_medarbejder": roles.is_medarbejder(user),
        "is_sekretariat": roles.is_sekretariat(user),
        "is_administrator": roles.is_administrator(user),
        "sees_all_afdelinger": roles.sees_all_afdelinger(user),
        "role_label": roles.role_label(user) if user.is_authenticated else "",
    }
