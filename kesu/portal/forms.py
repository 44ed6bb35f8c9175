"""The portal's forms present inputs in the customer's words; the services validate them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.complaints.inputs import MAX_NOTE


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AcceptForm(forms.Form):
    """Both decision forms are on one page: their ids must differ, their field names not."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="accept_%s", **kwargs)

    note = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="reject_%s", **kwargs)

    note = forms.CharField(
        label=_("Why do you reject the plan?"),
        required=True,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your reason goes to the team, who will revise the plan."),
    )
