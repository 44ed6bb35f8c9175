"""8D exports through the API: see kesu/eightd/export."""

from ninja import Router

router = Router(tags=["8D"])
