import TLMRecorder
import TLMSystem

/// The delivery loop: sends a request, again after a backoff (or the server's
/// `Retry-After`) while `DeliveryPolicy` says to, until it is accepted,
/// refused, or out of retries.
public struct Delivery {
    /// What sends: URLSession in `tlm-export`, a script in tests.
    public var transport: any HTTPTransport
    /// Retries after the first attempt.
    public var retries: Int
    /// The wait before retry n (1-based) when the server names none, in nanoseconds.
    public var backoff: (Int) -> UInt64
    /// Told each retry before its wait (`… answered 503: retry 1/5 in 1s`), so that a long wait is explained.
    public var onRetry: (String) -> Void

    /// The first wait of the backoff (nanoseconds).
    public static let firstBackoff: UInt64 = 1_000_000_000
    /// The longest wait of the backoff (nanoseconds).
    public static let longestBackoff: UInt64 = 30_000_000_000

    public init(
        transport: any HTTPTransport, retries: Int, backoff: @escaping (Int) -> UInt64,
        onRetry: @escaping (String) -> Void = { _ in }
    ) {
        self.transport = transport
        self.retries = retries
        self.backoff = backoff
        self.onRetry = onRetry
    }

    /// Sends `request` until it is accepted (nil), else says why not.
    public func deliver(_ request: HTTPRequest) -> String? {
        if case .stopped(let reason) = send(request) { return reason }
        return nil
    }

    /// Sends `request` until it is accepted, and returns the accepting answer
    /// (OTLP reads its `partial_success`), else says why not.
    public func send(_ request: HTTPRequest) -> DeliveryResult {
        var retry = 0
        while true {
            let result = transport.send(request)
            switch DeliveryPolicy.outcome(result) {
            case .accepted:
                guard case .success(let response) = result else { return .stopped("\(request.url) failed") }
                return .accepted(response)
            case .rejected(let reason):
                return .stopped("\(request.url) \(reason)")
            case .retry(let reason, let after):
                guard retry < retries else {
                    if retries == 0 { return .stopped("\(request.url) \(reason)") }
                    return .stopped("\(request.url) \(reason) (after \(retries) retr\(retries == 1 ? "y" : "ies"))")
                }
                retry += 1
                let delay = after ?? backoff(retry)
                if delay > DeliveryPolicy.longestRetryAfter {
                    return .stopped(
                        "\(request.url) \(reason), and asks to wait \(DurationValue.text(nanoseconds: delay))")
                }
                onRetry(
                    "\(request.url) \(reason): retry \(retry)/\(retries) in \(DurationValue.text(nanoseconds: delay))")
                MonotonicClock.sleep(nanoseconds: delay)
            }
        }
    }
}

/// How a delivery ended.
public enum DeliveryResult: Sendable {
    /// A 2xx: the answer, which may hold a `partial_success`.
    case accepted(HTTPResponse)
    /// Refused, or out of retries: why, as a sentence naming the URL.
    case stopped(String)
}
