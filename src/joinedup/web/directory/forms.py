"""The directory's search and upload forms. Messages say what to do (GOV.UK patterns)."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat

from joinedup.directory.selectors import AGE_MAX, TEXT_MAX
from joinedup.directory.services import MAX_FILE_BYTES

AGE_ERROR = f"Age must be a whole number from 0 to {AGE_MAX}"


class ServiceSearchForm(forms.Form):
    text = forms.CharField(
        label="Search for a service",
        required=False,
        max_length=TEXT_MAX,
        help_text="Words from the service's name, description, organisation or category, "
        "for example 'parenting' or 'mental health'.",
        error_messages={"max_length": f"Search text must be {TEXT_MAX} characters or fewer"},
    )
    age = forms.IntegerField(
        label="Age of the child or young person",
        required=False,
        min_value=0,
        max_value=AGE_MAX,
        help_text="In whole years. Only services open to this age are shown.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "invalid": AGE_ERROR,
            "min_value": AGE_ERROR,
            "max_value": AGE_ERROR,
        },
    )
    include_inactive = forms.BooleanField(
        label="Include services that are inactive, closed or defunct", required=False
    )


class DirectoryUploadForm(forms.Form):
    file = forms.FileField(
        label="Open Referral UK file",
        help_text="JSON: a list of services, or a page saved from an Open Referral UK API, "
        f"up to {filesizeformat(MAX_FILE_BYTES)}.",
        error_messages={
            "required": "Select the Open Referral UK file to import",
            "empty": "The selected file is empty",
        },
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {filesizeformat(MAX_FILE_BYTES)}"
            )
        return upload
