"""The 8D through the API: see kesu/eightd."""

from ninja import Router

router = Router(tags=["8D"])
