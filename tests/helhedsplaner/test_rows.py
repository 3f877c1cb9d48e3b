"""The rows written with format_html (helhedsplaner.rows) are the HTML of their template twins."""

from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.models import User
from django.template import Context, Template
from django.utils import timezone

from helhedsplaner.models import (
    Betingelse,
    Fristpaamindelse,
    Helhedsplan,
    Notifikationsart,
    Rapporteringsforpligtelse,
    Rapporteringstype,
)
from helhedsplaner.reminders import Reminder
from helhedsplaner.rows import (
    deadline_reminder_items,
    export_plan_rows,
    funder_plan_items,
    open_condition_items,
    own_obligation_items,
    plan_rows,
    ready_obligation_items,
    reminder_items,
    waiting_thread_items,
)
from indsatser.models import Indsats

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


# The start page's lists as home.html and _home_deadlines.html wrote them before helhedsplaner.rows.
TEMPLATE_REMINDERS = """{% for reminder in paamindelser %}
    <li class="helhedsplan-reminder helhedsplan-reminder--{{ reminder.kind }}"><a href="{% url 'plan_detail' reminder.plan_id %}">{{ reminder.plan_titel }}</a>: {{ reminder.text }}</li>
    {% endfor %}"""  # noqa: E501
TEMPLATE_THREADS = """{% load helhedsplaner_tags %}{% for thread in venter_paa_fsb %}
    <li><a href="{% url 'plan_detail' thread.plan_id %}#kommentarer-{{ thread.sektion }}">{{ thread.plan_titel }}: «{{ thread.sektion|section_label }}»</a> <span class="app-muted">{{ thread.forfatter_person|person }}{% if thread.bestyrelse_for %} (afdelingsbestyrelsen i {{ thread.bestyrelse_for }}){% endif %}, {{ thread.oprettet_dag|date }}</span></li>
    {% endfor %}"""  # noqa: E501
TEMPLATE_CONDITIONS = """{% load helhedsplaner_tags %}{% for betingelse in aabne_betingelser %}
    <li><a href="{% url 'plan_detail' betingelse.plan_id %}#tilsagn">{{ betingelse.plan.indsats.titel }}</a>: {{ betingelse.tekst|truncatechars:120 }}
      <span class="app-muted">{% if betingelse.frist %}frist {{ betingelse.frist|date:"d.m.Y" }}{% if betingelse.overskredet %} (overskredet){% endif %}{% else %}ingen frist{% endif %}{% if betingelse.ansvarlig %}, følges op af {{ betingelse.ansvarlig|person }}{% if betingelse.ansvarlig_id == user.pk %} (dig){% endif %}{% endif %}</span></li>
    {% endfor %}"""  # noqa: E501
TEMPLATE_FUNDERS = """{% load helhedsplaner_tags %}{% for plan in hos_lbf_og_kommune %}
    <li><a href="{% url 'plan_decisions' plan.pk %}">{{ plan.indsats__titel }}</a> <span class="app-muted">{{ plan.tilstand|state_label }} siden {{ plan.i_fasen_siden|date }}</span></li>
    {% endfor %}"""  # noqa: E501
TEMPLATE_OWN_OBLIGATIONS = """{% for obligation in mine_frister %}
    <li><a href="{% url 'plan_year' obligation.plan_id obligation.aar %}">{{ obligation.plan.indsats.titel }}</a>: {{ obligation.type.navn }} {{ obligation.aar }}
      <span class="app-muted">frist {{ obligation.frist|date:"d.m.Y" }}{% if obligation.overskredet %} (overskredet){% endif %}, {{ obligation.get_status_display|lower }}</span></li>
    {% endfor %}"""  # noqa: E501
TEMPLATE_READY_OBLIGATIONS = """{% load helhedsplaner_tags %}{% for obligation in klar_til_afsendelse %}
    <li><a href="{% url 'plan_year' obligation.plan_id obligation.aar %}">{{ obligation.plan.indsats.titel }}</a>: {{ obligation.type.navn }} {{ obligation.aar }}
      <span class="app-muted">frist {{ obligation.frist|date:"d.m.Y" }}{% if obligation.overskredet %} (overskredet){% endif %}{% if obligation.ansvarlig %}, {{ obligation.ansvarlig|person }}{% endif %}</span></li>
    {% endfor %}"""  # noqa: E501
TEMPLATE_DEADLINE_REMINDERS = """{% for reminder in fristpaamindelser %}
    <li><a href="{% url 'plan_year' reminder.forpligtelse.plan_id reminder.forpligtelse.aar %}">{{ reminder.forpligtelse.plan.indsats.titel }}</a>: {{ reminder.forpligtelse.type.navn }} {{ reminder.forpligtelse.aar }}
      <span class="app-muted">{% if reminder.art == "frist_overskredet" %}fristen {{ reminder.forpligtelse.frist|date:"d.m.Y" }} er overskredet{% else %}frist {{ reminder.forpligtelse.frist|date:"d.m.Y" }}{% endif %}{% if reminder.forpligtelse.sendt %} (nu sendt){% endif %}, påmindet {{ reminder.dato|date:"d.m.Y" }}</span></li>
    {% endfor %}"""  # noqa: E501

TODAY = timezone.localdate()


def _plan(pk: int, titel: str) -> Helhedsplan:
    return Helhedsplan(pk=pk, indsats=Indsats(titel=titel))


def _user(pk: int, **names) -> User:
    return User(pk=pk, username=names.get("username", f"bruger{pk}"), **names)


def test_the_start_page_reminders_and_threads_are_the_template_items():
    reminders = [
        Reminder("beslutning", 3, f"Plan {HOSTILE}", f"Har ventet {HOSTILE}", 7),
        Reminder("maaltal", 4, "Anden plan", "Ingen målte værdier.", None),
    ]
    expected = Template(TEMPLATE_REMINDERS).render(Context({"paamindelser": reminders}))
    assert reminder_items(reminders) == expected
    threads = [
        {
            "plan_id": 3,
            "sektion": "analyse",
            "plan_titel": f"Plan {HOSTILE}",
            "forfatter_person": PERSON,
            "bestyrelse_for": f"01 Blok {HOSTILE}",
            "oprettet_dag": date(2026, 3, 5),
        },
        {
            "plan_id": 4,
            "sektion": "en sektion der ikke findes",
            "plan_titel": "Anden plan",
            "forfatter_person": None,
            "bestyrelse_for": "",
            "oprettet_dag": date(2025, 12, 31),
        },
    ]
    expected = Template(TEMPLATE_THREADS).render(Context({"venter_paa_fsb": threads}))
    assert waiting_thread_items(threads) == expected
    assert "<script>" not in expected and "Slettet bruger" in expected and "31. december 2025" in expected


def test_the_start_page_conditions_and_funder_plans_are_the_template_items():
    me = _user(7, first_name=f"Åse {HOSTILE}", last_name="O'Brien")
    colleague = _user(8)
    conditions = [
        Betingelse(
            plan=_plan(3, f"Plan {HOSTILE}"),
            tekst=f"Betingelse {HOSTILE} " * 20,
            frist=TODAY - timedelta(days=1),
            status=Betingelse.Status.AABEN,
            ansvarlig=me,
        ),
        Betingelse(
            plan=_plan(4, "Anden"),
            tekst="Kort",
            frist=TODAY,
            status=Betingelse.Status.AABEN,
            ansvarlig=colleague,
        ),
        Betingelse(plan=_plan(5, "Tredje"), tekst="Uden frist", frist=None, status=Betingelse.Status.AABEN),
    ]
    for user in (me, colleague):
        expected = Template(TEMPLATE_CONDITIONS).render(
            Context({"aabne_betingelser": conditions, "user": user})
        )
        assert open_condition_items(conditions, user) == expected
    assert "(dig)" in expected and "(overskredet)" in expected and "ingen frist" in expected
    plans = [
        {
            "pk": 3,
            "tilstand": "godkendelse",
            "indsats__titel": f"Plan {HOSTILE}",
            "i_fasen_siden": date(2026, 3, 5),
        },
        {"pk": 4, "tilstand": "en fase der ikke findes", "indsats__titel": "Anden", "i_fasen_siden": TODAY},
    ]
    expected = Template(TEMPLATE_FUNDERS).render(Context({"hos_lbf_og_kommune": plans}))
    assert funder_plan_items(plans) == expected
    assert "<script>" not in expected


def test_the_start_page_deadline_lists_are_the_template_items():
    kind = Rapporteringstype(navn=f"Årsrapport {HOSTILE}")
    Status = Rapporteringsforpligtelse.Status
    obligations = [
        Rapporteringsforpligtelse(
            plan=_plan(3, f"Plan {HOSTILE}"),
            type=kind,
            aar=2026,
            frist=TODAY - timedelta(days=3),
            status=Status.KLAR,
            ansvarlig=_user(7, first_name="Åse", last_name=HOSTILE),
        ),
        Rapporteringsforpligtelse(
            plan=_plan(4, "Anden"), type=kind, aar=2025, frist=TODAY, status=Status.AABEN
        ),
        Rapporteringsforpligtelse(
            plan=_plan(5, "Tredje"), type=kind, aar=2024, frist=TODAY - timedelta(days=9), status=Status.SENDT
        ),
    ]
    expected = Template(TEMPLATE_OWN_OBLIGATIONS).render(Context({"mine_frister": obligations}))
    assert own_obligation_items(obligations) == expected
    expected = Template(TEMPLATE_READY_OBLIGATIONS).render(Context({"klar_til_afsendelse": obligations}))
    assert ready_obligation_items(obligations) == expected
    reminders = [
        Fristpaamindelse(forpligtelse=obligation, art=art, dato=TODAY - timedelta(days=2))
        for obligation in obligations
        for art in Notifikationsart.values
    ]
    expected = Template(TEMPLATE_DEADLINE_REMINDERS).render(Context({"fristpaamindelser": reminders}))
    assert deadline_reminder_items(reminders) == expected
    assert "<script>" not in expected and "(nu sendt)" in expected and "er overskredet" in expected
