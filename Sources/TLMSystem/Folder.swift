/// Folder listing, over `opendir` and `readdir`.
public enum Folder {
    /// The names in the folder at `path`, `.` and `..` left out, in the order
    /// the system gives them; throws when it cannot be opened.
    public static func names(_ path: String) throws(Errno) -> [String] {
        guard let handle = opendir(path) else { throw .current }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Whether a folder is at `path`, links followed (a String or a C string's
    /// bytes: both reach C as this pointer).
    public static func exists(_ path: UnsafePointer<CChar>) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
