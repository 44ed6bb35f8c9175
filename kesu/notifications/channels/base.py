"""What every channel is: a class that sends one rendered notification or says why not."""

from dataclasses import dataclass


class DeliveryFailed(Exception):
    """The channel could not deliver; `detail` is kept on the attempt and the notification.
    `permanent` when trying again cannot help (no address, robot switched off)."""

    def __init__(self, detail: str, *, permanent: bool = False):
        self.detail = detail
        self.permanent = permanent
        super().__init__(detail)


@dataclass(frozen=True)
class Rendered:
    """A notification rendered in its language: an e-mail's subject and body, a short text for
    chat robots and the inbox, and the absolute link to open it in Kesu."""

    subject: str
    body: str
    text: str
    link: str
    link_label: str


class Channel:
    """One way of reaching people. `send` returns a line for the delivery record (such as the
    server's answer) or raises DeliveryFailed."""

    def send(self, notification, rendered: Rendered) -> str:
        raise NotImplementedError
