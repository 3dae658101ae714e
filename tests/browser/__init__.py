"""Tests for deflectkit."""
