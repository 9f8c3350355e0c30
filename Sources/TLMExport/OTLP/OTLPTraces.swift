import TLMRecorder

/// Turns events into an OTLP `ExportTraceServiceRequest` in the protobuf JSON
/// mapping that OTLP/HTTP accepts: lowerCamelCase keys, trace and span ids as
/// hex strings, 64-bit integers as decimal strings, enums as integers.
///
/// One span per event, of kind CLIENT (tlm is the client of the command it
/// runs): named after the target, from the start instant to start + duration,
/// status ERROR when the run did not succeed (left UNSET otherwise, as the
/// OpenTelemetry specification asks of instrumentation), with the attributes
/// `attributes(of:)` lists. The resource says which service and platform, never
/// which host or user.
public struct OTLPTraces: Sendable {
    public struct Resource: Sendable, Equatable {
        public var serviceName: String
        public var serviceVersion: String
        public init(serviceName: String, serviceVersion: String) {
            self.serviceName = serviceName
            self.serviceVersion = serviceVersion
        }
    }

    public let resource: Resource

    public init(resource: Resource) {
        self.resource = resource
    }

    /// `os.type` as the semantic conventions spell it: tlm builds on Linux only
    /// (TLMSystem/Platform.swift).
    public static var osType: String { "linux" }

    /// `host.arch` as the semantic conventions spell it.
    public static var hostArch: String {
        #if arch(x86_64)
            return "amd64"
        #elseif arch(arm64)
            return "arm64"
        #elseif arch(i386)
            return "x86"
        #elseif arch(arm)
            return "arm32"
        #elseif arch(powerpc64le) || arch(powerpc64)
            return "ppc64"
        #elseif arch(s390x)
            return "s390x"
        #else
            return "unknown"
        #endif
    }

    /// The request body for `events`, in order; an event `canExpress` refuses is left out.
    public func request(_ events: [PendingEvent]) -> String {
        var out = "{\"resourceSpans\":[{\"resource\":{\"attributes\":["
        var first = true
        for (key, value) in resourceAttributes {
            appendAttribute(&out, key, value, first: first)
            first = false
        }
        out += "]},\"scopeSpans\":[{\"scope\":{\"name\":"
        EventEncoder.appendString(&out, Self.scopeName)
        out += ",\"version\":"
        EventEncoder.appendString(&out, resource.serviceVersion)
        out += "},\"spans\":["
        first = true
        for pending in events {
            guard let span = Self.span(of: pending) else { continue }
            if !first { out += "," }
            first = false
            appendSpan(&out, span)
        }
        out += "]}]}]}"
        return out
    }

    /// The resource's attributes: which service and platform, never which host or user.
    public var resourceAttributes: [(String, Value)] {
        [
            ("service.name", .string(resource.serviceName)), ("service.version", .string(resource.serviceVersion)),
            ("os.type", .string(Self.osType)), ("host.arch", .string(Self.hostArch)),
        ]
    }

    /// The instrumentation scope's name (its version is the service's).
    public static var scopeName: String { "tlm" }

    /// What one event's span says, whatever the encoding: the JSON `request` and
    /// `OTLPProtobuf` both write this, so that the two cannot say different things.
    public struct Span: Sendable {
        public var ids: SpanIdentity
        public var name: String
        /// Nanoseconds since the epoch.
        public var start: Int64
        public var end: Int64
        public var attributes: [(String, Value)]
        /// The status message when the run failed (status ERROR); nil leaves it UNSET.
        public var errorMessage: String?

        /// SPAN_KIND_CLIENT: tlm is the client of the command it runs.
        public static var kind: Int { 3 }
        /// STATUS_CODE_ERROR.
        public static var errorCode: Int { 2 }
    }

    /// The span of `pending`, nil when `canExpress` refuses its event.
    public static func span(of pending: PendingEvent) -> Span? {
        let event = pending.event
        guard let times = spanTimes(of: event) else { return nil }
        return Span(
            ids: SpanIdentity(pending), name: event.target, start: times.start, end: times.end,
            attributes: attributes(of: event), errorMessage: failure(of: event)?.message)
    }

    /// A span's start and end in nanoseconds since the epoch; nil when OTLP cannot hold
    /// them: before 1970 (the fields are unsigned) or from 2262-04-11T23:47:16Z on (past
    /// `Int64`, which receivers use), or a duration the parser would refuse.
    public static func spanTimes(of event: Event) -> (start: Int64, end: Int64)? {
        let duration = event.durationSeconds
        guard event.timestamp.millisecondsSinceEpoch >= 0, duration >= 0,
            duration <= EventParser.maximumDurationSeconds
        else { return nil }
        let (start, overflow) = event.timestamp.millisecondsSinceEpoch.multipliedReportingOverflow(by: 1_000_000)
        guard !overflow else { return nil }
        // At most 10 years of nanoseconds (3.2e17): exact in an Int64.
        let (end, late) = start.addingReportingOverflow(Int64((duration * 1e9).rounded()))
        guard !late else { return nil }
        return (start, end)
    }

    /// Whether `request` can hold `event` as a span (see `spanTimes(of:)`).
    public static func canExpress(_ event: Event) -> Bool { spanTimes(of: event) != nil }

    private func appendSpan(_ out: inout String, _ span: Span) {
        let ids = span.ids
        out += "{\"traceId\":\"" + ids.traceID + "\",\"spanId\":\"" + ids.spanID + "\""
        if let parent = ids.parentSpanID { out += ",\"parentSpanId\":\"" + parent + "\"" }
        out += ",\"name\":"
        EventEncoder.appendString(&out, span.name)
        out +=
            ",\"kind\":" + String(Span.kind) + ",\"startTimeUnixNano\":\"" + String(span.start)
            + "\",\"endTimeUnixNano\":\"" + String(span.end) + "\",\"attributes\":["
        var first = true
        for (key, value) in span.attributes {
            appendAttribute(&out, key, value, first: first)
            first = false
        }
        out += "]"
        if let message = span.errorMessage {
            out += ",\"status\":{\"code\":" + String(Span.errorCode) + ",\"message\":"
            EventEncoder.appendString(&out, message)
            out += "}"
        }
        out += "}"
    }

    /// An attribute's value, typed as OTLP's `AnyValue`.
    public enum Value: Sendable, Equatable {
        case string(String)
        case int(Int64)
        case double(Double)
        case bool(Bool)
    }

    /// The span attributes of `event`: the semantic conventions' names where they
    /// exist (`process.executable.name`, `process.exit.code`, `error.type`,
    /// `cicd.pipeline.task.name` in CI), `tlm.*` for the rest. Unknown fields are left out.
    public static func attributes(of event: Event) -> [(String, Value)] {
        var attributes: [(String, Value)] = []
        if let command = event.command { attributes.append(("process.executable.name", .string(command))) }
        attributes.append(("process.exit.code", .int(Int64(event.exitCode))))
        if let failure = failure(of: event) { attributes.append(("error.type", .string(failure.type))) }
        if event.ci != nil { attributes.append(("cicd.pipeline.task.name", .string(event.target))) }
        attributes.append(("tlm.target", .string(event.target)))
        if let domain = event.domain { attributes.append(("tlm.domain", .string(domain))) }
        if let timedOut = event.timedOut { attributes.append(("tlm.timed_out", .bool(timedOut))) }
        if let attempts = event.attempts { attributes.append(("tlm.attempts", .int(Int64(attempts)))) }
        if let signal = event.signal { attributes.append(("tlm.signal", .string(signal))) }
        if let ci = event.ci { attributes.append(("tlm.ci", .string(ci))) }
        if let user = event.cpuUserSeconds, user.isFinite { attributes.append(("tlm.cpu.user_seconds", .double(user))) }
        if let system = event.cpuSystemSeconds, system.isFinite {
            attributes.append(("tlm.cpu.system_seconds", .double(system)))
        }
        if let rss = event.maxRSSKilobytes { attributes.append(("tlm.memory.max_rss_kb", .int(Int64(rss)))) }
        return attributes
    }

    /// Why the run failed (`error.type` and the status message), nil when it succeeded.
    public static func failure(of event: Event) -> (type: String, message: String)? {
        if event.timedOut == true { return ("timeout", "timed out (exit code \(event.exitCode))") }
        if let signal = event.signal { return (signal, "killed by \(signal)") }
        if event.exitCode != 0 { return (String(event.exitCode), "exit code \(event.exitCode)") }
        return nil
    }

    private func appendAttribute(_ out: inout String, _ key: String, _ value: Value, first: Bool = false) {
        if !first { out += "," }
        out += "{\"key\":"
        EventEncoder.appendString(&out, key)
        out += ",\"value\":{"
        switch value {
        case .string(let text):
            out += "\"stringValue\":"
            EventEncoder.appendString(&out, text)
        case .int(let number): out += "\"intValue\":\"" + String(number) + "\""
        case .double(let number): out += "\"doubleValue\":" + String(number)
        case .bool(let flag): out += "\"boolValue\":" + (flag ? "true" : "false")
        }
        out += "}}"
    }
}
