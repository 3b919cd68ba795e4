"""A scripted participant for server tests: joins over HTTP, talks JSON over the WebSocket."""

from __future__ import annotations

import json
from typing import Any

import aiohttp


class Participant:
    """One simulated phone."""

    def __init__(self, http: aiohttp.ClientSession, base_url: str) -> None:
        self.http = http
        self.base_url = base_url
        self.token = ""
        self.participant_id = ""
        self.socket: aiohttp.ClientWebSocketResponse | None = None
        self.welcome: dict[str, Any] = {}
        self.pending = ""
        """The rejoin request waiting for the facilitator, after a join answered 202."""

    async def join(
        self, code: str, name: str, organization_id: str, device: str = "", token: str = ""
    ) -> aiohttp.ClientResponse:
        response = await self.http.post(
            self.base_url + "api/join",
            json={"code": code, "name": name, "organization_id": organization_id, "device": device, "token": token},
        )
        if response.status == 200:
            body = await response.json()
            self.token, self.participant_id = body["token"], body["participant_id"]
        elif response.status == 202:
            self.pending = (await response.json())["pending"]
        return response

    async def rejoin_status(self, code: str) -> aiohttp.ClientResponse:
        """Ask whether the facilitator has answered the pending rejoin request."""
        response = await self.http.post(self.base_url + "api/join/status", json={"code": code, "request": self.pending})
        if response.status == 200:
            body = await response.json()
            self.token, self.participant_id = body["token"], body["participant_id"]
        return response

    async def connect(self, token: str | None = None) -> dict[str, Any]:
        """Open the WebSocket and say hello; returns the first reply (welcome or error)."""
        self.socket = await self.http.ws_connect(self.base_url + "ws", max_msg_size=0)
        await self.send({"type": "hello", "token": self.token if token is None else token})
        first = await self.receive()
        if first.get("type") == "welcome":
            self.welcome = first
        return first

    async def send(self, message: dict[str, Any]) -> None:
        assert self.socket is not None
        await self.socket.send_str(json.dumps(message))

    async def receive(self, timeout: float = 10.0) -> dict[str, Any]:
        assert self.socket is not None
        message = await self.socket.receive(timeout=timeout)
        if message.type != aiohttp.WSMsgType.TEXT:
            return {"type": "closed", "code": self.socket.close_code}
        data: dict[str, Any] = json.loads(message.data)
        return data

    async def receive_type(self, kind: str, timeout: float = 10.0) -> dict[str, Any]:
        """Skip broadcasts until a message of ``kind`` (or the connection closing) arrives."""
        while True:
            message = await self.receive(timeout)
            if message["type"] in (kind, "closed"):
                return message

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()
