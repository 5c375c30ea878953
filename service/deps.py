"""The routes' shared dependencies as typed aliases: a route's signature says what it needs.

The app keeps its service layer and settings in `app.state` (set by `create_app`); a route
asks for them with `service: ServiceDep` or `settings: SettingsDep`. A dependency added to a
route or its router (authentication, rate limits) runs for every request to it.
"""

from typing import Annotated

from fastapi import Depends, Request

from quote_stance.service.scoring import ScoringService
from quote_stance.service.settings import Settings


def get_service(request: Request) -> ScoringService:
    return request.app.state.service


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


ServiceDep = Annotated[ScoringService, Depends(get_service)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
