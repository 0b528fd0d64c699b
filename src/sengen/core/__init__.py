"""Pure rules of the domain: eras and fiscal years, Japanese figures, messages.

Nothing in this package imports Django, so the rules can be read and tested alone.
"""
