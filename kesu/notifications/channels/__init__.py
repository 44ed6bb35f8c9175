"""The channel registry: one sub-package per way of reaching people, each one Channel class.

Delivery looks a notification's channel up here; adding a channel is a sub-package, an entry
below and a choice in `ChannelKind`.
"""

from kesu.notifications.channels.base import Channel, DeliveryFailed, Rendered
from kesu.notifications.channels.dingtalk import DingTalk
from kesu.notifications.channels.email import Email
from kesu.notifications.channels.feishu import Feishu
from kesu.notifications.channels.inapp import InApp
from kesu.notifications.channels.wecom import WeCom
from kesu.notifications.choices import ChannelKind

REGISTRY: dict[str, type[Channel]] = {
    ChannelKind.INAPP: InApp,
    ChannelKind.EMAIL: Email,
    ChannelKind.WECOM: WeCom,
    ChannelKind.DINGTALK: DingTalk,
    ChannelKind.FEISHU: Feishu,
}

__all__ = ["REGISTRY", "Channel", "DeliveryFailed", "Rendered"]
