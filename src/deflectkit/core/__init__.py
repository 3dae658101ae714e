"""The pure core: frozen values in, frozen values out; no I/O, no clock, no global state.

Time is always a parameter. Nothing in this package opens a file or reads ``datetime.now``.
"""
