"""Stand-in analysis targets for the worker-pool tests (imported by the worker processes)."""

import os
import time

from services.pdf_check.analyse import analyse_bytes


def misbehave(data: bytes, *, filename: str, office):
    if data.startswith(b"%PDF-sleep"):
        time.sleep(3600)
    if data.startswith(b"%PDF-alloc"):
        blocks = []
        while True:  # grows until the memory cap stops it
            blocks.append(bytearray(64 * 1024 * 1024))
    if data.startswith(b"%PDF-crash"):
        os._exit(3)
    if data.startswith(b"%PDF-raise"):
        raise RuntimeError("boom")
    return analyse_bytes(data, filename=filename, office=office)
