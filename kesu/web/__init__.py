"""The UI shell: log in and out, language, and helpers every page's views share."""
