"""The participant server: HTTP + WebSocket in its own asyncio thread, join codes."""
