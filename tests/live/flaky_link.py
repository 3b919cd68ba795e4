"""A TCP relay between the browser and the server that can lose the Wi-Fi on purpose.

Modes: ``open`` relays both ways; ``swallow`` still delivers what the page
sends but drops what the server answers (the acknowledgement is lost on the
way back); ``silent`` drops everything both ways without closing anything (the
Wi-Fi is gone and nobody says so); :meth:`FlakyLink.cut` drops every
connection and refuses new ones until :meth:`FlakyLink.restore`.
"""

from __future__ import annotations

import asyncio
import threading


class FlakyLink:
    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.mode = "open"
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self.port = 0
        self._thread = threading.Thread(target=self._run, name="flaky-link", daemon=True)
        self._thread.start()
        self._ready.wait(5)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._relay, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.mode == "cut":
            writer.close()
            return
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self._writers |= {writer, up_writer}

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter, downstream: bool) -> None:
            try:
                while data := await source.read(65536):
                    if (downstream and self.mode == "swallow") or self.mode == "silent":
                        continue
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.close()

        await asyncio.gather(pump(reader, up_writer, False), pump(up_reader, writer, True))

    def cut(self) -> None:
        def close_all() -> None:
            self.mode = "cut"
            for writer in self._writers:
                writer.transport.abort()
            self._writers.clear()

        self._loop.call_soon_threadsafe(close_all)

    def restore(self) -> None:
        self.mode = "open"

    def close(self) -> None:
        self.cut()

        async def cancel_relays() -> None:
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(cancel_relays(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
