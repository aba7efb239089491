"""Keep the README, the Makefile, CI and the app in step."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_setup_commands():
    first_block = re.search(r"```\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.strip()]
    assert commands == ["make run", "make test"]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_makefile_has_both_targets():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)


def test_every_page_address_is_documented():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    for url_path in re.findall(r'url_path="([^"]+)"', app):
        assert f"/{url_path}" in README, f"/{url_path} is not in the README"


def test_every_requirement_is_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert "==" in line, f"{name}: {line} is not pinned"


def test_production_section_matches_the_deploy_files():
    prod = (ROOT / "ui" / "prod.py").read_text(encoding="utf-8")
    assert "python -m ui.prod" in README and "/_kiosk/health" in README and "/_kiosk/health" in prod
    for variable in re.findall(r'os\.environ(?:\.get)?[\[(]"([A-Z_]+)"', prod):
        assert f"`{variable}`" in README, f"{variable} (read by ui/prod.py) is not in the README"
    backup_test = (ROOT / "tests" / "deploy" / "test_database_operations.py").read_text(encoding="utf-8")
    for command in ("pg_dump -Fc --no-owner", "pg_restore --no-owner --exit-on-error"):
        assert command in README
        assert all(f'"{word}"' in backup_test for word in command.split()), f"{command}: not what the test runs"
    servers = (ROOT / "deploy" / "nginx" / "servers.conf").read_text(encoding="utf-8")
    assert "server kiosk3:8501 max_fails=1 fail_timeout=10s;" in README
    assert "server kiosk2:8501 max_fails=1 fail_timeout=10s;" in servers  # the line README says to copy
