/// Compresses a request body for `Content-Encoding: gzip`. `tlm` itself has none
/// (it links no zlib, as it links no libcurl); `tlm-export` provides one over the
/// system's libz.so.1, tests their own.
public protocol BodyCompressor: Sendable {
    /// The gzip stream (RFC 1952) of `bytes`, or a sentence saying why there is none.
    func gzip(_ bytes: [UInt8]) -> Result<[UInt8], TransportFailure>
}
