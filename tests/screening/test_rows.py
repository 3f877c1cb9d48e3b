"""The screening overview's rows written with format_html (screening.rows) are their template twin's HTML.
(The afdeling list's rows are held to theirs in test_afdeling_views.py.)"""

from django.template import Context, Template

from screening.rows import overview_rows

HOSTILE = "<script>x</script> & \"'=HYPERLINK()"

# The rows as the overview's template wrote them before screening.rows, from the same plain values.
TEMPLATE_ROWS = """{% load l10n screening_tags %}{% localize off %}{% for row in rows %}
      <tr>
        <td class="app-nowrap">{{ row.nummer }}</td>
        <td><a href="{% url 'screening_afdeling' row.afdeling_id %}?aar={{ aar }}">{{ row.navn }}</a><br><span class="screening-muted">{{ row.organisation }}</span></td>
        <td>{% if row.boligomraade_id %}<a href="{% url 'screening_omraade' row.boligomraade_id %}?aar={{ aar }}">{{ row.boligomraade }}</a>{% else %}–{% endif %}</td>
        <td>{% if row.signal %}{% light row.signal %} <span class="screening-counts">{{ row.roede }} rød{{ row.roede|pluralize:"e" }}, {{ row.gule }} gul{{ row.gule|pluralize:"e" }}</span>{% else %}<span class="screening-muted">Ingen tal</span>{% endif %}</td>
        <td class="app-num">{{ row.risikoscore|default_if_none:"–" }}</td>
        <td class="app-num">{% if row.risiko_aendring is not None %}{% if row.risiko_aendring > 0 %}+{% endif %}{{ row.risiko_aendring }}{% else %}–{% endif %}</td>
        <td>{% klasse row.klassifikation row.klasse %}{% if row.aendring == 'skaerpet' %} <span class="screening-change">↑ skærpet</span>{% elif row.aendring == 'lempet' %} <span class="screening-change">↓ lempet</span>{% endif %}{% if row.metode == 'eksakt' %}<br><span class="screening-muted">eksakt</span>{% elif row.metode == 'tilnaermet' %}<br><span class="screening-muted">tilnærmet</span>{% elif row.metode %}<br><span class="screening-muted">områdets tal</span>{% endif %}</td>
{% if scenario %}        <td>{% if row.scenario_klassifikation is None %}<span class="screening-muted">–</span>{% elif row.scenario_aendret %}{% klasse row.scenario_klassifikation row.scenario_label %}<br><span class="screening-change">ændres i scenariet</span>{% else %}<span class="screening-muted">uændret</span>{% endif %}</td>
{% endif %}        <td>{% if row.forslag %}{{ row.forslag_label }}{% if row.beslutning %}<br><span class="screening-muted">{% if row.beslutning == 'bekraeftet' %}Bekræftet{% else %}Tilsidesat: {{ row.valgt_label }}{% endif %}</span>{% endif %}{% else %}–{% endif %}</td>
      </tr>
      {% endfor %}{% endlocalize %}"""  # noqa: E501


def row(index: int, **values) -> dict:
    return {
        "nummer": f"0{index}{HOSTILE}",
        "afdeling_id": 100 + index,
        "navn": f"Blok {HOSTILE}",
        "organisation": f"Bo {HOSTILE}",
        "boligomraade_id": 7,
        "boligomraade": f"Parken {HOSTILE}",
        "signal": "roed",
        "roede": 1,
        "gule": 2,
        "risikoscore": 55,
        "risiko_aendring": 3,
        "klassifikation": "udsat",
        "klasse": f"Udsat {HOSTILE}",
        "aendring": "skaerpet",
        "metode": "eksakt",
        "scenario_klassifikation": "forebyggelsesomraade",
        "scenario_label": f"Forebyggelse {HOSTILE}",
        "scenario_aendret": True,
        "forslag": "udsat",
        "forslag_label": f"Udsat {HOSTILE}",
        "beslutning": "tilsidesat",
        "valgt_label": f"Forebyggelse {HOSTILE}",
        **values,
    }


def test_the_overview_rows_are_the_template_rows():
    rows = [
        row(1),
        row(
            2, boligomraade_id=None, signal="gul", roede=0, gule=1, aendring="lempet", beslutning="bekraeftet"
        ),
        row(
            3,
            signal=None,
            risikoscore=None,
            risiko_aendring=None,
            klassifikation="",
            aendring="",
            metode=None,
        ),
        row(4, risiko_aendring=-4, forslag="", beslutning="", metode="tilnaermet"),
        row(5, risiko_aendring=0, signal="groen", roede=None, gule=None, beslutning="", metode="omraade"),
    ]
    expected = Template(TEMPLATE_ROWS).render(Context({"rows": rows, "aar": 2024}))
    assert overview_rows(rows, 2024) == expected
    assert "<script>" not in expected
    rows[1] |= {"scenario_aendret": False}
    rows[2] |= {"scenario_klassifikation": None, "scenario_label": None, "scenario_aendret": None}
    with_scenario = Template(TEMPLATE_ROWS).render(Context({"rows": rows, "aar": 2024, "scenario": True}))
    assert overview_rows(rows, 2024, scenario=True) == with_scenario
    assert with_scenario.count("ændres i scenariet") == 3 and "uændret" in with_scenario
