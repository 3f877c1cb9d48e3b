"""The rows written with format_html (helhedsplaner.rows) are the HTML of their template twins."""

from datetime import UTC, date, datetime

from django.template import Context, Template

from helhedsplaner.rows import export_plan_rows, plan_rows

HOSTILE = "<script>x</script> & \"'=HYPERLINK()"

# The plan list's rows as the template wrote them before helhedsplaner.rows, from the same plain values.
TEMPLATE_PLAN_ROWS = """{% load helhedsplaner_tags formatting %}{% for plan in rows %}
    <tr>
      <td><a href="{% url 'plan_detail' plan.pk %}">{{ plan.titel }}</a></td>
      <td><span class="helhedsplan-state helhedsplan-state--{{ plan.tilstand }}">{{ plan.tilstand|state_label }}</span><br><span class="app-muted">siden {{ plan.tilstand_siden|date:"d.m.Y" }}</span></td>
      <td>{{ plan.afdeling_labels|afdeling_labels }}</td>
      <td>{% if plan.startdato %}{{ plan.startdato.year }}–{{ plan.slutdato.year }}{% else %}–{% endif %}</td>
      <td>{% if plan.ansvarlig_person %}{{ plan.ansvarlig_person|person }}{% else %}–{% endif %}</td>
    </tr>
    {% endfor %}"""  # noqa: E501

# The pack export's rows as the template wrote them before helhedsplaner.rows.
TEMPLATE_EXPORT_ROWS = """{% load helhedsplaner_tags %}{% for plan in plans %}
      {% with pk=plan.pk|stringformat:"s" %}
      <tr{% if pk in chosen %} class="table-row-selected"{% endif %}>
        <td>
          <div class="form-group-checkbox">
            <input class="form-checkbox" type="checkbox" name="planer" value="{{ plan.pk }}" id="plan-{{ plan.pk }}"{% if pk in chosen %} checked{% endif %}>
            <label for="plan-{{ plan.pk }}"><span class="sr-only">Vælg {{ plan.titel }}</span></label>
          </div>
        </td>
        <td><a href="{% url 'plan_detail' plan.pk %}">{{ plan.titel }}</a></td>
        <td class="pakkeeksport-afdelinger">{% for afdeling in plan.afdelinger %}<abbr class="app-nowrap" title="{{ afdeling.navn }}">{{ afdeling.nummer }}</abbr>{% if not forloop.last %}, {% endif %}{% empty %}–{% endfor %}</td>
        <td><span class="helhedsplan-state helhedsplan-state--{{ plan.tilstand }}">{{ plan.tilstand|state_label }}</span></td>
        <td class="app-nowrap">{{ plan.planlagt_start|date:"F Y"|default:"–" }}</td>
        <td>{% if plan.seneste_pakke %}{{ plan.seneste_pakke|date:"j. F Y" }}{% else %}<span class="app-muted">Ingen: laves ved eksporten</span>{% endif %}</td>
      </tr>
      {% endwith %}
      {% endfor %}"""  # noqa: E501

# Late in the evening in UTC: the next day in Copenhagen, so a date shown in UTC would differ.
LATE = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)
PERSON = {"username": f"bruger{HOSTILE}", "first_name": f"Åse {HOSTILE}", "last_name": "O'Brien"}


def test_the_plan_rows_are_the_template_rows():
    rows = [
        {
            "pk": 1,
            "titel": f"Plan {HOSTILE}",
            "tilstand": "aktiv",
            "tilstand_siden": LATE,
            "afdeling_labels": [f"01 {HOSTILE}", "02 Blok"],
            "startdato": date(2025, 1, 1),
            "slutdato": date(2028, 12, 31),
            "ansvarlig_person": PERSON,
        },
        {
            "pk": 2,
            "titel": "Uden noget",
            "tilstand": "ide",
            "tilstand_siden": datetime(2024, 3, 5, 8, tzinfo=UTC),
            "afdeling_labels": None,
            "startdato": None,
            "slutdato": None,
            "ansvarlig_person": None,
        },
        {
            "pk": 3,
            "titel": "Kun brugernavn",
            "tilstand": "afsluttet",
            "tilstand_siden": LATE,
            "afdeling_labels": [],
            "startdato": date(2019, 5, 1),
            "slutdato": None,
            "ansvarlig_person": {**PERSON, "first_name": "", "last_name": ""},
        },
    ]
    expected = Template(TEMPLATE_PLAN_ROWS).render(Context({"rows": rows}))
    assert plan_rows(rows) == expected
    assert "<script>" not in expected and "01.01.2026" in expected


def test_the_export_rows_are_the_template_rows():
    plans = [
        {
            "pk": 11,
            "titel": f"Plan {HOSTILE}",
            "tilstand": "aktiv",
            "planlagt_start": date(2026, 3, 1),
            "seneste_pakke": LATE,
            "afdelinger": [
                {"nummer": f"01{HOSTILE}", "navn": f"Blok {HOSTILE}"},
                {"nummer": "2", "navn": "B"},
            ],
        },
        {
            "pk": 12,
            "titel": "Uden noget",
            "tilstand": "ide",
            "planlagt_start": None,
            "seneste_pakke": None,
            "afdelinger": [],
        },
    ]
    for chosen in (set(), {"11"}, {"11", "12"}):
        expected = Template(TEMPLATE_EXPORT_ROWS).render(Context({"plans": plans, "chosen": chosen}))
        assert export_plan_rows(plans, chosen) == expected
        assert "<script>" not in expected
