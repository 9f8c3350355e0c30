import CSystem

/// tlm's own argv, as the kernel gave it.
///
/// Not `CommandLine`: on Linux it finds argv by reading `/proc/self/maps`, so
/// where `/proc` is not mounted (some containers and chroots) it sees no
/// arguments, and `tlm run -- COMMAND` would not run COMMAND. The C side saves
/// argv before `main` (CSystem's `tlm_arguments`).
enum ProcessArguments {
    /// argv as C strings, passed on byte for byte, and their number. A function,
    /// not a stored global: a global costs a `swift_once` at start-up.
    static func raw() -> (argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>, count: Int) {
        var count: Int32 = 0
        if let argv = tlm_arguments(&count), count > 0 { return (argv, Int(count)) }
        return (CommandLine.unsafeArgv, Int(CommandLine.argc))
    }

    /// argv as text, for the option parser (bytes that are not UTF-8 repaired).
    static var strings: [String] {
        let (argv, count) = raw()
        return (0..<count).map { String(cString: argv[$0]!) }
    }
}
