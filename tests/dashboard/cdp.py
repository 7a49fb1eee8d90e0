"""A minimal Chrome DevTools Protocol driver for Debian's `chromium`.

Chromium runs headless with --remote-debugging-pipe: the protocol's JSON
messages travel over two pipes (fd 3 into the browser, fd 4 out of it), each
ended by a NUL byte. No port, no WebSocket, no third-party Python module:
the standard library is enough, which keeps the test's dependencies to the
`chromium` and `python3` packages. Playwright talks to Chromium the same way.

One Browser drives one page (tab) through a flattened target session. Not
thread-safe.
"""

import base64
import fcntl
import json
import os
import select
import subprocess
import time


class CdpError(Exception):
    pass


class Browser:
    def __init__(self, binary, profile_dir, log_path, width=1366, height=768):
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        # The child must see the pipe ends as fds 3 and 4: keep our copies
        # above them so that dup2 in the child cannot clobber one.
        fds = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
               for fd in (to_browser_r, to_browser_w, from_browser_r, from_browser_w)]
        for fd in (to_browser_r, to_browser_w, from_browser_r, from_browser_w):
            os.close(fd)
        child_in, self._out, self._in, child_out = fds

        def wire_fds():
            os.dup2(child_in, 3)   # dup2'd descriptors are inherited across exec
            os.dup2(child_out, 4)

        args = [binary, "--headless", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-extensions", "--disable-quic", "--hide-scrollbars", "--mute-audio",
                f"--user-data-dir={profile_dir}", f"--window-size={width},{height}", "about:blank"]
        self._log = open(log_path, "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
                                     preexec_fn=wire_fds, close_fds=False)
        os.close(child_in)
        os.close(child_out)
        self._buf = b""
        self._next_id = 0
        self.events = []          # every event received, in order: (method, params, sessionId)
        self.session = None
        target = self.call("Target.createTarget", {"url": "about:blank"}, browser=True)["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 browser=True)["sessionId"]

    # --- the wire -----------------------------------------------------------
    def _send(self, message):
        data = json.dumps(message).encode() + b"\0"
        while data:
            n = os.write(self._out, data)
            data = data[n:]

    def _read_one(self, deadline):
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise CdpError("timed out waiting for the browser")
            ready, _, _ = select.select([self._in], [], [], left)
            if ready:
                chunk = os.read(self._in, 1 << 20)
                if not chunk:
                    raise CdpError(f"the browser closed the pipe (exit {self.proc.poll()})")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, browser=False, timeout=30):
        """Sends a command (to the page's session unless `browser`) and returns its result."""
        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params or {}}
        if not browser and self.session:
            msg["sessionId"] = self.session
        self._send(msg)
        deadline = time.monotonic() + timeout
        while True:
            m = self._read_one(deadline)
            if m.get("id") == msg["id"]:
                if "error" in m:
                    raise CdpError(f"{method}: {m['error']}")
                return m.get("result", {})
            if "method" in m:
                self.events.append((m["method"], m.get("params", {}), m.get("sessionId")))

    def wait_event(self, method, predicate=lambda p: True, timeout=30, since=0):
        """Returns the params of the first event `method` (from index `since`) matching `predicate`."""
        deadline = time.monotonic() + timeout
        i = since
        while True:
            while i < len(self.events):
                name, params, _ = self.events[i]
                i += 1
                if name == method and predicate(params):
                    return params
            m = self._read_one(deadline)
            if "method" in m:
                self.events.append((m["method"], m.get("params", {}), m.get("sessionId")))

    # --- the page -----------------------------------------------------------
    def evaluate(self, expression, timeout=30):
        """The value of a JS expression (awaited when it is a promise)."""
        r = self.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                           "returnByValue": True}, timeout=timeout)
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            raise CdpError(f"JS: {d.get('exception', {}).get('description') or d.get('text')}\n  in: {expression}")
        return r["result"].get("value")

    def wait_for(self, condition, what, timeout=15):
        """Polls the JS expression `condition` until it is truthy (at most `timeout` s); returns its value."""
        js = f"""new Promise((resolve, reject) => {{
          const t0 = performance.now();
          (function poll() {{
            let v; try {{ v = ({condition}); }} catch (e) {{ v = undefined; }}
            if (v) resolve(v);
            else if (performance.now() - t0 > {timeout * 1000}) reject(new Error('timeout: ' + {json.dumps(what)}));
            else setTimeout(poll, 20);
          }})();
        }})"""
        return self.evaluate(js, timeout=timeout + 10)

    def navigate(self, url):
        since = len(self.events)
        self.call("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired", since=since)

    def set_viewport(self, width, height, mobile=False):
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def insert_text(self, text):
        self.call("Input.insertText", {"text": text})

    def close(self):
        try:
            self.call("Browser.close", browser=True, timeout=5)
        except (CdpError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._in, self._out):
            os.close(fd)
        self._log.close()
