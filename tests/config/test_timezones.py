"""The zone select: made in Python, it must say what Django's own Select says."""

import re

from django import forms

from config.timezones import ZoneSelect, timezone_choices

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


class Form(forms.Form):
    fast = forms.ChoiceField(choices=timezone_choices, widget=ZoneSelect, help_text="Yours.")
    plain = forms.ChoiceField(choices=timezone_choices, help_text="Yours.")


def test_the_zone_select_renders_what_djangos_select_renders():
    for data in ({"fast": "Europe/Zurich", "plain": "Europe/Zurich"},
                 {"fast": "Not/AZone", "plain": "Not/AZone"}, None):  # fmt: skip
        form = Form(data=data) if data else Form(initial={"fast": "UTC", "plain": "UTC"})
        fast, plain = str(form["fast"]), str(form["plain"])
        assert OPTION.findall(fast) == OPTION.findall(plain)
        assert len(OPTION.findall(fast)) > 300
        tag = re.compile(r"<select([^>]*)>")
        attrs = sorted(tag.search(fast).group(1).replace("fast", "X").split())
        assert attrs == sorted(tag.search(plain).group(1).replace("plain", "X").split())
    selected = OPTION.findall(str(Form(data={"fast": "Asia/Tokyo"})["fast"]))
    assert [v for v, sel, _ in selected if sel] == ["Asia/Tokyo"]


def test_a_label_with_markup_is_escaped():
    widget = ZoneSelect(choices=[("<b>", "<i>x</i>"), ("a&b", "a&b")])
    html = widget.render("tz", "a&b")
    assert '<option value="&lt;b&gt;">&lt;i&gt;x&lt;/i&gt;</option>' in html
    assert '<option value="a&amp;b" selected>a&amp;b</option>' in html
