import TLMRecorder

/// `tlm export prometheus`'s driver: the metrics of `PrometheusExposition`,
/// for node_exporter's textfile collector (the command line writes the file),
/// or sent to a Pushgateway with PUT (the group's metrics replaced as a whole).
public enum PrometheusExporter {
    /// The Pushgateway address of the group `job` (default `tlm`) and `instance`
    /// under `push`; a bad value is a usage error.
    public static func pushURL(_ push: String, job: String?, instance: String?) throws(ExportError) -> HTTPURL {
        guard let base = HTTPURL(push) else {
            throw .usage("--push '\(HTTPURL.redacted(push))' \(HTTPURL.problem(push))")
        }
        let job = job ?? "tlm"
        guard !job.isEmpty else { throw .usage("--job cannot be empty") }
        var path = "metrics/" + groupingPath("job", job)
        if let instance {
            guard !instance.isEmpty else { throw .usage("--instance cannot be empty") }
            path += "/" + groupingPath("instance", instance)
        }
        return base.appending(path)
    }

    /// The metrics of every event recorded in `home` (none when nothing was).
    public static func exposition(_ home: TelemetryHome) throws(ExportError) -> PrometheusExposition {
        var exposition = PrometheusExposition()
        if home.hasFolder {
            do {
                try EventLog(home: home).forEachEventInAllFiles { exposition.add($0) }
            } catch {
                throw .log(error.description)
            }
        }
        return exposition
    }

    /// PUTs the metrics to `url`, by `delivery`'s retry rules.
    public static func push(
        _ exposition: PrometheusExposition, to url: HTTPURL, timeout: UInt64, userAgent: String, _ delivery: Delivery
    ) -> PrometheusOutcome {
        let request = HTTPRequest(
            method: "PUT", url: url,
            headers: [
                ("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),
                ("User-Agent", userAgent),
            ], body: Array(exposition.text().utf8), timeoutSeconds: Double(timeout) / 1e9)
        if let failure = delivery.deliver(request) { return .stopped(failure) }
        return .pushed(events: exposition.events, to: url)
    }

    /// A grouping label as URL path segments: `job/VALUE` when the value has only
    /// unreserved characters, else the Pushgateway's base64 form
    /// (`job@base64/VALUE`), which also carries `/`.
    public static func groupingPath(_ label: String, _ value: String) -> String {
        let unreserved = value.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
        }
        if unreserved { return label + "/" + value }
        return label + "@base64/" + base64URL(Array(value.utf8))
    }

    /// RFC 4648 base64url, without padding.
    public static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var index = 0
        while index + 2 < bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int(value >> UInt32(shift) & 63)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            var value = UInt32(bytes[index]) << 16
            if rest == 2 { value |= UInt32(bytes[index + 1]) << 8 }
            for shift in [18, 12, 6].prefix(rest + 1) { out.append(alphabet[Int(value >> UInt32(shift) & 63)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// What a Prometheus export did, for the command line to print.
public enum PrometheusOutcome: Sendable, Equatable {
    /// The textfile was written.
    case written(events: Int, to: String)
    /// The Pushgateway accepted the metrics.
    case pushed(events: Int, to: HTTPURL)
    /// The push stopped: why.
    case stopped(String)

    /// The line to show on standard error.
    public var message: String {
        switch self {
        case .written(let events, let path): return "metrics of \(events) events written to \(path)"
        case .pushed(let events, let url): return "metrics of \(events) events pushed to \(url)"
        case .stopped(let reason): return "push stopped: \(reason)"
        }
    }
}
