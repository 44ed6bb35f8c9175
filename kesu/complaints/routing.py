"""Routing rules (SPEC §4): category, product line, customer and severity decide the owner."""

from dataclasses import dataclass

from kesu.complaints.models import Complaint, RoutingRule


@dataclass(frozen=True)
class RoutingDecision:
    rule_name: str
    department: object
    handler: object
    tracker: object


def route(complaint: Complaint, products) -> RoutingDecision | None:
    """The first active rule, by priority, whose every set condition matches."""
    product_lines = {product.product_line_id for product in products}
    rules = RoutingRule.objects.filter(active=True).select_related(
        "department", "handler", "tracker"
    )
    for rule in rules:
        if rule.kind and rule.kind != complaint.kind:
            continue
        if rule.category and rule.category != complaint.category:
            continue
        if rule.severity and rule.severity != complaint.severity:
            continue
        if rule.customer_id and rule.customer_id != complaint.customer_id:
            continue
        if rule.product_line_id and rule.product_line_id not in product_lines:
            continue
        return RoutingDecision(rule.name, rule.department, rule.handler, rule.tracker)
    return None
