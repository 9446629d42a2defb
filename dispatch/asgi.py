"""The ASGI entry point for uvicorn: `uvicorn dispatch.asgi:app`."""

from dispatch.main import create_app

app = create_app()
