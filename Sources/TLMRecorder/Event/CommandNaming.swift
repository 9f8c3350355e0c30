/// Derives the event's `command`, `target` and `domain` from a command line,
/// without ever keeping any other argument.
///
/// - `command`: the program's base name (`/usr/bin/make` → `make`).
/// - `target`: the first argument after the program that is neither an option
///   (`-x`, `--xx`, `--xx=v`), nor an option's value, nor a `NAME=value`
///   assignment; if that argument is not a plain word, or there is none, the
///   program's name. For make (and gmake, bmake, remake), the values of
///   `-C -f -I -o -W -E` (and their long forms) and a number after `-j`/`-l` are
///   the options' values. For other programs, which option takes a value is
///   unknown, so a word right after an option written without `=` is taken for
///   its value and skipped: `git -C repo status` → `status`, and
///   `curl -u alice:secret URL` never records the secret; after a cluster of
///   short options (`-nb`), which may take several values, no word is kept.
/// - `domain`: the value of the last `G=value` argument (the key is
///   configurable), when it is a plain word; else nil.
public struct CommandNaming: Sendable {
    /// The `NAME=` whose value is the domain.
    public var domainKey: String

    public init(domainKey: String = "G") {
        self.domainKey = domainKey
    }

    /// The program's base name, made a plain word.
    public static func commandName(_ program: String) -> String {
        var trimmed = Substring(program)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let base = trimmed.lastIndex(of: "/").map { trimmed[trimmed.index(after: $0)...] } ?? trimmed
        return PlainWord.sanitized(base)
    }

    /// The target of `arguments` (the program first, then its arguments).
    public func target(_ arguments: [String]) -> String {
        guard let program = arguments.first else { return "unknown" }
        let fallback = Self.commandName(program)
        let isMake = Self.isMake(fallback)
        var index = 1
        var operandsOnly = false  // after `--`
        var mayBeValue = false  // the previous argument was an option that may take this one
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if !operandsOnly && argument == "--" {
                operandsOnly = true
                mayBeValue = false
                continue
            }
            if !operandsOnly && argument.hasPrefix("-") {
                if isMake {
                    index += Self.makeValuesConsumed(
                        by: argument, next: index < arguments.count ? arguments[index] : nil)
                } else if argument == "-" {
                    mayBeValue = false  // standard input, as an operand
                } else if argument.hasPrefix("--") || argument.utf8.count == 2 {
                    mayBeValue = !argument.contains("=")
                } else if argument.utf8.dropFirst().allSatisfy(Self.isLetter) {
                    // A cluster (`-nb`) may take several values (`htpasswd -nb alice secret`):
                    // no word after it can be told from a value, so none is kept.
                    return fallback
                } else {
                    mayBeValue = false  // `-j4`: a value attached
                }
                continue
            }
            if mayBeValue {
                mayBeValue = false
                continue
            }
            if Self.isAssignment(argument) { continue }
            return PlainWord.isPlain(argument) ? argument : fallback
        }
        return fallback
    }

    /// The domain of `arguments`: the value of the last `KEY=value`, if a plain word.
    public func domain(_ arguments: [String]) -> String? {
        let prefix = domainKey + "="
        guard let last = arguments.dropFirst().last(where: { $0.hasPrefix(prefix) }) else { return nil }
        let value = last.dropFirst(prefix.count)
        return PlainWord.isPlain(value) ? String(value) : nil
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    /// `NAME=value`, with NAME made of plain-word characters (a URL with a query is not one).
    static func isAssignment(_ argument: String) -> Bool {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return false }
        return argument[..<equals].utf8.allSatisfy(PlainWord.isWordByte)
    }

    // Plain `switch`es rather than `Set`s: a `Set<String>` costs the Swift runtime a
    // generic instantiation at first use, measurable in `tlm run`'s start-up.

    static func isMake(_ command: String) -> Bool {
        switch command {
        case "make", "gmake", "bmake", "remake": return true
        default: return false
        }
    }

    /// make's options whose value may be the next argument: `-C dir`, `-f file`, `-I dir`, `-o file`,
    /// `-W file`, `-E string` (`--eval`, a line of makefile: may hold anything).
    static func makeShortTakesValue(_ letter: UInt8) -> Bool {
        switch letter {
        case UInt8(ascii: "C"), UInt8(ascii: "f"), UInt8(ascii: "I"), UInt8(ascii: "o"), UInt8(ascii: "W"),
            UInt8(ascii: "E"):
            return true
        default: return false
        }
    }

    static func makeLongTakesValue(_ option: String) -> Bool {
        switch option {
        case "--directory", "--file", "--makefile", "--include-dir", "--old-file", "--assume-old", "--what-if",
            "--new-file", "--assume-new", "--eval":
            return true
        default: return false
        }
    }

    /// Options whose value is optional, and taken from the next argument only when it is a number (`-j 4`).
    static func makeShortTakesNumber(_ letter: UInt8) -> Bool {
        letter == UInt8(ascii: "j") || letter == UInt8(ascii: "l")
    }

    static func makeLongTakesNumber(_ option: String) -> Bool {
        option == "--jobs" || option == "--load-average" || option == "--max-load"
    }

    /// How many of the following arguments an option of make's takes as its value (0 or 1).
    static func makeValuesConsumed(by option: String, next: String?) -> Int {
        let nextIsNumber =
            next.map { !$0.isEmpty && $0.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 46 } } ?? false
        if option.hasPrefix("--") {
            if option.contains("=") { return 0 }
            if makeLongTakesValue(option) { return next == nil ? 0 : 1 }
            if makeLongTakesNumber(option) { return nextIsNumber ? 1 : 0 }
            return 0
        }
        // A cluster of short options, as getopt reads it: `-sC dir`, `-Cdir`, `-j4`.
        let letters = Array(option.utf8.dropFirst())
        for (position, letter) in letters.enumerated() {
            let isLast = position == letters.count - 1
            if makeShortTakesValue(letter) { return isLast && next != nil ? 1 : 0 }
            if makeShortTakesNumber(letter) { return isLast && nextIsNumber ? 1 : 0 }
        }
        return 0
    }
}
