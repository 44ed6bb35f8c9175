"""What master data tells the apps built on it, without importing them (STYLE habit 13)."""

from django.dispatch import Signal

# Sent after the commit of inspection results that came in as NG (by import, the API or a
# form), with `lot_ids`: effect verification looks at once for a recurrence on those lots
# instead of waiting for its hourly sweep.
ng_results_recorded = Signal()
