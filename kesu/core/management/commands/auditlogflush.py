from kesu.core.management.append_only import RefusedCommand


class Command(RefusedCommand):
    command_name = "auditlogflush"
