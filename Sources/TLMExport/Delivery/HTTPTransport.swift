import TLMRecorder

/// One HTTP request, as export sends it.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The address: a transport sends to `url.text`; messages print `url`, its query hidden.
    public var url: HTTPURL
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// The longest wait for the whole exchange, in seconds.
    public var timeoutSeconds: Double

    public init(
        method: String, url: HTTPURL, headers: [(name: String, value: String)], body: [UInt8],
        timeoutSeconds: Double
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutSeconds = timeoutSeconds
    }
}

/// The answer to a request: a status, headers (names lowercased) and body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}

/// Sends HTTP requests. `tlm` itself has none (it stays free of libcurl, see
/// `tlm-export`); `tlm-export` provides one over URLSession, tests their own.
///
/// A transport never follows a redirect: it returns the 3xx as the answer
/// (which `DeliveryPolicy` refuses), so that neither the body nor the headers
/// (an API key) go to an address the user did not give.
public protocol HTTPTransport {
    /// The response, or a sentence saying why there is none (refused, timed out, TLS…).
    func send(_ request: HTTPRequest) -> Result<HTTPResponse, TransportFailure>
}

/// Why no response came.
public struct TransportFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    /// Whether trying again cannot help (a certificate that is not trusted).
    public var isPermanent: Bool
    public init(_ description: String, isPermanent: Bool = false) {
        self.description = description
        self.isPermanent = isPermanent
    }
}
