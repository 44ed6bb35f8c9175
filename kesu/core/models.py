"""What the core keeps in the database: the heartbeats that tell an operator the background work
is alive (SPEC §14: runs on one machine, grows to several worker processes)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time a piece of background work showed it was alive: a worker process
    ("worker:<host>:<pid>") or a periodic job ("sweep"). Rows are upserted, never piled up."""

    name = models.CharField(_("name"), max_length=100, primary_key=True)
    beat_at = models.DateTimeField(_("last beat"))
    pid = models.PositiveIntegerField(null=True, blank=True)
    host = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"
