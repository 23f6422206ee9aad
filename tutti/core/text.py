"""The one rule for text people type: no control characters, checked where text comes in.

Control characters are invisible, come only from copying and pasting or from a script, and break
the files Tutti writes (an XLSX cannot hold most of them; PostgreSQL cannot store NUL). So every
form field and every string in an API request is checked on the way in, and refused with a
message naming the field, rather than cleaned quietly:

- multi-line text (a ``Textarea`` on a page; in the API, a field named as one of those or as a
  model's ``TextField``) may hold tab, line feed and carriage return, and nothing else below
  U+0020 or in U+007F to U+009F;
- single-line text may hold none of them.

The writers (``tutti.core.spreadsheets``, the calendar and JSON-LD writers) stay safe for any
text that still reaches them, e.g. from the school register or from before this rule.
"""

import re
from functools import cache

from django import forms
from django.core.exceptions import ValidationError

# C0 controls, DEL and C1 controls; the multi-line rule leaves out tab, LF and CR. Lone
# surrogates (which JSON can spell) and U+FFFE/U+FFFF are not text at all: no file can hold them.
NOT_TEXT = "\ud800-\udfff\ufffe\uffff"
SINGLE_LINE_FORBIDDEN = re.compile(f"[\x00-\x1f\x7f-\x9f{NOT_TEXT}]")
MULTI_LINE_FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{NOT_TEXT}]")
# The same rules as JSON Schema patterns, so the API's schema states what the server refuses.
SINGLE_LINE_PATTERN = r"^[^\u0000-\u001f\u007f-\u009f\ud800-\udfff\ufffe\uffff]*$"
MULTI_LINE_PATTERN = (
    r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ud800-\udfff\ufffe\uffff]*$"
)


def forbidden_character(value: str, *, multiline: bool) -> str | None:
    """The first character ``value`` may not hold, or None."""
    pattern = MULTI_LINE_FORBIDDEN if multiline else SINGLE_LINE_FORBIDDEN
    match = pattern.search(value)
    return match.group() if match else None


def strip_controls(value: str) -> str:
    """``value`` without what multi-line text may not hold: for writers, whatever reaches them."""
    return MULTI_LINE_FORBIDDEN.sub("", value)


def describe(char: str) -> str:
    """A control character in words a person can act on."""
    if char in "\n\r":
        return "a line break, which this field cannot hold: keep it on one line"
    if char == "\t":
        return "a tab character, which this field cannot hold"
    if 0xD800 <= ord(char) <= 0xDFFF or ord(char) > 0xFFFD:
        return f"U+{ord(char):04X}, which is not a character: retype the text"
    return (
        f"an invisible control character (U+{ord(char):04X}), usually from copying and "
        "pasting: retype the text"
    )


def check_text(value: str, *, multiline: bool) -> None:
    """Raise ValidationError if ``value`` holds a character the rule refuses."""
    char = forbidden_character(value, multiline=multiline)
    if char is not None:
        raise ValidationError(
            "This contains %(what)s.", code="control_character", params={"what": describe(char)}
        )


@cache
def multiline_names() -> frozenset[str]:
    """API field names that may hold line breaks: those of our models' TextFields, and of
    fields our forms show as a Textarea, so that the API takes what the pages take.

    Worked out at the first API request, when the URLconf has imported every form.
    """
    from django.apps import apps
    from django.db import models

    names = {
        f.name
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("tutti.")
        for f in model._meta.get_fields()
        if isinstance(f, models.TextField)
    }
    todo: list[type] = [forms.BaseForm]
    while todo:
        form = todo.pop()
        todo.extend(form.__subclasses__())
        if form.__module__.startswith("tutti."):
            fields = getattr(form, "base_fields", {})
            names |= {n for n, f in fields.items() if is_multiline_widget(f.widget)}
    return frozenset(names)


def is_multiline_widget(widget: forms.Widget) -> bool:
    return isinstance(widget, forms.Textarea)


_original_to_python = forms.CharField.to_python


def _to_python(self: forms.CharField, value: object) -> str | None:
    text = _original_to_python(self, value)
    if isinstance(text, str) and text:
        # NUL is left to Django's own validator on every CharField, and its message.
        check_text(text.replace("\x00", ""), multiline=is_multiline_widget(self.widget))
    return text


def install() -> None:
    """Make every form's CharField (and EmailField, URLField, SlugField...) keep the rule.

    Done once on the class rather than field by field, so that no form, ours or a library's,
    can leave it out.
    """
    forms.CharField.to_python = _to_python  # type: ignore[method-assign]
