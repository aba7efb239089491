import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Tests never reach the internet: the company directory points at a closed local port
# unless a test sets its own address.
os.environ.setdefault("COMPANY_DIRECTORY_URL", "http://127.0.0.1:9")

# Tests never send real e-mail: no mail server from the shell, and no background sender in the
# app under test unless a test starts one against its own SMTP server (tests/smtp_server.py).
for _name in ("KIOSK_SMTP_HOST", "KIOSK_SMTP_PORT", "KIOSK_SMTP_USER", "KIOSK_SMTP_PASSWORD", "KIOSK_SMTP_TLS",
              "KIOSK_URL"):
    os.environ.pop(_name, None)
os.environ["KIOSK_BACKGROUND_SENDER"] = "0"

# Tests never touch a real database: pages run without a `db_url` fixture get a throw-away
# SQLite file (the app migrates it at start), whatever DATABASE_URL the shell has.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

_TEST_DB_DIR = tempfile.mkdtemp(prefix="kiosk-tests-")
atexit.register(shutil.rmtree, _TEST_DB_DIR, ignore_errors=True)
os.environ["DATABASE_URL"] = f"sqlite:///{_TEST_DB_DIR}/kiosk.db"

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

# SQLite + PostgreSQL fixtures (db_url, engine, session…): see tests/db_fixtures.py.
pytest_plugins = ["tests.db_fixtures"]
