"""Browser journeys of the platform. The Playwright set-up is vigilance/tests/browser_support.py.

Tests select elements by what does not change with the language (field names, ids, URLs)
and check data and the database, so that they pass whether or not the French catalogue
is compiled.
"""
