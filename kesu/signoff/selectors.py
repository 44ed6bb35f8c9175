from collections import defaultdict

from kesu.signoff.models import Signature
from kesu.signoff.services import ShownSignature


def signatures_by_subject(current: dict[str, str]) -> dict[str, list[ShownSignature]]:
    """Every signature of the given subjects, each marked valid if it signed the content as it
    is now (`current` maps subject to its present hash). One query."""
    shown = defaultdict(list)
    for signature in Signature.objects.filter(subject__in=current).select_related("signer"):
        shown[signature.subject].append(
            ShownSignature(signature, signature.content_hash == current[signature.subject])
        )
    return shown
