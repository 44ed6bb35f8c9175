"""The 8D as PDF and workbook, made in the worker, and sent to the customer (SPEC §7)."""
