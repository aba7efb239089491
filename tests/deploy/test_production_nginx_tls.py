"""deploy/nginx/nginx.conf itself, TLS block included, run by nginx on loopback ports with a
self-signed certificate: only its host paths and ports are moved (the certificate's place,
the pid, /etc/nginx/kiosk/), every directive is the production file's."""

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.e2e import proxy
from tests.e2e.conftest import free_port, wait_until_ready

pytestmark = pytest.mark.skipif(not Path(proxy.NGINX).exists() or not shutil.which("openssl"),
                                reason="nginx or openssl not installed (.ci/run installs nginx)")

PRODUCTION = proxy.DEPLOY_NGINX / "nginx.conf"


def production_conf_on_loopback(prefix: Path, http_port: int, https_port: int) -> str:
    text = PRODUCTION.read_text()
    moves = {
        "pid /run/nginx.pid;": f"pid {prefix}/nginx.pid;",
        "/etc/nginx/kiosk/": f"{prefix}/kiosk/",
        "/etc/nginx/tls/": f"{prefix}/tls/",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
    }
    for old, new in moves.items():
        assert old in text, f"deploy/nginx/nginx.conf no longer has {old!r}: update this test"
        text = text.replace(old, new)
    return text


@pytest.fixture
def production_nginx(tmp_path):
    (tmp_path / "kiosk").mkdir()
    (tmp_path / "tls").mkdir()
    for name in ("kiosk.conf", "kiosk-site.conf"):
        shutil.copy(proxy.DEPLOY_NGINX / name, tmp_path / "kiosk" / name)
    # One server that does not answer: nginx's own answers (redirect, 502) carry the headers.
    (tmp_path / "kiosk" / "servers.conf").write_text(proxy.loopback_servers_conf([free_port()]))
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=kiosque.example.fr", "-keyout", str(tmp_path / "tls" / "privkey.pem"),
                    "-out", str(tmp_path / "tls" / "fullchain.pem")], check=True, capture_output=True)
    http_port, https_port = free_port(), free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(production_conf_on_loopback(tmp_path, http_port, https_port))
    args = [proxy.NGINX, "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")]
    check = subprocess.run([*args, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen([*args, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_ready(process, f"http://127.0.0.1:{http_port}/", what="nginx", timeout=15,
                         log=lambda: (tmp_path / "error.log").read_text(errors="replace"), ready=lambda answer: True)
        yield http_port, https_port
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_http_redirects_to_https(production_nginx):
    http_port, _ = production_nginx
    answer = httpx.get(f"http://127.0.0.1:{http_port}/aide?sujet=paiement", follow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["location"] == "https://127.0.0.1/aide?sujet=paiement"


def test_tls_block_serves_with_the_security_headers(production_nginx):
    _, https_port = production_nginx
    answer = httpx.get(f"https://127.0.0.1:{https_port}/", verify=False, timeout=10)
    assert answer.http_version in ("HTTP/1.1", "HTTP/2")
    assert answer.status_code == 502  # no kiosk server behind it in this test
    assert answer.headers["strict-transport-security"] == "max-age=31536000"
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "nginx/" not in answer.headers.get("server", "")  # server_tokens off
