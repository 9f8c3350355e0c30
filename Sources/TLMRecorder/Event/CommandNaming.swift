/// Derives the event's `command`, `target` and `domain` from a command line,
/// without ever keeping any other argument.
///
/// - `command`: the program's base name (`/usr/bin/make` → `make`).
/// - `target`: the program's name, unless the program is one whose first
///   operand names a target or a subcommand (`make apply`, `git status`: see
///   `builtInProgram(_:)`, edited by the `target_programs` key); then the first
///   argument after the program that is neither an option (`-x`, `--xx`,
///   `--xx=v`), nor an option's value, nor a `NAME=value` assignment, if it is
///   a plain word (and, for a subcommand tool, holds no `.`: a file name, as in
///   `swift script.swift`). Any other program's operands may be host, user or
///   database names, files or secrets (`ssh prod-db`, `psql customers`), so
///   none is kept. For make (and gmake, bmake, remake), the values of
///   `-C -f -I -o -W -E` (and their long forms) and a number after `-j`/`-l` are
///   the options' values. For other programs, which option takes a value is
///   unknown, so a word right after an option written without `=` is taken for
///   its value and skipped: `git -C repo status` → `status`; after a cluster of
///   short options (`-nb`), which may take several values, no word is kept.
/// - `domain`: the value of the last `G=value` operand (the key is
///   configurable), when it is a plain word; never an option's value, read
///   as above (`curl -d G=x` has none); else nil.
public struct CommandNaming: Sendable {
    /// The `NAME=` whose value is the domain.
    public var domainKey: String
    /// The `target_programs` key: `name` or `+name` adds a program whose first
    /// operand is its target, `-name` removes one; the last mention of a name wins.
    public var programEdits: [String]

    public init(domainKey: String = "G", programEdits: [String] = []) {
        self.domainKey = domainKey
        self.programEdits = programEdits
    }

    /// How a program's first operand is read.
    enum Program {
        /// make's own options are known: their values are skipped exactly.
        case make
        /// A task runner or a program added by `target_programs`: the first operand is a target.
        case runner
        /// A tool whose first operand is a subcommand (`git status`): a word with a `.` is a file, not one.
        case subcommandTool
    }

    /// The program's base name, made a plain word.
    public static func commandName(_ program: String) -> String {
        var trimmed = Substring(program)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let base = trimmed.lastIndex(of: "/").map { trimmed[trimmed.index(after: $0)...] } ?? trimmed
        return PlainWord.sanitized(base)
    }

    /// How `command` (a base name) names its target, after `programEdits`; nil: by its name alone.
    func program(_ command: String) -> Program? {
        for edit in programEdits.reversed() {
            if edit.hasPrefix("-") {
                if edit.utf8.dropFirst().elementsEqual(command.utf8) { return nil }
            } else if edit == command || (edit.hasPrefix("+") && edit.utf8.dropFirst().elementsEqual(command.utf8)) {
                return Self.builtInProgram(command) ?? .runner
            }
        }
        return Self.builtInProgram(command)
    }

    /// Whether `command` (a base name) names its target by an operand (`make apply`), after `programEdits`.
    public func readsTarget(_ command: String) -> Bool { program(command) != nil }

    /// The target of `arguments` (the program first, then its arguments).
    public func target(_ arguments: [String]) -> String {
        guard let program = arguments.first else { return "unknown" }
        let fallback = Self.commandName(program)
        guard let kind = self.program(fallback) else { return fallback }
        var found: String?
        scanOperands(arguments, isMake: kind == .make) { operand in
            if Self.isAssignment(operand) { return true }
            found = operand
            return false
        }
        guard let found, PlainWord.isPlain(found), !(kind == .subcommandTool && found.utf8.contains(UInt8(ascii: ".")))
        else {
            return fallback
        }
        return found
    }

    /// The domain of `arguments`: the value of the last `KEY=value` operand, if a plain word.
    public func domain(_ arguments: [String]) -> String? {
        guard let first = arguments.first else { return nil }
        let prefix = domainKey + "="
        var last: String?
        scanOperands(arguments, isMake: program(Self.commandName(first)) == .make) { operand in
            if operand.hasPrefix(prefix) { last = operand }
            return true
        }
        guard let value = last?.dropFirst(prefix.count), PlainWord.isPlain(value) else { return nil }
        return String(value)
    }

    /// Calls `body` with each operand of `arguments` (after the program) that is
    /// not an option nor possibly an option's value, until `body` returns false.
    func scanOperands(_ arguments: [String], isMake: Bool, _ body: (String) -> Bool) {
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
                    // no word after it can be told from a value, so none is read.
                    return
                } else {
                    mayBeValue = false  // `-j4`: a value attached
                }
                continue
            }
            if mayBeValue {
                mayBeValue = false
                continue
            }
            if !body(argument) { return }
        }
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

    /// The programs whose first operand is a target or a subcommand, as shipped
    /// (README, "What is recorded", lists them; `target_programs` edits them).
    /// Left out on purpose: wrappers (`sudo`, `env`, `npx`, `python3 -m`, `sh -c`),
    /// whose operand is another command line, and `ansible`, whose first operand is a host pattern.
    static func builtInProgram(_ command: String) -> Program? {
        switch command {
        case "make", "gmake", "bmake", "remake":
            return .make
        case "just", "task", "ninja", "rake", "mage", "invoke", "scons", "ant", "gulp", "grunt":
            return .runner
        case "git", "cargo", "go", "npm", "pnpm", "yarn", "bun", "deno", "docker", "docker-compose", "podman",
            "kubectl", "helm", "terraform", "tofu", "terragrunt", "pulumi", "packer", "vagrant", "swift", "dotnet",
            "gradle", "gradlew", "mvn", "mvnw", "bazel", "bazelisk", "nix", "poetry", "uv", "pip", "pip3", "pipenv",
            "composer", "bundle", "mix", "sbt", "lein", "dune", "zig", "flutter", "dart", "rustup", "cabal", "stack",
            "nx", "turbo":
            return .subcommandTool
        default:
            return nil
        }
    }

    /// Whether `text` is a valid `target_programs` value: comma-separated names,
    /// each plain and alone (adds) or after `+` (adds) or `-` (removes); empty for none.
    public static func isProgramEditList(_ text: String) -> Bool {
        text.isEmpty || text.split(separator: ",", omittingEmptySubsequences: false).allSatisfy(isProgramEdit)
    }

    /// `name`, `+name` or `-name`, the name a plain word that starts with no sign.
    public static func isProgramEdit(_ edit: some StringProtocol) -> Bool {
        let name = edit.hasPrefix("+") || edit.hasPrefix("-") ? edit.dropFirst() : edit[...]
        return PlainWord.isPlain(name) && !name.hasPrefix("-")
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
