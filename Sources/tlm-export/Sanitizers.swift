// Only read by LeakSanitizer, in a build made with `--sanitize=address`
// (Tests/sanitizers.sh); an ordinary build never calls it. libcurl and
// URLSession keep a few allocations for the life of the process on purpose:
// they are not tlm's leaks, and would otherwise fail every sanitized export.
@_cdecl("__lsan_default_suppressions")
public func leakSuppressions() -> UnsafePointer<CChar> {
    let text: StaticString = "leak:libcurl.so\nleak:FoundationNetworking\nleak:libFoundation\nleak:libdispatch\n"
    return UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}

/// And say nothing about them at exit: a sanitized tlm-export's stderr stays tlm's own.
@_cdecl("__lsan_default_options")
public func leakOptions() -> UnsafePointer<CChar> {
    let text: StaticString = "print_suppressions=0"
    return UnsafeRawPointer(text.utf8Start).assumingMemoryBound(to: CChar.self)
}
