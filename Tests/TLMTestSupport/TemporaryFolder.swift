import TLMSystem

/// A fresh folder under /tmp, removed with everything in it when released.
public final class TemporaryFolder: @unchecked Sendable {
    public let path: String

    public init() {
        var template = Array("/tmp/tlm-test-XXXXXX".utf8CString)
        path = String(cString: mkdtemp(&template)!)
    }

    deinit {
        _ = try? Spawned.run(["/bin/rm", "-rf", path], environment: [:])
    }

    /// Writes `bytes` to `name` (relative to the folder), replacing it.
    public func write(_ name: String, _ bytes: [UInt8], mode: mode_t = 0o600) {
        let fd = open(path + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, mode)
        precondition(fd >= 0, "cannot write \(name)")
        bytes.withUnsafeBytes { writeAll(fd, $0) }
        fchmod(fd, mode)
        close(fd)
    }

    public func write(_ name: String, _ text: String, mode: mode_t = 0o600) {
        write(name, Array(text.utf8), mode: mode)
    }

    /// The bytes of `name`, or nil when it cannot be read.
    public func bytes(_ name: String) -> [UInt8]? {
        readFile(name.hasPrefix("/") ? name : path + "/" + name)
    }

    public func text(_ name: String) -> String? {
        bytes(name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The permission bits of `name` ("" for the folder itself), or nil when it does not exist.
    public func mode(_ name: String) -> mode_t? {
        var info = stat()
        guard lstat(name.isEmpty ? path : path + "/" + name, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    public func exists(_ name: String) -> Bool { mode(name) != nil }

    /// The names in a folder (relative to this one), sorted, without `.` and `..`.
    public func list(_ name: String) throws -> [String] {
        guard let folder = opendir(path + "/" + name) else { throw Spawned.Failure(description: "cannot list \(name)") }
        defer { closedir(folder) }
        var names: [String] = []
        while let entry = readdir(folder) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if entryName != "." && entryName != ".." { names.append(entryName) }
        }
        return names.sorted()
    }
}

/// Reads a whole file.
public func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = read(fd, &buffer, buffer.count)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        out += buffer[0..<n]
    }
    return out
}

/// Writes every byte, retrying short writes.
public func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        offset += n
    }
}
