#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system's description of an errno value, with a lower-case first letter
/// ("read-only file system"), as it reads in the middle of tlm's sentences
/// ("cannot write FILE: read-only file system"). Shared by every module, so
/// that all of tlm's messages read alike.
public enum SystemMessage {
    public static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        var message = String(cString: text)
        if let first = message.first, first.isUppercase, !message.dropFirst().prefix(1).allSatisfy(\.isUppercase) {
            message = first.lowercased() + message.dropFirst()
        }
        return message
    }
}
