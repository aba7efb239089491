"""nginx from deploy/nginx/ in front of kiosk servers on loopback ports, as plain processes.

The wrapper written here differs from deploy/nginx/nginx.conf only where a test must:
a temp prefix (pid, logs, temp files), a loopback port without TLS, and the server list
(deploy/nginx/servers.conf with each `host:port` replaced by a loopback port, options kept).
Everything else (stickiness, headers, WebSocket, timeouts, gzip) is deploy/'s own files.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.conftest import free_port, wait_until_ready

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_NGINX = ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")


def loopback_servers_conf(ports: list[int]) -> str:
    """deploy/nginx/servers.conf with its servers moved to `ports` (one line per port)."""
    lines = [line for line in (DEPLOY_NGINX / "servers.conf").read_text().splitlines()
             if line.strip().startswith("server ")]
    out = []
    for index, port in enumerate(ports):
        template = lines[min(index, len(lines) - 1)]
        out.append(re.sub(r"server\s+\S+", f"server 127.0.0.1:{port}", template, count=1))
    return "\n".join(out) + "\n"


def wrapper_conf(prefix: Path, port: int) -> str:
    mime = f"include {MIME_TYPES};" if MIME_TYPES.exists() else "types { text/html html; application/javascript js; text/css css; }"
    return f"""
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 512; }}
http {{
    {mime}
    default_type application/octet-stream;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include {DEPLOY_NGINX}/kiosk.conf;
    access_log {prefix}/access.log kiosk_json;
    server {{
        listen 127.0.0.1:{port};
        include {DEPLOY_NGINX}/kiosk-site.conf;
    }}
}}
"""


@dataclass
class Proxy:
    url: str
    prefix: Path
    process: subprocess.Popen

    def access_log(self) -> list[dict]:
        path = self.prefix / "access.log"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def error_log(self) -> str:
        path = self.prefix / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_proxy(tmp_dir: Path, upstream_ports: list[int], port: int | None = None) -> Proxy:
    port = port or free_port()
    prefix = tmp_dir / "nginx"
    (prefix / "tmp").mkdir(parents=True, exist_ok=True)
    (prefix / "kiosk").mkdir(exist_ok=True)
    (prefix / "kiosk" / "servers.conf").write_text(loopback_servers_conf(upstream_ports))
    conf = prefix / "nginx.conf"
    conf.write_text(wrapper_conf(prefix, port))
    check = subprocess.run([NGINX, "-t", "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")],
                           capture_output=True, text=True)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log"),
                                "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    proxy = Proxy(url, prefix, process)
    # Any answer will do: nginx is up (its servers may still be starting).
    wait_until_ready(process, url + "/_kiosk/health", what="nginx", log=proxy.error_log, timeout=15,
                     ready=lambda answer: True)
    return proxy
