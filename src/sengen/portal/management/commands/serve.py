"""sengen serve [--host H] [--port P]: the web application on a production-grade WSGI server."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Web アプリケーションを起動します / Serve the web application."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="待ち受けるアドレス / address to listen on")
        parser.add_argument("--port", type=int, default=8000, help="ポート番号 / port")

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        from django.core.management import call_command
        from waitress import serve

        from sengen.wsgi import application

        # WhiteNoise serves from STATIC_ROOT; collecting first means a fresh deployment just works.
        call_command("collectstatic", interactive=False, verbosity=0)

        self.stdout.write(f"Sengen: http://{host}:{port}/  （Ctrl+C で終了 / Ctrl+C to stop）")
        serve(application, host=host, port=port, threads=8, ident="sengen")
