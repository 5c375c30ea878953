"""Shared dependencies as typed aliases, so a route's signature says what it needs."""

from typing import Annotated

from fastapi import Depends, Request

from service.scoring import ScoringService
from service.settings import Settings


async def get_service(request: Request) -> ScoringService:
    return request.app.state.service


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


ServiceDep = Annotated[ScoringService, Depends(get_service)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
