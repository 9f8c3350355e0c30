/// The commands `tlm shell-init` can wrap: the one rule of `tlm config set
/// wrap`, `config.json`'s `wrap`, `TLM_WRAP` and `shell-init --wrap`.
///
/// A name must be one a shell function can have in bash, zsh and fish alike
/// (fish refuses a leading `-`; bash in POSIX mode and zsh read `a:b` or
/// `a=b` as something else), and must not be tlm itself (the wrapper would
/// call itself) or a word the shells, or the wrapper's own code, need.
public enum WrapList {
    /// The rule, as every message states it.
    public static let rule =
        "a command name is letters, digits and _ - . + (not first: - or .), not tlm or a shell keyword or builtin"
        + " (cd, exec, eval, ...); names are separated by commas"

    /// Whether `name` is a shell keyword or builtin that must keep its meaning, or tlm itself.
    /// A switch rather than a set: `tlm run` checks config.json's `wrap` on every start, and
    /// a switch over literals builds nothing.
    public static func isReserved(_ name: String) -> Bool {
        switch name {
        case "tlm", "tlm-export", "command", "builtin", "exec", "eval", "source", "cd", "export", "set", "unset",
            "alias", "unalias", "function", "functions", "type", "typeset", "local", "declare", "return", "exit", "if",
            "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "in", "time", "test",
            "echo", "printf", "read", "trap", "shift", "wait", "kill", "jobs", "fg", "bg", "end", "begin", "and", "or",
            "not", "switch", "emit", "status", "contains", "complete", "whence", "which", "hash", "enable", "disable",
            "true", "false":
            return true
        default:
            return false
        }
    }

    /// Whether `name` can be wrapped.
    public static func isWrappable(_ name: some StringProtocol) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "-"), first != UInt8(ascii: "."),
            name.utf8.allSatisfy({ byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "+")
            })
        else { return false }
        // __tlm_run, __tlm_wrapped…: the wrapper's own names.
        return !isReserved(String(name)) && !name.hasPrefix("__tlm")
    }

    /// The names in `text` (`make,terraform`; empty for none), or nil when one cannot be wrapped.
    public static func parse(_ text: String) -> [String]? {
        if text.isEmpty { return [] }
        let names = text.split(separator: ",", omittingEmptySubsequences: false)
        guard names.allSatisfy({ isWrappable($0) }) else { return nil }
        return names.map(String.init)
    }

    /// Why `text` is not a list `parse` takes: the first bad name, and the rule
    /// (`'a:b' cannot be wrapped: a command name is …`).
    public static func problem(_ text: String) -> String {
        let names = text.split(separator: ",", omittingEmptySubsequences: false)
        guard let bad = names.first(where: { !isWrappable($0) }) else { return "can be wrapped" }
        let what = bad.isEmpty ? "an empty name" : "'\(bad)'"
        return "\(what) cannot be wrapped: \(rule)"
    }
}
