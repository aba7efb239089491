"""Held-out invoice generator: measures the PDF checker, never tunes it."""
