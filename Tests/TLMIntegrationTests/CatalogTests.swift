import TLMRecorder
import TLMTestSupport
import Testing

@testable import TLMCLI

/// The catalog of subcommands: one type per subcommand, found by its name,
/// whose usage errors name it (the spec they are given, not a string).
@Suite("command catalog")
struct CatalogTests {
    @Test("each subcommand's name is unique and routes to its own type, in the catalog's order")
    func namesAreUniqueAndRoutable() {
        let names = CommandCatalog.subcommands.map { $0.spec.name }
        #expect(Set(names).count == names.count)
        #expect(
            names == ["run", "on", "off", "status", "report", "config", "export", "shell-init", "clear", "log", "help"])
        #expect(CommandCatalog.commands == CommandCatalog.subcommands.map { $0.spec })
        for type in CommandCatalog.subcommands {
            let found = CommandCatalog.subcommand(type.spec.name)
            #expect(found.map(ObjectIdentifier.init) == ObjectIdentifier(type), "\(type.spec.name)")
        }
        #expect(CommandCatalog.subcommand("frobnicate") == nil)
    }

    /// One usage error of each subcommand's own, and the line it prints.
    static let usageErrors: [(arguments: [String], message: String)] = [
        (["frobnicate"], "tlm: unknown subcommand 'frobnicate' (try 'tlm --help')"),
        (
            ["run", "--timeout", "x", "--", "true"],
            "tlm run: --timeout 'x' is not a duration: use 90, 90s, 1.5s, .5, 500ms, 10m, 1h30m, 2d (at most a year)"
                + " (try 'tlm run --help')"
        ),
        (["on", "extra"], "tlm on: unexpected argument 'extra' (try 'tlm on --help')"),
        (["off", "extra"], "tlm off: unexpected argument 'extra' (try 'tlm off --help')"),
        (["status", "extra"], "tlm status: unexpected argument 'extra' (try 'tlm status --help')"),
        (
            ["report", "--format", "xml"],
            "tlm report: --format 'xml' is not a format: use text, json, csv or markdown (try 'tlm report --help')"
        ),
        (
            ["config", "frob"],
            "tlm config: unknown action 'frob': use list, get KEY, set KEY VALUE or unset KEY (try 'tlm config --help')"
        ),
        (
            ["export", "xml"],
            "tlm export: unknown format 'xml': use json, csv, otlp, prometheus (try 'tlm export --help')"
        ),
        (
            ["shell-init", "tcsh"],
            "tlm shell-init: unknown shell 'tcsh': use bash, zsh or fish (try 'tlm shell-init --help')"
        ),
        (["clear", "extra"], "tlm clear: unexpected argument 'extra' (try 'tlm clear --help')"),
        (
            ["log", "--target", "sync", "--duration", "x", "--exit-code", "0"],
            "tlm log: --duration must be seconds (1.5) or a duration (1.5s, 90s, 2m), 0 or more, not 'x'"
                + " (try 'tlm log --help')"
        ),
        (
            ["help", "nope"],
            "tlm help: no help for 'nope': the subcommands are run, on, off, status, report, config, export,"
                + " shell-init, clear, log, help (try 'tlm help --help')"
        ),
    ]

    @Test("each subcommand's own usage error names it, as one line, with 64 (run: 125)", arguments: usageErrors)
    func ownUsageError(arguments: [String], message: String) throws {
        #expect(try usageMessage(arguments) == message)
        let run = try Sandbox().tlm(arguments)
        #expect(run.errorLines == [message])
        #expect(run.status == .exited(arguments.first == "run" ? 125 : 64))
        #expect(run.stdout.isEmpty)
    }

    @Test("a bad option names the subcommand it was given to", arguments: CommandCatalog.commands.map(\.name))
    func badOption(name: String) throws {
        let subcommands = CommandCatalog.commands.map(\.name).joined(separator: ", ")
        let text =
            name == "help"
            ? "no help for '--no-such-option': the subcommands are \(subcommands)" : "unknown option '--no-such-option'"
        let message = "tlm \(name): \(text) (try 'tlm \(name) --help')"
        #expect(try usageMessage([name, "--no-such-option"]) == message)
        let run = try Sandbox().tlm([name, "--no-such-option"])
        #expect(run.errorLines == [message])
        #expect(run.status == .exited(name == "run" ? 125 : 64))
    }

    /// The usage error's line, from the code itself rather than the binary: `run`'s
    /// options are read by `RunOptions` (routing to it would run the command).
    private func usageMessage(_ arguments: [String]) throws -> String? {
        do {
            if arguments.first == "run" {
                _ = try RunOptions.parse(["tlm"] + arguments)
            } else {
                let sandbox = Sandbox()
                _ = try CLI.route(arguments, environment: Environment(sandbox.environment), network: nil)
            }
        } catch {
            guard case .usage = error else { return "not a usage error: \(error.message)" }
            return error.message
        }
        return nil
    }
}
