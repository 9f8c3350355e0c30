import TLMRecorder

/// What to do with an answer: OpenTelemetry's OTLP/HTTP rules, as the issue
/// asks. 2xx: accepted. 429 and 5xx, no answer at all (refused, timed out):
/// try again later, after `Retry-After` when the server gives one. Any other
/// status, or a TLS certificate that is not trusted: sending again would not help.
/// A 3xx is one of those: transports do not follow redirects (the body and an
/// API key would go to an address the user never gave), so it is refused.
public enum DeliveryOutcome: Sendable, Equatable {
    case accepted
    /// Retry after this many nanoseconds if the server said (`Retry-After`), else after the backoff.
    case retry(reason: String, after: UInt64?)
    case rejected(reason: String)
}

public enum DeliveryPolicy {
    /// The longest `Retry-After` honoured: beyond it, export stops and the events wait.
    public static let longestRetryAfter: UInt64 = 120_000_000_000

    public static func outcome(_ result: Result<HTTPResponse, TransportFailure>, now: Timestamp = .now())
        -> DeliveryOutcome
    {
        switch result {
        case .failure(let failure):
            if failure.isPermanent { return .rejected(reason: "failed: " + failure.description) }
            return .retry(reason: "failed: " + failure.description, after: nil)
        case .success(let response):
            switch response.status {
            case 200..<300:
                return .accepted
            case 429, 500..<600:
                let after = response.header("Retry-After").flatMap { retryAfter($0, now: now) }
                return .retry(reason: "answered \(describe(response))", after: after)
            case 300..<400:
                var reason = "answered \(response.status), a redirect"
                if let location = response.header("Location"), !location.isEmpty, location.utf8.count <= 2048,
                    location.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
                {
                    reason += " to " + HTTPURL.redacted(location)
                }
                return .rejected(
                    reason: reason + ", not followed: nothing was sent there; "
                        + "if that address is the collector, use it as the endpoint")
            default:
                return .rejected(reason: "answered \(describe(response))")
            }
        }
    }

    /// `503 Service Unavailable: the message`, with the body's message when it has one
    /// (an OTLP `Status`'s `message`, in JSON or, by its Content-Type, protobuf; or the
    /// first line of a text body).
    public static func describe(_ response: HTTPResponse) -> String {
        var text = String(response.status)
        let protobuf = response.header("Content-Type").flatMap(OTLPEncoding.of(contentType:)) == .protobuf
        if let message = message(in: response.body, protobuf: protobuf), !message.isEmpty {
            text += ": " + Escaping.terminal(message)
        }
        return text
    }

    /// The message of a response body, at most 200 characters on one line.
    static func message(in body: [UInt8], protobuf: Bool = false) -> String? {
        guard !body.isEmpty else { return nil }
        var message: String?
        if protobuf {
            // A collector answers a protobuf request's failure with a binary google.rpc.Status
            // (code = 1, message = 2): its bytes as text would be noise.
            message = statusMessage(protobuf: body)
        } else if case .object(let members)? = try? JSONParser.parse(body),
            case .string(let text)? = members.first(where: { $0.key == "message" })?.value
        {
            message = text
        } else if let text = String(validating: body.prefix(4096), as: UTF8.self) {
            message = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map(String.init)
        }
        guard var line = message?.filter({ !$0.isNewline && $0 != "\t" }) else { return nil }
        if line.count > 200 { line = String(line.prefix(200)) + "…" }
        return line
    }

    /// `google.rpc.Status.message` (field 2) of a protobuf body; nil when it has none or is malformed.
    static func statusMessage(protobuf body: [UInt8]) -> String? {
        var reader = ProtobufReader(bytes: body, range: 0..<body.count)
        var message: String?
        do throws(OTLPResponseError) {
            while let (field, wireType) = try reader.tag() {
                if field == 2, wireType == 2 {
                    message = String(decoding: body[try reader.lengthDelimited()], as: UTF8.self)
                } else {
                    try reader.skip(wireType)
                }
            }
        } catch {
            return nil
        }
        return message
    }

    /// A `Retry-After` value in nanoseconds: seconds (`120`) or an HTTP date
    /// (`Wed, 21 Oct 2015 07:28:00 GMT`); nil when it is neither.
    public static func retryAfter(_ text: String, now: Timestamp) -> UInt64? {
        let trimmed = text.trimmingCharacters(in: " \t")
        if !trimmed.isEmpty, trimmed.utf8.count <= 9, trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let seconds = UInt64(trimmed)
        {
            return seconds * 1_000_000_000
        }
        guard let date = httpDate(trimmed) else { return nil }
        let milliseconds = date.millisecondsSinceEpoch - now.millisecondsSinceEpoch
        return milliseconds > 0 ? UInt64(milliseconds) * 1_000_000 : 0
    }

    /// RFC 9110's IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDate(_ text: String) -> Timestamp? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int64(parts[1]), let year = Int64(parts[3]) else {
            return nil
        }
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let monthIndex = months.firstIndex(of: String(parts[2])) else { return nil }
        let time = parts[4].split(separator: ":")
        guard time.count == 3, let hour = Int64(time[0]), let minute = Int64(time[1]), let second = Int64(time[2]),
            (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = CivilCalendar.days(fromCivil: year, Int64(monthIndex + 1), day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second
        return Timestamp(millisecondsSinceEpoch: seconds * 1000)
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var scalars = Substring(self)
        while let first = scalars.first, set.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, set.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}
