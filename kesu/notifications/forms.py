from django import forms
from django.utils.translation import gettext_lazy as _

from kesu.notifications.choices import ChannelKind
from kesu.notifications.selectors import channels_for


class ChannelPreferencesForm(forms.Form):
    """One check box per channel the user may choose."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for channel in channels_for(user):
            field = forms.BooleanField(label=ChannelKind(channel).label, required=False)
            if channel == ChannelKind.EMAIL and not user.email:
                field.disabled = True
                field.help_text = _(
                    "Your account has no e-mail address; an administrator can add one."
                )
            self.fields[channel] = field

    def choices(self) -> dict[str, bool]:
        # A disabled box was not the user's choice: saving it would outlive its reason.
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if not self.fields[name].disabled
        }
