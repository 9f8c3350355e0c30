#!/usr/bin/env python3
"""An OTLP/HTTP traces receiver for tlm's tests, in both encodings.

Every request body is parsed with the official opentelemetry-proto package:
`application/x-protobuf` with protobuf's own parser (ParseFromString), and
`application/json` with its JSON parser (unknown fields rejected) after the one
change the OTLP specification makes to protobuf's JSON mapping: trace and span
ids are hex, not base64. A body sent with `Content-Encoding: gzip` is
decompressed first. A body that does not parse, ids of the wrong length, or
another content type or encoding get 400 and are logged as invalid, so a test
sees them. The spans are recorded in one form whatever the encoding, so that
tests compare what arrived; each request's content type, encoding and size on
the wire are logged.

    otlp_receiver.py --record SPANS.jsonl --requests REQUESTS.jsonl
        [--script 503,503] [--retry-after 0] [--path /v1/traces]
        [--hold FILE] [--header NAME]... [--tls CERT KEY] [--partial N,MESSAGE]
        [--answer BODY]
    otlp_receiver.py --check FILE   # parse a file of requests, one per line

Prints the port it listens on (127.0.0.1, chosen by the system), then serves
until killed. --script gives the status of the first requests (then 200);
--hold waits (at most 60 s) until FILE exists before answering. --partial
answers each accepted request with a partial_success (N rejected spans and
MESSAGE), in the request's encoding; --answer, with BODY as it is (a
malformed answer, in the request's content type).
"""
import argparse
import base64
import gzip
import json
import os
import re
import ssl
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf import json_format
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)

HEX = {"traceId": 32, "spanId": 16, "parentSpanId": 16}


def hex_ids_to_base64(document):
    """OTLP/JSON ids are hex; protobuf's JSON parser wants base64: convert, checking each."""
    for resource_spans in document.get("resourceSpans", []):
        for scope_spans in resource_spans.get("scopeSpans", []):
            for span in scope_spans.get("spans", []):
                for key, digits in HEX.items():
                    if key not in span:
                        continue
                    value = span[key]
                    if not isinstance(value, str) or not re.fullmatch("[0-9a-f]{%d}" % digits, value):
                        raise ValueError("%s %r is not %d lowercase hex digits" % (key, value, digits))
                    span[key] = base64.b64encode(bytes.fromhex(value)).decode()


def value_of(any_value):
    kind = any_value.WhichOneof("value")
    return getattr(any_value, kind) if kind else None


def parse(body, content_type="application/json"):
    """The request's spans as dicts; raises on anything OTLP does not allow."""
    request = ExportTraceServiceRequest()
    if content_type == "application/x-protobuf":
        request.ParseFromString(body)
    elif content_type == "application/json":
        document = json.loads(body)
        hex_ids_to_base64(document)
        json_format.Parse(json.dumps(document), request, ignore_unknown_fields=False)
    else:
        raise ValueError("Content-Type is %s" % content_type)
    spans = []
    for resource_spans in request.resource_spans:
        resource = {a.key: value_of(a.value) for a in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                if len(span.trace_id) != 16 or len(span.span_id) != 8:
                    raise ValueError("bad id length")
                if span.parent_span_id and len(span.parent_span_id) != 8:
                    raise ValueError("bad parent id length")
                spans.append({
                    "traceId": span.trace_id.hex(),
                    "spanId": span.span_id.hex(),
                    "parentSpanId": span.parent_span_id.hex(),
                    "name": span.name,
                    "kind": span.kind,
                    "start": span.start_time_unix_nano,
                    "end": span.end_time_unix_nano,
                    "status": span.status.code,
                    "statusMessage": span.status.message,
                    "attributes": {a.key: value_of(a.value) for a in span.attributes},
                    "resource": resource,
                    "scope": scope_spans.scope.name,
                    "scopeVersion": scope_spans.scope.version,
                })
    return spans


def append(path, record):
    with open(path, "a") as out:
        out.write(json.dumps(record) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--record")
    parser.add_argument("--requests")
    parser.add_argument("--script", default="")
    parser.add_argument("--retry-after")
    parser.add_argument("--path", default="/v1/traces")
    parser.add_argument("--hold")
    parser.add_argument("--header", action="append", default=[])
    parser.add_argument("--check")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--partial")
    parser.add_argument("--answer")
    options = parser.parse_args()
    partial = None
    if options.partial:
        rejected, _, message = options.partial.partition(",")
        partial = (int(rejected), message)

    if options.check:
        count = 0
        with open(options.check) as lines:
            for line in lines:
                count += len(parse(line))
        print(count)
        return

    script = [int(s) for s in options.script.split(",") if s]
    state = {"served": 0}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, status, body, extra=None, content_type="application/json"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if options.hold:
                deadline = time.time() + 60
                while not os.path.exists(options.hold) and time.time() < deadline:
                    time.sleep(0.02)
            number = state["served"]
            state["served"] += 1
            content_type = self.headers.get("Content-Type")
            encoding = self.headers.get("Content-Encoding")
            log = {"path": self.path, "contentType": content_type, "contentEncoding": encoding, "bytes": len(body)}
            for name in options.header:
                log[name.lower()] = self.headers.get(name)
            if number < len(script) and script[number] != 200:
                log["status"] = script[number]
                append(options.requests, log)
                extra = {"Retry-After": options.retry_after} if options.retry_after is not None else {}
                self.answer(script[number], b'{"code":14,"message":"scripted failure"}', extra)
                return
            try:
                if self.path != options.path:
                    raise ValueError("path %s is not %s" % (self.path, options.path))
                if encoding == "gzip":
                    body = gzip.decompress(body)
                    log["decompressedBytes"] = len(body)
                elif encoding is not None:
                    raise ValueError("Content-Encoding is %s" % encoding)
                spans = parse(body, content_type)
            except Exception as error:  # anything wrong with the request: 400, logged
                log["status"] = 400
                log["invalid"] = str(error)
                append(options.requests, log)
                self.answer(400, json.dumps({"code": 3, "message": "invalid: %s" % error}).encode())
                return
            for span in spans:
                append(options.record, span)
            log["status"] = 200
            log["spans"] = len(spans)
            append(options.requests, log)
            # The answer in the request's encoding: an empty ExportTraceServiceResponse, or one
            # with a partial_success when asked.
            response = ExportTraceServiceResponse()
            if partial:
                response.partial_success.rejected_spans = partial[0]
                response.partial_success.error_message = partial[1]
            if options.answer is not None:
                self.answer(200, options.answer.encode("utf-8", "surrogateescape"), content_type=content_type)
            elif content_type == "application/x-protobuf":
                self.answer(200, response.SerializeToString(), content_type=content_type)
            else:
                self.answer(200, json_format.MessageToJson(response, indent=None).encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if options.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*options.tls)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
