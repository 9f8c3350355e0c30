import Glibc
import TLMRecorder
import TLMTestSupport
import Testing

@testable import TLMExport

@Suite("delivery rules: what is retried, Retry-After, messages")
struct DeliveryPolicyTests {
    static func response(_ status: Int, _ headers: [(String, String)] = [], body: String = "") -> HTTPResponse {
        HTTPResponse(status: status, headers: headers.map { (name: $0.0, value: $0.1) }, body: Array(body.utf8))
    }

    @Test("2xx accepted; 429 and 5xx retried; other statuses rejected; no answer retried")
    func classification() {
        for status in [200, 202, 204] {
            #expect(DeliveryPolicy.outcome(.success(Self.response(status))) == .accepted)
        }
        for status in [429, 500, 502, 503, 504] {
            guard case .retry = DeliveryPolicy.outcome(.success(Self.response(status))) else {
                Issue.record("\(status) is not retried")
                continue
            }
        }
        for status in [301, 400, 401, 403, 404, 413, 415] {
            guard case .rejected = DeliveryPolicy.outcome(.success(Self.response(status))) else {
                Issue.record("\(status) is not rejected")
                continue
            }
        }
        #expect(
            DeliveryPolicy.outcome(.failure(TransportFailure("connection refused")))
                == .retry(reason: "failed: connection refused", after: nil))
        #expect(
            DeliveryPolicy.outcome(.failure(TransportFailure("SSL certificate problem", isPermanent: true)))
                == .rejected(reason: "failed: SSL certificate problem"))
    }

    @Test("Retry-After in seconds or as an HTTP date")
    func retryAfter() throws {
        let now = try #require(Timestamp(iso8601: "2015-10-21T07:27:00+00:00"))
        #expect(DeliveryPolicy.retryAfter("120", now: now) == 120_000_000_000)
        #expect(DeliveryPolicy.retryAfter(" 0 ", now: now) == 0)
        #expect(DeliveryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == 60_000_000_000)
        #expect(DeliveryPolicy.retryAfter("Wed, 21 Oct 2015 07:26:00 GMT", now: now) == 0)
        for bad in ["", "-1", "1.5", "soon", "Wed, 21 Oct 2015 07:28:00 CET", "9999999999"] {
            #expect(DeliveryPolicy.retryAfter(bad, now: now) == nil, "\(bad)")
        }
        let outcome = DeliveryPolicy.outcome(.success(Self.response(503, [("retry-after", "7")])), now: now)
        #expect(outcome == .retry(reason: "answered 503", after: 7_000_000_000))
    }

    @Test("the server's message: an OTLP Status's, else the body's first line, cut at 200 characters")
    func messages() {
        #expect(
            DeliveryPolicy.describe(Self.response(400, body: #"{"code":3,"message":"bad span"}"#))
                == "400: bad span")
        #expect(DeliveryPolicy.describe(Self.response(404, body: "not found\nmore")) == "404: not found")
        #expect(DeliveryPolicy.describe(Self.response(500)) == "500")
        let long = DeliveryPolicy.describe(Self.response(400, body: String(repeating: "x", count: 500)))
        #expect(long.count == "400: ".count + 201)
    }
}

@Suite("OTLP traces JSON")
struct OTLPTracesTests {
    static let event = Event(
        timestamp: Timestamp(millisecondsSinceEpoch: 1_771_065_000_123), target: "apply", domain: "web",
        durationSeconds: 1.5, exitCode: 124, command: "make", cpuUserSeconds: 0.25, cpuSystemSeconds: 0.125,
        maxRSSKilobytes: 81234, timedOut: true, attempts: 2, traceID: "4bf92f3577b34da6a3ce929d0e0e4736",
        spanID: "00f067aa0ba902b7", parentSpanID: "b7ad6b7169203331", ci: "gitlab")

    @Test("one span: ids, kind, times as strings, status, attributes, resource")
    func span() throws {
        let encoder = OTLPTraces(resource: .init(serviceName: "builds", serviceVersion: "9.9"))
        let body = encoder.request([PendingEvent(event: Self.event, lineHash: (1, 2))])
        let document = try JSONParser.parse(Array(body.utf8))
        #expect(body.contains(#""traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7""#))
        #expect(body.contains(#""parentSpanId":"b7ad6b7169203331""#))
        #expect(body.contains(#""name":"apply","kind":3"#))
        #expect(body.contains(#""startTimeUnixNano":"1771065000123000000","endTimeUnixNano":"1771065001623000000""#))
        #expect(body.contains(#""status":{"code":2,"message":"timed out (exit code 124)"}"#))
        #expect(body.contains(#"{"key":"error.type","value":{"stringValue":"timeout"}}"#))
        #expect(body.contains(#"{"key":"process.exit.code","value":{"intValue":"124"}}"#))
        #expect(body.contains(#"{"key":"cicd.pipeline.task.name","value":{"stringValue":"apply"}}"#))
        #expect(body.contains(#"{"key":"tlm.timed_out","value":{"boolValue":true}}"#))
        #expect(body.contains(#"{"key":"tlm.cpu.user_seconds","value":{"doubleValue":0.25}}"#))
        #expect(body.contains(#"{"key":"service.name","value":{"stringValue":"builds"}}"#))
        guard case .object(let members) = document else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["resourceSpans"])
    }

    @Test("a success has no status (UNSET) and no error.type")
    func success() {
        var event = Self.event
        event.exitCode = 0
        event.timedOut = false
        let body = OTLPTraces(resource: .init(serviceName: "tlm", serviceVersion: "1")).request([
            PendingEvent(event: event, lineHash: (1, 2))
        ])
        #expect(!body.contains("\"status\""))
        #expect(!body.contains("error.type"))
        #expect(OTLPTraces.failure(of: event) == nil)
    }

    @Test("a signal death: error.type is the signal's name")
    func signal() {
        var event = Self.event
        event.timedOut = false
        event.exitCode = 130
        event.signal = "SIGINT"
        #expect(OTLPTraces.failure(of: event)?.type == "SIGINT")
        #expect(OTLPTraces.failure(of: event)?.message == "killed by SIGINT")
    }

    @Test("an event without ids gets ids from its line: stable, non-zero, distinct lines distinct ids")
    func derivedIDs() {
        var event = Self.event
        event.traceID = nil
        event.spanID = nil
        event.parentSpanID = nil
        let line1 = Array(#"{"timestamp":"2026-02-14T10:30:00+00:00","target":"a"}"#.utf8)
        let line2 = Array(#"{"timestamp":"2026-02-14T10:30:01+00:00","target":"a"}"#.utf8)
        let hash1 = line1.withUnsafeBytes { SpanIdentity.hash($0) }
        let hash2 = line2.withUnsafeBytes { SpanIdentity.hash($0) }
        let first = SpanIdentity(PendingEvent(event: event, lineHash: hash1))
        #expect(
            first == SpanIdentity(PendingEvent(event: event, lineHash: line1.withUnsafeBytes { SpanIdentity.hash($0) }))
        )
        #expect(first != SpanIdentity(PendingEvent(event: event, lineHash: hash2)))
        #expect(first.traceID.count == 32 && first.spanID.count == 16 && first.parentSpanID == nil)
        #expect(SpanIdentity.isID(first.traceID, digits: 32) && SpanIdentity.isID(first.spanID, digits: 16))
        let zero = SpanIdentity(PendingEvent(event: event, lineHash: (0, 0)))
        #expect(SpanIdentity.isID(zero.traceID, digits: 32) && SpanIdentity.isID(zero.spanID, digits: 16))
        // Invalid ids in the event (uppercase, zero) are replaced, not sent.
        event.traceID = "4BF92F3577B34DA6A3CE929D0E0E4736"
        event.spanID = "0000000000000000"
        #expect(SpanIdentity(PendingEvent(event: event, lineHash: hash1)) == first)
    }
}

@Suite("endpoints and headers")
struct DestinationTests {
    static func resolve(_ variables: [String: String], endpoint: String? = nil, headers: [String] = [])
        -> Result<OTLPDestination, ExportError>
    {
        let environment = Environment(variables)
        return OTLPDestination.resolve(
            endpoint: endpoint, headers: headers, timeout: nil, environment: environment,
            settings: Settings.load(home: nil, environment: environment))
    }

    @Test("URLs: http and https, a base gets /v1/traces, the signal's own variable is used as is")
    func urls() throws {
        #expect(
            HTTPURL("http://127.0.0.1:4318")?.appending("v1/traces").description == "http://127.0.0.1:4318/v1/traces")
        #expect(
            HTTPURL("https://otel.example/otlp/")?.appending("v1/traces").description
                == "https://otel.example/otlp/v1/traces")
        #expect(HTTPURL("HTTP://[::1]:4318")?.description == "http://[::1]:4318")
        for bad in [
            "ftp://x", "http://", "http://:80", "http://h:0", "http://h:99999", "http://u:p@h", "http://h/ x", "h:80",
        ] {
            #expect(HTTPURL(bad) == nil, "\(bad)")
        }
        let traces = try Self.resolve(["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://c:4318/custom"]).get()
        #expect(traces.url.description == "http://c:4318/custom")
        #expect(traces.urlSource == "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        let base = try Self.resolve(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://c:4318"]).get()
        #expect(base.url.description == "http://c:4318/v1/traces")
    }

    @Test("precedence: --endpoint, TLM_EXPORT_ENDPOINT, the traces variable, the general one")
    func precedence() throws {
        let all = [
            "TLM_EXPORT_ENDPOINT": "http://tlm", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://traces/x",
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://general",
        ]
        #expect(try Self.resolve(all, endpoint: "http://flag").get().url.description == "http://flag/v1/traces")
        #expect(try Self.resolve(all).get().url.description == "http://tlm/v1/traces")
        var rest = all
        rest["TLM_EXPORT_ENDPOINT"] = nil
        #expect(try Self.resolve(rest).get().url.description == "http://traces/x")
        rest["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = nil
        #expect(try Self.resolve(rest).get().url.description == "http://general/v1/traces")
        guard case .failure(let error) = Self.resolve([:]) else {
            Issue.record("no endpoint resolved to something")
            return
        }
        #expect(error.description.hasPrefix("no endpoint"))
    }

    @Test("headers: percent-decoded, merged by name, the command line first")
    func headers() throws {
        let destination = try Self.resolve(
            [
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c",
                "OTEL_EXPORTER_OTLP_HEADERS": "Authorization=Bearer%20env, x-tenant = a%2Cb ,api-key=k",
                "OTEL_EXPORTER_OTLP_TRACES_HEADERS": "api-key=traces",
            ], headers: ["authorization=Bearer flag"]
        ).get()
        #expect(destination.headers.map(\.name) == ["authorization", "api-key", "x-tenant"])
        #expect(destination.headers.map(\.value) == ["Bearer flag", "traces", "a,b"])
        for bad in ["novalue", "a=%zz", "a=b%0Ac", "bad name=x"] {
            #expect(HeaderList.parse(bad) == nil, "\(bad)")
        }
        #expect(HeaderList.parse("")?.isEmpty == true)
    }

    @Test("service name and timeout: tlm's variable, then OpenTelemetry's")
    func serviceAndTimeout() throws {
        let otel = try Self.resolve([
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c", "OTEL_SERVICE_NAME": "svc", "OTEL_EXPORTER_OTLP_TIMEOUT": "2500",
        ]).get()
        #expect(otel.serviceName == "svc" && otel.timeoutNanoseconds == 2_500_000_000)
        let tlm = try Self.resolve([
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c", "OTEL_SERVICE_NAME": "svc", "TLM_EXPORT_SERVICE_NAME": "mine",
        ]).get()
        #expect(tlm.serviceName == "mine" && tlm.timeoutNanoseconds == OTLPDestination.defaultTimeout)
        guard
            case .failure = Self.resolve([
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://c", "OTEL_EXPORTER_OTLP_TIMEOUT": "1s",
            ])
        else {
            Issue.record("a bad timeout was accepted")
            return
        }
    }
}

@Suite("Prometheus exposition")
struct PrometheusTests {
    @Test("label values escaped; whole numbers without a fraction; the latest run by start time")
    func text() {
        var exposition = PrometheusExposition()
        let start = Timestamp(millisecondsSinceEpoch: 1_771_065_000_250)
        exposition.add(Event(timestamp: start, target: "a\"b\\c\nd", durationSeconds: 0.2, exitCode: 0))
        exposition.add(Event(timestamp: start, target: "t", durationSeconds: 3, exitCode: 2))
        exposition.add(
            Event(timestamp: Timestamp(millisecondsSinceEpoch: 1_000), target: "t", durationSeconds: 7200, exitCode: 9))
        let text = exposition.text()
        #expect(text.contains(#"tlm_runs_total{target="a\"b\\c\nd",domain="",result="success"} 1"#))
        #expect(text.contains("tlm_last_run_timestamp_seconds{target=\"t\"} 1771065000.250\n"))
        #expect(text.contains("tlm_last_exit_code{target=\"t\"} 2\n"))
        #expect(text.contains("tlm_run_duration_seconds_bucket{target=\"t\",le=\"3600\"} 1\n"))
        #expect(text.contains("tlm_run_duration_seconds_bucket{target=\"t\",le=\"+Inf\"} 2\n"))
        #expect(text.contains("tlm_run_duration_seconds_sum{target=\"t\"} 7203\n"))
        #expect(text.contains("tlm_run_duration_seconds_bucket{target=\"t\",le=\"0.25\"} 0\n"))
        // HELP and TYPE once per metric, before its samples.
        for name in [
            "tlm_runs_total", "tlm_run_duration_seconds", "tlm_last_run_timestamp_seconds", "tlm_last_exit_code",
        ] {
            #expect(text.split(separator: "\n").filter { $0.hasPrefix("# TYPE \(name) ") }.count == 1)
            #expect(text.split(separator: "\n").filter { $0.hasPrefix("# HELP \(name) ") }.count == 1)
        }
    }

    @Test("an empty log still gives the HELP and TYPE lines")
    func empty() {
        let text = PrometheusExposition().text()
        #expect(text.split(separator: "\n").allSatisfy { $0.hasPrefix("# ") })
        #expect(text.split(separator: "\n").count == 8)
    }
}

@Suite("CSV of events")
struct EventCSVTests {
    @Test("header, quoting, formula guard, empty unknowns")
    func rows() {
        #expect(EventCSV.header.split(separator: ",").count == 16)
        let event = Event(
            timestamp: Timestamp(millisecondsSinceEpoch: 0), target: "=cmd", domain: "a,b", durationSeconds: 1,
            exitCode: 0)
        // A guarded field is also quoted (OWASP): the `'` stays inside the field whatever follows.
        #expect(EventCSV.row(event) == "1970-01-01T00:00:00.000+00:00,\"'=cmd\",\"a,b\",1.000,0,,,,,,,,,,,\n")
    }
}

@Suite("the export queue: cursor and pending events")
struct PendingEventsTests {
    static func line(_ second: Int) -> String {
        "{\"timestamp\":\"2026-02-14T10:00:\(second < 10 ? "0" : "")\(second)+00:00\",\"target\":\"t\(second)\","
            + "\"domain\":null,\"duration_seconds\":1.0,\"exit_code\":0}\n"
    }

    func targets(_ home: TelemetryHome, _ cursor: ExportCursor?, batch: Int = 2) throws -> ([String], ExportCursor?) {
        let pending = try PendingEvents(home: home, cursor: cursor)
        var names: [String] = []
        var last: ExportCursor?
        try pending.forEachBatch(size: batch, exportedBefore: cursor?.exported ?? 0) { events, next in
            names += events.map(\.event.target)
            last = next
            return true
        }
        return (names, last ?? cursor)
    }

    @Test("batches across files; the cursor resumes after a rotation and skips bad lines")
    func rotation() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        folder.write("usage.jsonl.1", Self.line(1) + Self.line(2) + "garbage\n" + Self.line(3))
        folder.write("usage.jsonl", Self.line(4) + Self.line(5))
        let (first, cursor) = try targets(home, nil)
        #expect(first == ["t1", "t2", "t3", "t4", "t5"])
        #expect(cursor?.exported == 5)
        #expect(try targets(home, cursor).0 == [])

        // Rotate, and append.
        #expect(rename(folder.path + "/usage.jsonl.1", folder.path + "/usage.jsonl.2") == 0)
        #expect(rename(folder.path + "/usage.jsonl", folder.path + "/usage.jsonl.1") == 0)
        folder.write("usage.jsonl", Self.line(6) + Self.line(7) + String(Self.line(8).prefix(10)))
        let (second, next) = try targets(home, cursor)
        #expect(second == ["t6", "t7"])  // the line being written waits
        #expect(next?.exported == 7)

        // The cursor's file is gone (dropped by rotation): everything present is newer.
        #expect(unlink(folder.path + "/usage.jsonl.1") == 0)
        #expect(unlink(folder.path + "/usage.jsonl.2") == 0)
        #expect(try targets(home, cursor).0 == ["t6", "t7"])
    }

    @Test("a batch that stops early leaves its events pending")
    func stopping() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        folder.write("usage.jsonl", (1...5).map(Self.line).joined())
        let pending = try PendingEvents(home: home, cursor: nil)
        var calls = 0
        let delivered = try pending.forEachBatch(size: 2, exportedBefore: 0) { _, _ in
            calls += 1
            return false
        }
        #expect(calls == 1 && delivered == 2)
    }

    @Test("the cursor file: written, read back; a damaged one is an error, not a fresh start")
    func cursorFile() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        #expect(try ExportCursor.load(home) == nil)
        let cursor = ExportCursor(device: 2049, inode: 77, head: 0xdead_beef, offset: 1234, exported: 99)
        folder.write("export.cursor", cursor.json)
        #expect(try ExportCursor.load(home) == cursor)
        folder.write("export.cursor", "{\"version\":1}")
        #expect(throws: ExportError.self) { try ExportCursor.load(home) }
        folder.write("export.cursor", "not json")
        #expect(throws: ExportError.self) { try ExportCursor.load(home) }
    }
}

/// Output encodings of the exports: every text column of `export csv` is
/// guarded, and Prometheus label values escape per scalar.
@Suite("export encodings")
struct ExportEncodingTests {
    @Test("export csv: every text column is quoted and guarded against formulas")
    func csvGuardsEveryTextColumn() {
        let event = Event(
            timestamp: Timestamp(millisecondsSinceEpoch: 1_771_065_000_000), target: "-x", domain: "=d",
            durationSeconds: 1, exitCode: -1, command: "+c", signal: "@s", traceID: "=t", spanID: "-s",
            parentSpanID: "+p", ci: "\tci")
        let row = EventCSV.row(event)
        #expect(
            row
                == "2026-02-14T10:30:00.000+00:00,\"'-x\",\"'=d\",1.000,-1,\"'+c\",\"'@s\",,,,,,"
                + "\"'=t\",\"'-s\",\"'+p\",\"'\tci\"\n"
        )
    }

    @Test("Prometheus: a quote followed by a combining mark, CR LF and U+0600 before a quote are escaped")
    func prometheusLabelsPerScalar() {
        var exposition = PrometheusExposition()
        for target in ["\"\u{301}", "a\r\nb", "\u{600}\""] {
            exposition.add(
                Event(
                    timestamp: Timestamp(millisecondsSinceEpoch: 0), target: target, durationSeconds: 1, exitCode: 0))
        }
        let text = exposition.text()
        #expect(text.contains("tlm_last_exit_code{target=\"\\\"\u{301}\"} 0\n"))
        #expect(text.contains("tlm_last_exit_code{target=\"a\r\\nb\"} 0\n"))
        #expect(text.contains("tlm_last_exit_code{target=\"\u{600}\\\"\"} 0\n"))
        // Every line is a comment or a sample: no label value spills onto a line of its own.
        for line in text.split(separator: "\n") { #expect(line.hasPrefix("#") || line.hasPrefix("tlm_")) }
    }
}
