import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Tests never reach the internet: the company directory points at a closed local port
# unless a test sets its own address.
os.environ.setdefault("COMPANY_DIRECTORY_URL", "http://127.0.0.1:9")

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

# SQLite + PostgreSQL fixtures (db_url, engine, session…): see tests/db_fixtures.py.
pytest_plugins = ["tests.db_fixtures"]
