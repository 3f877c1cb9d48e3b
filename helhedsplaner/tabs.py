"""The tabs of a plan's pages: the URL name of each tab's page and its label, in the order they show.
Kept apart from the views, so the template tag that draws them imports no view module."""

TABS = [
    ("plan_detail", "Oversigt"),
    ("plan_economy", "Økonomi"),
    ("plan_years", "Årene"),
    ("plan_payments", "Udbetalinger"),
    ("plan_decisions", "Beslutninger"),
    ("plan_meetings", "Afdelingsmøder"),
    ("plan_timeline", "Tidslinje"),
    ("plan_changes", "Ændringer i teksten"),
    ("plan_aendringer", "Ændring af godkendt plan"),
]
