"""deploy/ stays in step with the code: the Dockerfile and compose run the command the
production test runs, nginx's files are the ones the test loads, the CSP allows exactly the
kiosk's inline scripts, and the proxy lets the upload limit through."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
import streamlit
import yaml

from tests.e2e import proxy
from tests.e2e.conftest import free_port
from tests.e2e.test_production_browser import PRODUCTION_COMMAND
from ui import copy, french_index, presentation, prod

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SITE = (DEPLOY / "nginx" / "kiosk-site.conf").read_text()


def dockerfile_cmd() -> list[str]:
    line = next(line for line in (DEPLOY / "Dockerfile").read_text().splitlines() if line.startswith("CMD "))
    return json.loads(line[4:])


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def test_the_image_runs_the_production_command_of_the_test():
    cmd = dockerfile_cmd()
    assert cmd[0] == "python" and cmd[1:3] == PRODUCTION_COMMAND[1:] == ["-m", "ui.prod"]
    assert cmd[3:] == ["--server.address", "0.0.0.0", "--server.port", "8501"]


def services_network(spec) -> str:
    """The compose network's subnet (nginx's address is in it)."""
    return spec["networks"]["default"]["ipam"]["config"][0]["subnet"]


def test_compose_servers_use_the_image_command_and_are_all_behind_nginx():
    services = compose()["services"]
    kiosks = {name: svc for name, svc in services.items() if svc.get("image") == "chorus-kiosk"}
    assert len(kiosks) >= 2
    for svc in kiosks.values():
        assert "command" not in svc and "entrypoint" not in svc  # the Dockerfile's CMD, nothing else
        assert svc["build"]["dockerfile"] == "deploy/Dockerfile"
        assert "DATABASE_URL" in svc["environment"] and "STREAMLIT_SERVER_COOKIE_SECRET" in svc["environment"]
        # Each server takes its share of the public services' limits: the share must know how many.
        assert int(svc["environment"]["KIOSK_SERVERS"]) == len(kiosks)
        subnet = services_network(compose())
        assert svc["environment"]["KIOSK_TRUSTED_PROXIES"] == subnet
    upstream = re.findall(r"^server (\S+):8501", (DEPLOY / "nginx" / "servers.conf").read_text(), re.M)
    assert sorted(upstream) == sorted(kiosks)
    mounts = services["nginx"]["volumes"]
    assert "./nginx/nginx.conf:/etc/nginx/nginx.conf:ro" in mounts
    assert "./nginx:/etc/nginx/kiosk:ro" in mounts


def test_production_and_test_nginx_load_the_same_kiosk_files(tmp_path):
    production = (DEPLOY / "nginx" / "nginx.conf").read_text()
    assert "include /etc/nginx/kiosk/kiosk.conf;" in production
    assert "include /etc/nginx/kiosk/kiosk-site.conf;" in production
    wrapper = proxy.wrapper_conf(tmp_path, 8080)
    assert f"include {proxy.DEPLOY_NGINX}/kiosk.conf;" in wrapper
    assert f"include {proxy.DEPLOY_NGINX}/kiosk-site.conf;" in wrapper
    assert "include kiosk/servers.conf;" in (DEPLOY / "nginx" / "kiosk.conf").read_text()
    assert proxy.loopback_servers_conf([1, 2, 3]).splitlines() == [
        f"server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in (1, 2, 3)]


@pytest.mark.skipif(not Path(proxy.NGINX).exists(), reason="nginx not installed (.ci/run installs it)")
def test_nginx_accepts_the_configuration(tmp_path):
    (tmp_path / "tmp").mkdir()
    (tmp_path / "kiosk").mkdir()
    (tmp_path / "kiosk" / "servers.conf").write_text(proxy.loopback_servers_conf([8501, 8502]))
    conf = tmp_path / "nginx.conf"
    conf.write_text(proxy.wrapper_conf(tmp_path, free_port()))
    result = subprocess.run([proxy.NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "e.log")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _sha256(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def inline_scripts() -> dict[str, str]:
    # The page as ui/french_index.py serves it (lang="fr", kiosk_fr.js inline).
    raw = (Path(streamlit.__file__).parent / "static" / "index.html").read_bytes()
    index = french_index.frenchify_index(raw).decode()
    keys = presentation._KEYS_SCRIPT % {"next": presentation.NEXT_KEY, "prev": presentation.PREV_KEY}
    sources = {"streamlit index.html": index, "ui/copy.py": copy._SCRIPT, "ui/presentation.py": keys}
    return {f"{name} #{number}": body for name, source in sources.items()
            for number, body in enumerate(re.findall(r"<script>(.*?)</script>", source, re.S), start=1)}


def test_csp_allows_exactly_the_kiosks_inline_scripts():
    csp = re.search(r'add_header Content-Security-Policy "([^"]+)"', SITE).group(1)
    script_src = re.search(r"script-src ([^;]+)", csp).group(1).split()
    allowed = {token for token in script_src if token.startswith("'sha256-")}
    expected = {name: _sha256(body) for name, body in inline_scripts().items()}
    missing = {name: digest for name, digest in expected.items() if digest not in allowed}
    assert not missing, f"paste these hashes into deploy/nginx/kiosk-site.conf's script-src: {missing}"
    assert allowed == set(expected.values()), "a hash in script-src matches no script any more: remove it"
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


def test_nginx_lets_the_upload_limit_through():
    nginx_mb = int(re.search(r"client_max_body_size (\d+)m;", SITE).group(1))
    assert nginx_mb > prod.upload_limit_mb()


def test_production_settings():
    args = prod.streamlit_args(["--server.port", "9"])
    options = dict(zip(args[::2], args[1::2]))
    assert options["--client.toolbarMode"] == "viewer"
    assert options["--server.enableXsrfProtection"] == "true"
    assert options["--server.headless"] == "true"
    assert options["--server.maxUploadSize"] == str(prod.upload_limit_mb())
    assert args[-2:] == ["--server.port", "9"]  # the caller's options come last and win
