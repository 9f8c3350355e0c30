import TLMRecorder

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a whole file at once: to a temporary file beside it, then renamed
/// into place, so that a reader never sees half of it and a failure leaves
/// any earlier version whole. The file is private to the user (0600), like
/// everything tlm writes.
enum AtomicFile {
    /// Writes `text` to `path` with `mode` (0600 unless a reader of another user
    /// needs it); an error says what failed, as a sentence.
    static func save(_ text: String, to path: String, mode: mode_t = 0o600) throws(CLIError) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw .failure("cannot write \(path): not a file name") }
        var template = Array(((folder.isEmpty ? "" : folder) + "/." + name + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure(path, errno) }
        _ = fchmod(fd, mode)  // whatever the umask
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var code = Console.writeAll(fd, text)
        if code == 0 && fsync(fd) != 0 { code = errno }
        if close(fd) != 0 && code == 0 { code = errno }
        if code == 0 && rename(temporary, path) != 0 { code = errno }
        if code != 0 {
            unlink(temporary)
            throw failure(path, code)
        }
    }

    private static func failure(_ path: String, _ code: Int32) -> CLIError {
        .failure("cannot write \(path): \(SystemMessage.describe(code))")
    }
}
