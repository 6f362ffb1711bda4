"""The "Import an extract" form. Error messages follow the GOV.UK patterns (file upload,
select): they say what to do, not what went wrong inside."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat

from joinedup.ingest.adapters import ADAPTERS


def format_choices() -> list[tuple[str, str]]:
    """Every format an adapter reads, read from the adapters each time (formats are added)."""
    return [(name, name) for name in ADAPTERS]


class ImportUploadForm(forms.Form):
    agency = forms.ChoiceField(
        label="Agency that sent the file",
        error_messages={
            "required": "Select the agency that sent the file",
            "invalid_choice": "Select an agency from the list",
        },
    )
    source_format = forms.ChoiceField(
        label="Format of the file",
        help_text="What each format holds is described below the form.",
        error_messages={
            "required": "Select the format of the file",
            "invalid_choice": "Select a format from the list",
        },
    )
    full_list = forms.BooleanField(
        label="This case list is the agency's full list of open cases",
        required=False,
        help_text="Open cases from earlier lists that are missing from this one are ended. A "
        "list that would end more than a fifth of them is refused. A school roll is always "
        "a full list.",
    )
    file = forms.FileField(
        label="Extract file",
        error_messages={
            "required": "Select the extract file to import",
            "empty": "The selected file is empty",
        },
    )

    def __init__(
        self,
        *args: Any,
        agencies: list[tuple[str, str]],
        max_bytes: int,
        too_large: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        blank = [("", "Choose an agency")]
        self.fields["agency"].choices = blank + agencies  # type: ignore[attr-defined]
        self.fields["source_format"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a format"),
            *format_choices(),
        ]
        limit = filesizeformat(max_bytes)
        upload = self.fields["file"]
        upload.help_text = f"The file exactly as the agency's system wrote it, up to {limit}."
        if too_large:
            # The upload handler dropped the file as it arrived, so the field is empty: say why.
            upload.error_messages = {
                **upload.error_messages,
                "required": f"The selected file must be smaller than {limit}",
            }
