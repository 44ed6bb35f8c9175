"""Which 8D a complaint needs and when each discipline is due (a customer's 8D profile)."""

from kesu.complaints.choices import Severity
from kesu.eightd.content import CODES
from kesu.eightd.models import EightDProfile

FULL = "full"
SHORT = "short"
# The short form (SPEC §5 rules): problem, causes, actions.
SHORT_FORM = ("d2", "d4", "d5")
PLAN = ("d1", "d2", "d3", "d4", "d5")


def profile_for(customer) -> EightDProfile:
    """The customer's own profile, else the default one (created by the migrations)."""
    profiles = EightDProfile.objects.select_related("calendar")
    own = profiles.filter(customer=customer).first() if customer is not None else None
    return own or profiles.get(customer__isnull=True)


def form_of(complaint, profile: EightDProfile | None = None) -> str:
    """Serious, major and repeat complaints need the full 8D; general ones may use the short
    form if the customer's profile allows it."""
    if complaint.severity != Severity.GENERAL or complaint.is_repeat:
        return FULL
    profile = profile or profile_for(complaint.customer)
    return SHORT if profile.general_short_form else FULL


def required_codes(complaint, profile: EightDProfile | None = None) -> tuple[str, ...]:
    return SHORT_FORM if form_of(complaint, profile) == SHORT else CODES
