#!/usr/bin/env python3
"""A loopback HTTP peer for tlm's redirect tests: a redirector, or a sink.

    redirector.py --requests REQUESTS.jsonl [--redirect STATUS URL]

Prints the port it listens on (127.0.0.1, chosen by the system), then serves
until killed. Every request, of any method, is logged (method, path, headers,
body length). With --redirect, each gets STATUS with `Location: URL` (URL's
path + the request's path when URL ends in `/`); without, a 200 (a sink that
must stay empty when nobody follows the redirect).
"""
import argparse
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", required=True)
    parser.add_argument("--redirect", nargs=2, metavar=("STATUS", "URL"))
    options = parser.parse_args()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def handle_any(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length) if length else b""
            record = {"method": self.command, "path": self.path, "bodyLength": len(body),
                      "headers": {name.lower(): value for name, value in self.headers.items()}}
            with open(options.requests, "a") as out:
                out.write(json.dumps(record) + "\n")
            if options.redirect:
                status, target = options.redirect
                location = target + self.path.lstrip("/") if target.endswith("/") else target
                self.send_response(int(status))
                self.send_header("Location", location)
            else:
                self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_PUT = do_DELETE = handle_any

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
