import CZlib
import Glibc
import TLMExport

/// `BodyCompressor` over the system's zlib (libz.so.1, which `tlm` never
/// links): gzip streams as RFC 1952 has them, with no file name and a zero
/// time, so that the same body always gives the same bytes.
struct ZlibCompressor: BodyCompressor {
    /// zlib's level: -1 for its default (6), 0 to 9.
    var level: Int32 = -1

    func gzip(_ bytes: [UInt8]) -> Result<[UInt8], TransportFailure> {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = bytes.withUnsafeBufferPointer { tlm_gzip($0.baseAddress, $0.count, level, &out, &length) }
        guard status == 0, let out else { return .failure(Self.failure(status)) }
        defer { free(out) }
        return .success(Array(UnsafeBufferPointer(start: out, count: length)))
    }

    /// zlib fails only when it cannot allocate its state and buffers (a few
    /// hundred kilobytes), which trying again later may cure, or when it is
    /// called wrongly (a level out of range, another ABI), which it cannot.
    static func failure(_ status: Int32) -> TransportFailure {
        let names: [Int32: String] = [
            -2: "Z_STREAM_ERROR", -4: "Z_MEM_ERROR", -5: "Z_BUF_ERROR", -6: "Z_VERSION_ERROR",
        ]
        let name = names[status] ?? "error \(status)"
        if status == -4 { return TransportFailure("out of memory (zlib: \(name))") }
        return TransportFailure("zlib refused the call (\(name))", isPermanent: true)
    }
}
