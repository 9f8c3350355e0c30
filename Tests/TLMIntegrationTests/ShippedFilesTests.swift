import Glibc
import TLMCLI
import TLMRecorder
import TLMSupervisor
import TLMTestSupport
import Testing

/// The man page and the shell completions must describe exactly what the
/// parser accepts (`CommandCatalog`), be lint-clean, and load in their shells.
@Suite("Shipped files: man page and completions")
struct ShippedFilesTests {
    // MARK: - Every subcommand and option is there

    @Test("the man page names every subcommand and option")
    func manPageNamesEverything() throws {
        let page = try ShippedFile.manText()
        let missing = ShippedFile.allSpellings.filter { !page.containsToken($0) }
        #expect(missing.isEmpty, "man/tlm.1 lacks \(missing)")
    }

    @Test("the README names every subcommand and option")
    func readmeNamesEverything() throws {
        let readme = try ShippedFile.text("README.md")
        let missing = ShippedFile.allSpellings.filter { !readme.containsToken($0) }
        #expect(missing.isEmpty, "README.md lacks \(missing)")
    }

    @Test("README.fr.md names every flag, subcommand, config key and variable README.md names, and links back")
    func frenchGuideParity() throws {
        let english = try ShippedFile.text("README.md")
        let french = try ShippedFile.text("README.fr.md")
        // Every --flag written in the English README (tlm's and the few of other tools it quotes).
        var flags: Set<String> = []
        let bytes = Array(english.utf8)
        var index = 0
        while index + 2 < bytes.count {
            let starts = bytes[index] == 45 && bytes[index + 1] == 45 && (97...122).contains(bytes[index + 2])
            if starts && (index == 0 || !(bytes[index - 1] == 45 || (97...122).contains(bytes[index - 1]))) {
                var end = index + 2
                while end < bytes.count,
                    (97...122).contains(bytes[end]) || (48...57).contains(bytes[end]) || bytes[end] == 45
                {
                    end += 1
                }
                flags.insert(String(decoding: bytes[index..<end], as: UTF8.self))
                index = end
            } else {
                index += 1
            }
        }
        #expect(flags.count > 30)
        let named =
            flags.sorted()
            + ShippedFile.allSpellings.filter { english.containsToken($0) }
            + ConfigKey.all.flatMap { [$0.name, $0.environment] }.filter { english.containsToken($0) }
        let missing = ShippedFile.unique(named).filter { !french.containsToken($0) }
        #expect(missing.isEmpty, "README.fr.md lacks \(missing)")
        #expect(english.contains("(README.fr.md)") && french.contains("(README.md)"), "a link each way")
        #expect(french.contains("La version anglaise fait foi"))
    }

    @Test("the man page's synopsis shows every subcommand")
    func manPageSynopsis() throws {
        let synopsis = try ShippedFile.manSection("SYNOPSIS")
        let missing = CommandCatalog.commands.map { "tlm " + $0.name }.filter { !synopsis.containsToken($0) }
        #expect(missing.isEmpty, "the SYNOPSIS of man/tlm.1 lacks \(missing)")
    }

    @Test("the man page describes each subcommand with every option it takes")
    func manPageSubcommandEntries() throws {
        let entries = try ShippedFile.manSubcommandEntries()
        for command in CommandCatalog.commands {
            guard let entry = entries[command.name] else {
                Issue.record(
                    "SUBCOMMANDS in man/tlm.1 has no entry (.TP, then .B \(command.name)) for '\(command.name)'")
                continue
            }
            let missing = ShippedFile.spellings(command.options).filter { !entry.containsToken($0) }
            #expect(missing.isEmpty, "the entry for '\(command.name)' in man/tlm.1 lacks \(missing)")
        }
    }

    @Test("the man page's version is tlm's")
    func manPageVersion() throws {
        let header = try ShippedFile.manText().split(separator: "\n").first { $0.hasPrefix(".TH ") } ?? "no .TH line"
        let version = "\"tlm \(CommandCatalog.version)\""
        #expect(header.contains(version), "man/tlm.1 should say \(version) in \(header)")
    }

    @Test(
        "each completion script names every subcommand and option",
        arguments: ShippedFile.completions)
    func completionNamesEverything(_ script: String) throws {
        let text = try ShippedFile.text(script)
        // fish spells options as `-l target` and `-s h`; bash and zsh as on the command line.
        let fish = script.hasSuffix(".fish")
        var spellings = CommandCatalog.commands.map(\.name)
        for option in ShippedFile.allOptions {
            spellings.append(fish ? "-l " + option.long.dropFirst(2) : option.long)
            if let short = option.short { spellings.append(fish ? "-s " + short.dropFirst() : short) }
        }
        let missing = ShippedFile.unique(spellings).filter { !text.containsToken($0) }
        #expect(missing.isEmpty, "\(script) lacks \(missing)")
    }

    // MARK: - Lint and syntax

    @Test("each man page is clean under mandoc -T lint -W warning", arguments: ShippedFile.manPages)
    func manPageMandocLint(_ page: String) throws {
        let run = try ShippedFileTool.run("mandoc", ["-T", "lint", "-W", "warning", ShippedFile.path(page)])
        #expect(
            run.status == .exited(0) && run.stdout.isEmpty && run.stderr.isEmpty, "mandoc: \(run.text)\(run.errorText)")
    }

    @Test("each man page is clean under groff -man -ww -z", arguments: ShippedFile.manPages)
    func manPageGroffLint(_ page: String) throws {
        let run = try ShippedFileTool.run("groff", ["-man", "-ww", "-z", ShippedFile.path(page)])
        #expect(
            run.status == .exited(0) && run.stdout.isEmpty && run.stderr.isEmpty, "groff: \(run.text)\(run.errorText)")
    }

    @Test(
        "each completion script is valid in its shell",
        arguments: [
            ("bash", ["-n"], "completions/tlm.bash"),
            ("zsh", ["-n"], "completions/_tlm"),
            ("fish", ["--no-execute"], "completions/tlm.fish"),
        ])
    func completionSyntax(_ shell: String, _ flags: [String], _ script: String) throws {
        let run = try ShippedFileTool.run(shell, flags + [ShippedFile.path(script)])
        #expect(
            run.status == .exited(0) && run.stderr.isEmpty,
            "\(shell) \(flags.joined(separator: " ")) \(script): \(run.errorText)")
    }

    // MARK: - The completions complete

    @Test(
        "bash completes subcommands and options",
        arguments: [
            (["tlm", "st"], ["status"]),
            (["tlm", "log", "--ta"], ["--target"]),
            (["tlm", "help", "l"], ["log"]),
            (["tlm", "run", "--do"], ["--domain"]),
            (["tlm", "log", "--target", ""], []),
            (["tlm", "export", "otlp", "--protocol", ""], ["http/protobuf", "http/json"]),
            (["tlm", "export", "otlp", "--protocol", "http/j"], ["http/json"]),
            (["tlm", "export", "otlp", "--compression", ""], ["gzip", "none"]),
        ])
    func bashCompletes(_ words: [String], _ expected: [String]) throws {
        #expect(try ShippedFileTool.bashCompletions(words) == expected)
    }

    @Test("bash offers exactly tlm's subcommands and global options")
    func bashTopLevel() throws {
        #expect(try ShippedFileTool.bashCompletions(["tlm", ""]) == CommandCatalog.commands.map(\.name))
        let offered = try ShippedFileTool.bashCompletions(["tlm", "-"])
        #expect(Set(offered) == Set(ShippedFile.spellings(CommandCatalog.globalOptions)))
    }

    @Test("bash offers exactly each subcommand's options", arguments: CommandCatalog.commands.map(\.name))
    func bashOptions(_ name: String) throws {
        let command = try #require(CommandCatalog.command(name))
        // `run` also offers `--`, which ends its options.
        let offered = try ShippedFileTool.bashCompletions(["tlm", name, "-"]).filter { $0 != "--" }
        #expect(Set(offered) == Set(ShippedFile.spellings(command.options)))
    }

    @Test("fish offers exactly each subcommand's options", arguments: CommandCatalog.commands.map(\.name))
    func fishOptions(_ name: String) throws {
        let command = try #require(CommandCatalog.command(name))
        #expect(
            Set(try ShippedFileTool.fishCompletions("tlm \(name) -")) == Set(ShippedFile.spellings(command.options)))
    }

    @Test("bash, zsh and fish offer export otlp's protocols and compressions")
    func exportValues() throws {
        #expect(try ShippedFileTool.fishCompletions("tlm export otlp --protocol ") == ["http/json", "http/protobuf"])
        #expect(Set(try ShippedFileTool.fishCompletions("tlm export otlp --compression ")) == ["gzip", "none"])
        let zsh = try ShippedFile.text("completions/_tlm")
        #expect(zsh.contains(":protocol:(http/protobuf http/json)'") && zsh.contains(":compression:(gzip none)'"))
    }

    @Test("fish offers exactly tlm's subcommands and global options")
    func fishTopLevel() throws {
        #expect(Set(try ShippedFileTool.fishCompletions("tlm ")) == Set(CommandCatalog.commands.map(\.name)))
        #expect(
            Set(try ShippedFileTool.fishCompletions("tlm -"))
                == Set(ShippedFile.spellings(CommandCatalog.globalOptions)))
    }
}

/// The files shipped beside the binary, read from the package's own checkout.
enum ShippedFile {
    static let manPage = "man/tlm.1"
    /// Every man page shipped (make install, the .debs, the archive): each must lint clean.
    static let manPages = [manPage, "man/tlm-export.1"]
    static let completions = ["completions/tlm.bash", "completions/_tlm", "completions/tlm.fish"]

    /// The package root: three levels above this file (Tests/TLMIntegrationTests/ShippedFilesTests.swift).
    static let root: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    static func path(_ relative: String) -> String { root + "/" + relative }

    static func text(_ relative: String) throws -> String {
        let bytes = try #require(readFile(path(relative)), "cannot read \(path(relative))")
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The man page with `\-` (a minus sign in roff) read as `-`.
    static func manText() throws -> String {
        try text(manPage).replacing("\\-", with: "-")
    }

    /// The lines of one `.SH` section of the man page, without its heading.
    static func manSection(_ name: String) throws -> String {
        var lines: [Substring] = []
        var inside = false
        for line in try manText().split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix(".SH ") {
                if inside { break }
                inside = line.dropFirst(4).trimmingQuotes == name
                continue
            }
            if inside { lines.append(line) }
        }
        return lines.joined(separator: "\n")
    }

    /// Each subcommand's entry in SUBCOMMANDS: from its `.TP` / `.B NAME` tag to
    /// the next tag at the same level (options are nested in `.RS`/`.RE`).
    static func manSubcommandEntries() throws -> [String: String] {
        let names = Set(CommandCatalog.commands.map(\.name))
        var entries: [String: String] = [:]
        var current: String?
        var depth = 0
        var tagNext = false
        for line in try manSection("SUBCOMMANDS").split(separator: "\n") {
            if line.hasPrefix(".SS") {
                current = nil
                continue
            }
            if line == ".RS" || line.hasPrefix(".RS ") { depth += 1 }
            if line == ".RE" || line.hasPrefix(".RE ") { depth -= 1 }
            if depth == 0, line == ".TP" || line.hasPrefix(".TP ") {
                tagNext = true
                continue
            }
            if tagNext {
                tagNext = false
                let words = line.split(separator: " ")
                current =
                    words.count > 1 && words[0] == ".B" && names.contains(String(words[1])) ? String(words[1]) : nil
            }
            if let current { entries[current, default: ""] += line + "\n" }
        }
        return entries
    }

    static var allOptions: [OptionSpec] {
        CommandCatalog.globalOptions + CommandCatalog.commands.flatMap(\.options)
    }

    /// The long and short spellings of `options`.
    static func spellings(_ options: [OptionSpec]) -> [String] {
        unique(options.flatMap { [$0.long] + ($0.short.map { [$0] } ?? []) })
    }

    /// Every subcommand name and option spelling the parser knows.
    static var allSpellings: [String] {
        unique(CommandCatalog.commands.map(\.name) + spellings(allOptions))
    }

    static func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }
}

/// The outside programs these tests drive. A missing one fails the test:
/// `make check` installs them all (.ci/deps.sh).
enum ShippedFileTool {
    static let searchPath = getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin"

    /// Runs `name` with `arguments` in a bare environment and waits for it.
    static func run(_ name: String, _ arguments: [String]) throws -> Spawned {
        guard case .found(let path) = ExecutableLookup.resolve(name, searchPath: searchPath) else {
            throw MissingTool(name: name)
        }
        let home = TemporaryFolder()
        return try Spawned.run(
            [path] + arguments, environment: ["PATH": searchPath, "HOME": home.path, "LC_ALL": "C"],
            directory: ShippedFile.root, timeout: 30)
    }

    /// What completions/tlm.bash puts in COMPREPLY for `words`, the last being
    /// the word under the cursor.
    static func bashCompletions(_ words: [String]) throws -> [String] {
        let script = """
            source "$1" || exit 1
            shift
            COMP_WORDS=("$@")
            COMP_CWORD=$(($# - 1))
            COMP_LINE="$*"
            COMP_POINT=${#COMP_LINE}
            _tlm tlm "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let process = try run(
            "bash", ["--norc", "--noprofile", "-c", script, "bash", ShippedFile.path("completions/tlm.bash")] + words)
        #expect(process.status == .exited(0) && process.stderr.isEmpty, "bash: \(process.errorText)")
        return process.text.split(separator: "\n").map(String.init)
    }

    /// What completions/tlm.fish offers for `line` (the cursor at its end), without descriptions.
    static func fishCompletions(_ line: String) throws -> [String] {
        let process = try run(
            "fish",
            [
                "--no-config", "-c", "source $argv[1]; and complete -C $argv[2]",
                ShippedFile.path("completions/tlm.fish"), line,
            ])
        #expect(process.status == .exited(0) && process.stderr.isEmpty, "fish: \(process.errorText)")
        return process.text.split(separator: "\n").map { String($0.prefix { $0 != "\t" }) }
    }

    struct MissingTool: Error, CustomStringConvertible {
        let name: String
        var description: String {
            "\(name) is not installed: run 'make check', which installs what the tests need (.ci/deps.sh)"
        }
    }
}

extension StringProtocol {
    /// Whether `token` occurs here as a whole: not glued to a letter, digit, `-` or `_` on either side
    /// (so `-h` is not found inside `--help`, nor `on` inside `json`).
    func containsToken(_ token: String) -> Bool {
        let haystack = Array(utf8)
        let needle = Array(token.utf8)
        guard !needle.isEmpty, needle.count <= haystack.count else { return false }
        func glues(_ byte: UInt8) -> Bool {
            switch byte {
            case 48...57, 65...90, 97...122, 45, 95: return true  // 0-9 A-Z a-z - _
            default: return false
            }
        }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<start + needle.count].elementsEqual(needle) {
            let end = start + needle.count
            if (start == 0 || !glues(haystack[start - 1])) && (end == haystack.count || !glues(haystack[end])) {
                return true
            }
        }
        return false
    }

    /// The text without the double quotes a roff heading may be wrapped in.
    fileprivate var trimmingQuotes: String {
        var text = String(self)
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
        return text
    }
}
