import Glibc
import TLMRecorder
import TLMReport
import TLMTestSupport
import Testing

@testable import TLMExport

/// A collector that answers from a script, and notes what it was sent and what
/// the cursor was at each request.
final class ScriptedTransport: HTTPTransport {
    var answers: [Result<HTTPResponse, TransportFailure>]
    var requests: [HTTPRequest] = []
    /// `export.cursor`'s text when each request came (nil: none yet).
    var cursorAtRequest: [String?] = []
    let cursorPath: String?

    init(_ answers: [Result<HTTPResponse, TransportFailure>], cursorPath: String? = nil) {
        self.answers = answers
        self.cursorPath = cursorPath
    }

    static func status(_ code: Int, headers: [(name: String, value: String)] = []) -> Result<
        HTTPResponse, TransportFailure
    > {
        .success(HTTPResponse(status: code, headers: headers, body: []))
    }

    func send(_ request: HTTPRequest) -> Result<HTTPResponse, TransportFailure> {
        requests.append(request)
        cursorAtRequest.append(cursorPath.flatMap { readFile($0) }.map { String(decoding: $0, as: UTF8.self) })
        return answers.isEmpty ? Self.status(200) : answers.removeFirst()
    }
}

@Suite("export drivers: the delivery loop, the cursor, the lock")
struct ExportDriverTests {
    /// JSON, pinned: these tests read the request bodies (OTLPRequestTests has the protobuf twin).
    static let destination = try! OTLPDestination.resolve(
        endpoint: "http://127.0.0.1:4318", headers: ["X-Key=secret"], timeout: nil, protocol: "http/json",
        environment: Environment([:]), settings: Settings()
    ).get()

    static func exporter(_ home: TelemetryHome, auto: Bool = false, interval: UInt64 = 0) -> OTLPExporter {
        OTLPExporter(
            home: home, encoder: OTLPTraces(resource: .init(serviceName: "tlm", serviceVersion: "0.0.0")),
            batchSize: 512, userAgent: "tlm/0.0.0", auto: auto, exportInterval: interval)
    }

    /// A delivery that does not wait between attempts, and keeps its retry notes.
    static func delivery(_ transport: ScriptedTransport, retries: Int = 5, notes: NoteList = NoteList()) -> Delivery {
        Delivery(transport: transport, retries: retries, backoff: { _ in 0 }, onRetry: { notes.lines.append($0) })
    }

    /// `export` run again while the lock reads as held, for at most a second: the
    /// lock an earlier export of the same test released can read as held for a
    /// moment, because all the suites share this process and a sibling's
    /// `posix_spawn` child holds a copy of every descriptor until it execs. (tlm
    /// itself starts no process while it takes or holds the lock.)
    static func again(_ export: () throws(ExportError) -> OTLPOutcome) throws(ExportError) -> OTLPOutcome {
        for _ in 0..<100 {
            do {
                let outcome = try export()
                if outcome != .skipped { return outcome }
            } catch {
                guard case .busy = error else { throw error }
            }
            usleep(10_000)
        }
        return try export()
    }

    final class NoteList {
        var lines: [String] = []
    }

    static func events(_ folder: TemporaryFolder, _ seconds: ClosedRange<Int>) {
        folder.write("usage.jsonl", seconds.map(PendingEventsTests.line).joined())
    }

    @Test("a 503 then a 200: retried after a note, the cursor saved once, after the 200")
    func retriedThenAccepted() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        Self.events(folder, 1...3)
        let transport = ScriptedTransport(
            [ScriptedTransport.status(503, headers: [("retry-after", "0")]), ScriptedTransport.status(200)],
            cursorPath: ExportCursor.path(home))
        let notes = NoteList()
        let outcome = try Self.exporter(home).run(.send(Self.destination, Self.delivery(transport, notes: notes)))

        #expect(transport.requests.count == 2)
        #expect(transport.requests[0].body == transport.requests[1].body)  // the same batch, again
        #expect(transport.cursorAtRequest == [nil, nil])  // not moved before the collector accepted
        #expect(notes.lines == ["http://127.0.0.1:4318/v1/traces answered 503: retry 1/5 in 0.0s"])
        #expect(try ExportCursor.load(home)?.exported == 3)
        #expect(
            outcome
                == .exported(
                    OTLPSummary(sent: 3, requests: 1, target: "http://127.0.0.1:4318/v1/traces", malformedLines: 0)))
        #expect(outcome.message == "exported 3 events to http://127.0.0.1:4318/v1/traces in 1 request")
        let headers = transport.requests[0].headers.map { "\($0.name): \($0.value)" }
        #expect(headers == ["Content-Type: application/json", "User-Agent: tlm/0.0.0", "X-Key: secret"])
    }

    @Test("a 400 is not retried, and the cursor stays where the last export left it")
    func rejected() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        Self.events(folder, 1...2)
        _ = try Self.exporter(home).run(.send(Self.destination, Self.delivery(ScriptedTransport([]))))
        let before = try #require(try ExportCursor.load(home))
        #expect(before.exported == 2)

        Self.events(folder, 1...4)  // two more
        let transport = ScriptedTransport([ScriptedTransport.status(400)])
        let notes = NoteList()
        let outcome = try Self.again {
            () throws(ExportError) in
            try Self.exporter(home).run(.send(Self.destination, Self.delivery(transport, notes: notes)))
        }
        #expect(transport.requests.count == 1)
        #expect(notes.lines.isEmpty)
        #expect(outcome == .stopped(reason: "http://127.0.0.1:4318/v1/traces answered 400", sent: 0))
        #expect(
            outcome.message
                == "export stopped: http://127.0.0.1:4318/v1/traces answered 400; 0 events sent, "
                + "the rest wait for the next export")
        #expect(try ExportCursor.load(home) == before)
    }

    /// A collector that accepts, while something puts a folder where the cursor goes.
    final class CursorBlockingTransport: HTTPTransport {
        let cursorPath: String
        init(cursorPath: String) { self.cursorPath = cursorPath }
        func send(_ request: HTTPRequest) -> Result<HTTPResponse, TransportFailure> {
            mkdir(cursorPath, 0o700)
            _ = open(cursorPath + "/keep", O_CREAT | O_WRONLY, 0o600)  // not empty: rename cannot replace it
            return ScriptedTransport.status(200)
        }
    }

    @Test("accepted, but the cursor cannot be saved: one sentence, without a second 'tlm:' inside")
    func cursorNotSaved() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        Self.events(folder, 1...3)
        let transport = CursorBlockingTransport(cursorPath: ExportCursor.path(home))
        let delivery = Delivery(transport: transport, retries: 0, backoff: { _ in 0 }, onRetry: { _ in })
        let outcome = try Self.exporter(home).run(.send(Self.destination, delivery))
        let message = try #require(outcome.message)
        #expect(
            message.hasPrefix(
                "export stopped: the collector accepted 3 events but the cursor was not saved (cannot write "
                    + ExportCursor.path(home)))
        #expect(message.contains("), so they will be sent again; "))
        #expect(!message.contains("tlm:"))
    }

    @Test("out of retries: stopped, saying how many; the cursor not written")
    func outOfRetries() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        Self.events(folder, 1...1)
        let transport = ScriptedTransport(Array(repeating: ScriptedTransport.status(503), count: 3))
        let notes = NoteList()
        let outcome = try Self.exporter(home).run(
            .send(Self.destination, Self.delivery(transport, retries: 2, notes: notes)))
        #expect(transport.requests.count == 3)
        #expect(notes.lines.count == 2)
        #expect(outcome == .stopped(reason: "http://127.0.0.1:4318/v1/traces answered 503 (after 2 retries)", sent: 0))
        #expect(try ExportCursor.load(home) == nil)
    }

    @Test("the lock held by another export: --auto skips and sends nothing; otherwise an error that says so")
    func lockHeld() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        Self.events(folder, 1...2)
        let held = try ExportLock.acquire(home)
        defer { held.release() }
        let transport = ScriptedTransport([])
        #expect(try Self.exporter(home, auto: true).run(.send(Self.destination, Self.delivery(transport))) == .skipped)
        #expect(transport.requests.isEmpty)
        #expect(throws: ExportError.busy(ExportLock.path(home))) {
            try Self.exporter(home).run(.send(Self.destination, Self.delivery(transport)))
        }
        #expect(
            ExportError.busy(ExportLock.path(home)).description
                == "another export is running (\(folder.path)/export.lock): try again when it ends")
        #expect(transport.requests.isEmpty)
        #expect(try ExportCursor.load(home) == nil)
    }

    @Test("--auto within export.interval of the last export skips; once released, the lock is free again")
    func autoInterval() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        Self.events(folder, 1...2)
        let transport = ScriptedTransport([])
        _ = try Self.exporter(home).run(.send(Self.destination, Self.delivery(transport)))
        #expect(transport.requests.count == 1)
        Self.events(folder, 1...3)
        let hour: UInt64 = 3_600_000_000_000
        #expect(
            try Self.exporter(home, auto: true, interval: hour).run(.send(Self.destination, Self.delivery(transport)))
                == .skipped)
        #expect(transport.requests.count == 1)
        #expect(
            try Self.again { () throws(ExportError) in
                try Self.exporter(home, auto: true).run(.send(Self.destination, Self.delivery(transport)))
            }
                == .exported(
                    OTLPSummary(sent: 1, requests: 1, target: "http://127.0.0.1:4318/v1/traces", malformedLines: 0)))
    }

    @Test("no data folder: nothing recorded, no lock or cursor created")
    func nothingRecorded() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path + "/missing")
        let outcome = try Self.exporter(home).run(.dryRun(nil))
        #expect(outcome == .nothingRecorded)
        #expect(outcome.message == "nothing to export: no events recorded yet")
        #expect(!folder.exists("missing"))
    }

    @Test("an output file: every request a line, synced, then the cursor; a dry run moves nothing")
    func outputAndDryRun() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        Self.events(folder, 1...3)
        let planned = try Self.exporter(home).run(.dryRun(Self.destination))
        guard case .planned(let report) = planned else {
            Issue.record("not a plan: \(planned)")
            return
        }
        #expect(report.contains("pending       3 events in 1 request of at most 512"))
        #expect(report.contains("headers       X-Key=<hidden> (--header)"))
        #expect(!report.contains("secret"))
        #expect(try ExportCursor.load(home) == nil)

        let path = folder.path + "/traces.jsonl"
        let outcome = try Self.again { () throws(ExportError) in
            try Self.exporter(home).run(
                .write(path: path) { () throws(ExportError) -> Int32 in open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                }
            )
        }
        #expect(outcome.message == "exported 3 events to \(path) in 1 request")
        #expect(folder.text("traces.jsonl")?.split(separator: "\n").count == 1)
        #expect(try ExportCursor.load(home)?.exported == 3)
    }
}

@Suite("export drivers: Prometheus push and the dump")
struct PrometheusDriverTests {
    @Test("the Pushgateway address: grouping by job and instance; a bad value is a usage error")
    func pushURL() throws {
        #expect(
            try PrometheusExporter.pushURL("http://gw:9091", job: nil, instance: "ci/7").description
                == "http://gw:9091/metrics/job/tlm/instance@base64/Y2kvNw")
        #expect(throws: ExportError.usage("--job cannot be empty")) {
            try PrometheusExporter.pushURL("http://gw:9091", job: "", instance: nil)
        }
        #expect(throws: ExportError.usage("--instance cannot be empty")) {
            try PrometheusExporter.pushURL("http://gw:9091", job: "tlm", instance: "")
        }
        do {
            _ = try PrometheusExporter.pushURL("ftp://gw", job: nil, instance: nil)
            Issue.record("ftp accepted")
        } catch {
            guard case .usage(let text) = error else {
                Issue.record("not a usage error: \(error)")
                return
            }
            #expect(text.hasPrefix("--push 'ftp://gw' "))
        }
    }

    @Test("a push: PUT once accepted, a 503 retried, a refusal stops it")
    func push() throws {
        var exposition = PrometheusExposition()
        exposition.add(try #require(EventParser.parse(String(PendingEventsTests.line(1).dropLast()))))
        let url = try PrometheusExporter.pushURL("http://gw:9091", job: nil, instance: nil)
        let transport = ScriptedTransport([ScriptedTransport.status(503), ScriptedTransport.status(200)])
        let outcome = PrometheusExporter.push(
            exposition, to: url, timeout: 1_000_000_000, userAgent: "tlm/0.0.0",
            Delivery(transport: transport, retries: 1, backoff: { _ in 0 }))
        #expect(outcome == .pushed(events: 1, to: url))
        #expect(outcome.message == "metrics of 1 events pushed to http://gw:9091/metrics/job/tlm")
        #expect(transport.requests.map(\.method) == ["PUT", "PUT"])
        let refused = PrometheusExporter.push(
            exposition, to: url, timeout: 1_000_000_000, userAgent: "tlm/0.0.0",
            Delivery(transport: ScriptedTransport([ScriptedTransport.status(404)]), retries: 1, backoff: { _ in 0 }))
        #expect(refused.message == "push stopped: http://gw:9091/metrics/job/tlm answered 404")
    }

    @Test("the dump: filtered events from the log files, malformed lines counted; a named file must exist")
    func dump() throws {
        let folder = TemporaryFolder()
        let home = TelemetryHome(folder: folder.path)
        folder.write("usage.jsonl.1", PendingEventsTests.line(1) + "garbage\n")
        folder.write("usage.jsonl", PendingEventsTests.line(2) + PendingEventsTests.line(3))
        let query = ReportQuery(targets: ["t1", "t3"])
        var text = ""
        let malformed = try EventDump.run(.csv, .home(home), query: query) { text += $0 }
        #expect(malformed == 1)
        #expect(text.hasPrefix(EventCSV.header))
        #expect(text.split(separator: "\n").map { $0.split(separator: ",")[1] } == ["target", "t1", "t3"])
        #expect(throws: ExportError.self) {
            try EventDump.run(.json, .files([folder.path + "/none.jsonl"]), query: ReportQuery()) { _ in }
        }
    }
}
