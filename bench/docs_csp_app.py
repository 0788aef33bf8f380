"""The API's docs pages served from local assets (as the dx branch will), under the CSP."""

from fastapi_offline import FastAPIOffline

from app.api.security_headers import SecurityHeaders
from app.main import create_app
from app.settings import Settings

_api = create_app(Settings(database_url="sqlite://"))
app = FastAPIOffline(title=_api.title)
app.openapi = _api.openapi  # type: ignore[method-assign]
app.add_middleware(SecurityHeaders)
