import Foundation
import TLMExport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `HTTPTransport` over URLSession (libcurl on Linux): http and https, the
/// system's certificate store, proxies from the usual variables. Redirects are
/// never followed (see `RedirectRefusal`).
struct URLSessionTransport: HTTPTransport {
    private let session: URLSession

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
    }

    func send(_ request: HTTPRequest) -> Result<HTTPResponse, TransportFailure> {
        guard let url = URL(string: request.url.text) else {
            return .failure(TransportFailure("not a URL: \(request.url)"))
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = request.timeoutSeconds
        for header in request.headers { urlRequest.setValue(header.value, forHTTPHeaderField: header.name) }
        urlRequest.httpBody = Data(request.body)

        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: urlRequest) { data, response, error in
            if let error {
                box.result = .failure(
                    TransportFailure(
                        Self.describe(error, timeout: request.timeoutSeconds), isPermanent: Self.isPermanent(error)))
            } else if let http = response as? HTTPURLResponse {
                var headers: [(name: String, value: String)] = []
                for (name, value) in http.allHeaderFields {
                    headers.append((String(describing: name).lowercased(), String(describing: value)))
                }
                box.result = .success(
                    HTTPResponse(status: http.statusCode, headers: headers, body: data.map { [UInt8]($0) } ?? []))
            } else {
                box.result = .failure(TransportFailure("no HTTP response"))
            }
            done.signal()
        }
        task.resume()
        // URLSession enforces timeoutInterval only between bytes: bound the whole exchange too.
        if done.wait(timeout: .now() + request.timeoutSeconds + 1) == .timedOut {
            task.cancel()
            _ = done.wait(timeout: .now() + 5)
            return .failure(TransportFailure("no answer within \(Self.seconds(request.timeoutSeconds))"))
        }
        return box.result ?? .failure(TransportFailure("no HTTP response"))
    }

    /// `connection refused`, `timed out after 10s`, libcurl's own words otherwise.
    static func describe(_ error: Error, timeout: Double) -> String {
        let nsError = error as NSError
        switch nsError.code {
        case NSURLErrorTimedOut: return "no answer within \(seconds(timeout))"
        case NSURLErrorCannotConnectToHost: return "connection refused"
        case NSURLErrorCannotFindHost: return "host not found"
        case NSURLErrorNetworkConnectionLost: return "connection lost"
        case NSURLErrorNotConnectedToInternet: return "no network"
        case NSURLErrorSecureConnectionFailed, NSURLErrorServerCertificateUntrusted,
            NSURLErrorServerCertificateHasBadDate, NSURLErrorServerCertificateNotYetValid,
            NSURLErrorServerCertificateHasUnknownRoot:
            return "TLS failed: \(nsError.localizedDescription)"
        default:
            let underlying = (nsError.userInfo[NSUnderlyingErrorKey] as? NSError)?.userInfo[NSLocalizedDescriptionKey]
            return (underlying as? String) ?? nsError.localizedDescription
        }
    }

    /// TLS failures: a certificate that is not trusted stays so. On Linux libcurl's
    /// verification errors come as NSURLErrorUnknown with curl's message
    /// (`SSL certificate problem: …`, `SSL: no alternative certificate subject name …`).
    static func isPermanent(_ error: Error) -> Bool {
        let nsError = error as NSError
        if [
            NSURLErrorServerCertificateUntrusted, NSURLErrorServerCertificateHasBadDate,
            NSURLErrorServerCertificateNotYetValid, NSURLErrorServerCertificateHasUnknownRoot,
            NSURLErrorClientCertificateRejected,
        ].contains(nsError.code) {
            return true
        }
        return describe(error, timeout: 0).lowercased().contains("certificate")
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))s" : "\(value)s"
    }
}

/// The completion handler's result, read after the semaphore (which orders the accesses).
private final class ResultBox: @unchecked Sendable {
    var result: Result<HTTPResponse, TransportFailure>?
}

/// Answers every redirect with "do not follow": the 3xx itself then completes
/// the task and reaches `DeliveryPolicy`, which refuses it. Without this,
/// URLSession would send the body and the headers (an API key) to wherever
/// the `Location` points, and the events would count as delivered.
/// swift-corelibs-foundation asks the task's delegate, which is the session's,
/// even for a task with a completion handler (HTTPURLProtocol.redirectFor).
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
