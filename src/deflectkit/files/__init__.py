"""The edges that read and write files: YAML with line marks, providers, policies, logs.

Everything under :mod:`deflectkit.core` is pure; everything here touches the file system.
"""
