import Foundation
import Glibc
import TLMRecorder
import TLMTestSupport
import Testing

/// What tlm writes for another program to read, read by that program: words
/// evaluated by real bash, zsh and fish, the Prometheus exposition parsed by
/// `prometheus_client` and `promtool`, and what reaches a terminal.
@Suite("output escaping")
struct OutputEscapingTests {
    let sandbox = Sandbox()

    /// Strings that broke an escaper that compared `Character`s, or that a
    /// shell, a parser or a terminal gives a meaning to.
    static let nasty = [
        "x'\u{301};touch PWNED;'\u{301}", "\"\u{301}", "\u{600}\"", "a\r\nb", "line1\nline2",
        "$(touch PWNED)`touch PWNED`",
        "back\\slash\\'", "it's", "\\n", "tab\there", "é e\u{301} 日本", "-x", "=1+1", "trailing\\", "'", "''\\''",
        "\u{1B}]52;c;SGVsbG8=\u{7}", "%s %n", "!!", "*", "~root", "{a,b}",
    ]

    /// The escaped words, printed by `printf '%s'` in `shell`, one per line of the script.
    func evaluated(_ words: [String], shell: String) throws -> [[UInt8]] {
        let quote = shell == "fish" ? Escaping.fishSingleQuoted : Escaping.shellSingleQuoted
        let script = words.map { "printf '%s' \(quote($0)); printf '\\000'" }.joined(separator: "\n")
        let command =
            shell == "fish"
            ? ["fish", "--no-config", "-c", script]
            : shell == "bash" ? ["bash", "--norc", "--noprofile", "-c", script] : ["zsh", "-f", "-c", script]
        let result = try Spawned.run(command, environment: sandbox.environment, directory: sandbox.folder.path)
        #expect(result.status == .exited(0), "\(shell): \(result.errorText)")
        return result.stdout.split(separator: 0, omittingEmptySubsequences: false).dropLast().map(Array.init)
    }

    @Test("a quoted word evaluated by the real shell is the input, byte for byte", arguments: ["bash", "zsh", "fish"])
    func shellWordsRoundTrip(shell: String) throws {
        let words = try evaluated(Self.nasty, shell: shell)
        #expect(words == Self.nasty.map { Array($0.utf8) })
        #expect(!sandbox.folder.exists("PWNED"))
    }

    @Test(
        "shell-init from a folder named x'\u{301};touch PWNED;'\u{301}: nothing runs but the wrapper, which works",
        arguments: ["bash", "zsh", "fish"])
    func shellInitFromHostilePath(shell: String) throws {
        let folder = sandbox.folder.path + "/x'\u{301};touch PWNED;'\u{301}"
        #expect(mkdir(folder, 0o755) == 0)
        let copy = folder + "/tlm"
        try FileManager.default.copyItem(atPath: TLMBinary.path, toPath: copy)
        try sandbox.on()
        sandbox.folder.write("Makefile", "tlm-alpha:\n\t@echo alpha\n")
        let generate = "\"$TLM_UNDER_TEST\" shell-init \(shell) --wrap make"
        let initLine = shell == "fish" ? "\(generate) | source" : "eval \"$(\(generate))\""
        let script = "\(initLine); make tlm-alpha; echo st=\(shell == "fish" ? "$status" : "$?")"
        let command =
            shell == "fish"
            ? ["fish", "--no-config", "-c", script]
            : shell == "bash" ? ["bash", "--norc", "--noprofile", "-c", script] : ["zsh", "-f", "-c", script]
        // A UTF-8 locale: in the C locale fish reads the path's non-ASCII bytes as other
        // characters, finds no tlm there and wraps nothing (safe, but nothing to test).
        let result = try Spawned.run(
            command, environment: sandbox.environment.merging(["TLM_UNDER_TEST": copy, "LC_ALL": "C.UTF-8"]) { $1 },
            directory: sandbox.folder.path)
        #expect(!sandbox.folder.exists("PWNED"), "\(shell) ran code from tlm's path")
        #expect(!FileManager.default.fileExists(atPath: folder + "/PWNED"))
        #expect(result.text == "alpha\nst=0\n", "\(result.errorText)")
        #expect(sandbox.events.compactMap { $0 }.map(\.target) == ["tlm-alpha"])
    }

    @Test("shell-init from a folder whose name is not UTF-8: a warning that nothing will be wrapped, and no wrapper")
    func shellInitFromNonUTF8Path() throws {
        // Only bash can name such a folder here: a Swift String cannot hold the byte 0xFF.
        let script =
            "mkdir $'x\\xffy' && cp \"$TLM_UNDER_TEST\" $'x\\xffy/tlm'; "
            + "eval \"$($'./x\\xffy/tlm' shell-init bash --wrap make)\"; type -t make"
        let result = try Spawned.run(
            ["bash", "--norc", "--noprofile", "-c", script],
            environment: sandbox.environment.merging(["TLM_UNDER_TEST": TLMBinary.path]) { $1 },
            directory: sandbox.folder.path)
        #expect(
            result.errorText.contains("is not tlm's path (a folder name that is not UTF-8?)"), "\(result.errorText)")
        #expect(result.text == "file\n")
    }

    @Test("Prometheus label values: prometheus_client reads every target back, and promtool accepts the file")
    func prometheusLabelsParsedBack() throws {
        try sandbox.on()
        var log = ""
        for (index, target) in Self.nasty.enumerated() {
            log += EventEncoder.line(
                Event(
                    timestamp: Timestamp(millisecondsSinceEpoch: 1_780_000_000_000 + Int64(index) * 1000),
                    target: target, domain: target, durationSeconds: 1, exitCode: index))
        }
        sandbox.folder.write("tlm-home/usage.jsonl", log)
        let textfile = sandbox.folder.path + "/tlm.prom"
        let export = try sandbox.tlm(["export", "prometheus", "--textfile", textfile, "--quiet"])
        #expect(export.status == .exited(0), "\(export.errorText)")
        let reader = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            seen = {}
            for family in text_string_to_metric_families(open(sys.argv[1], encoding="utf-8", newline="").read()):
                for sample in family.samples:
                    if sample.name == "tlm_last_exit_code":
                        seen[int(sample.value)] = sample.labels["target"]
                    if sample.name == "tlm_runs_total" and sample.labels["target"] != sample.labels["domain"]:
                        sys.exit("target and domain differ: %r" % (sample.labels,))
            print(json.dumps([seen.get(i) for i in range(len(seen))]))
            """
        // The PATH of the developer or CI: where .ci/deps.sh installed prometheus_client.
        let tools = ["PATH": ShippedFileTool.searchPath, "HOME": sandbox.folder.path]
        let parsed = try Spawned.run(["python3", "-c", reader, textfile], environment: tools)
        try #require(parsed.status == .exited(0), "\(parsed.errorText)")
        let targets = try JSONSerialization.jsonObject(with: Data(parsed.stdout)) as? [String]
        #expect(targets?.map { Array($0.unicodeScalars) } == Self.nasty.map { Array($0.unicodeScalars) })
        let promtool = try Spawned.run(
            ["promtool", "check", "metrics"], environment: tools, stdin: .bytes(readFile(textfile) ?? []))
        #expect(promtool.status == .exited(0), "\(promtool.errorText)")
    }

    /// A log whose target, domain and command hold terminal controls (OSC 52 writes the clipboard).
    func hostileLog() -> String {
        let osc52 = "\\u001b]52;c;SGVsbG8=\\u0007"
        let line =
            "{\"timestamp\":\"2026-11-30T10:00:00.000Z\",\"target\":\"a\(osc52)b\",\"domain\":\"d\\u009b31m\","
            + "\"duration_seconds\":1.0,\"exit_code\":1,\"command\":\"c\\u202eevil\\r\"}\n"
        sandbox.folder.write("hostile.jsonl", line)
        return sandbox.folder.path + "/hostile.jsonl"
    }

    @Test("report on a --file log: targets, domains and commands with controls are shown, not obeyed")
    func reportShowsControls() throws {
        let file = hostileLog()
        for by in ["target", "domain", "command"] {
            let report = try sandbox.tlm(["report", "--file", file, "--by", by], environment: ["LC_ALL": "C.UTF-8"])
            #expect(report.status == .exited(0), "\(report.errorText)")
            #expect(!report.text.unicodeScalars.contains { Self.isControl($0) }, "\(by): \(report.text)")
        }
        let report = try sandbox.tlm(["report", "--file", file])
        #expect(report.text.contains("a\\x1b]52;c;SGVsbG8=\\x07b"))
        // JSON on a terminal: every control is a \u escape, and the JSON still reads back.
        for arguments in [["report", "--file", file, "--format", "json"], ["export", "json", "--file", file]] {
            let json = try sandbox.tlm(arguments)
            #expect(json.status == .exited(0), "\(json.errorText)")
            #expect(!json.text.unicodeScalars.contains { Self.isControl($0) }, "\(arguments): \(json.text)")
            #expect(json.text.contains("a\\u001b]52;c;SGVsbG8=\\u0007b"))
            #expect(json.text.contains("d\\u009b31m") || arguments[0] == "report")
        }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\n") || (0x7F...0x9F).contains(scalar.value)
            || (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    @Test("command not found: the program's name is shown with its controls visible, status 127")
    func commandNotFoundShowsControls() throws {
        let result = try sandbox.tlm(["run", "--", "no\u{1B}]52;c;SGVsbG8=\u{7}such"])
        #expect(result.status == .exited(127))
        #expect(result.errorText == "tlm: no\\x1b]52;c;SGVsbG8=\\x07such: command not found\n")
    }

    @Test("an unrecognised TLM_TELEMETRY value is quoted in status's note with its controls visible")
    func statusNoteShowsControls() throws {
        let result = try sandbox.tlm(["status"], environment: ["TLM_TELEMETRY": "\u{1B}]0;title\u{7}"])
        #expect(result.errorText.contains("TLM_TELEMETRY='\\x1b]0;title\\x07' was ignored"), "\(result.errorText)")
        #expect(!result.errorText.unicodeScalars.contains { Self.isControl($0) })
    }

    @Test("a collector that answers 400 with controls in its message: shown, not obeyed")
    func collectorMessageShowsControls() throws {
        try sandbox.on()
        try sandbox.tlm(["log", "--target", "t", "--duration", "1", "--exit-code", "0"])
        let server = """
            import http.server, sys
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    self.rfile.read(int(self.headers.get("Content-Length", 0)))
                    body = b'{"code":3,"message":"bad \\\\u001b]52;c;SGVsbG8=\\\\u0007 \\\\u009b31m red"}'
                    self.send_response(400)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *args):
                    pass
            httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
            print(httpd.server_address[1], flush=True)
            httpd.serve_forever()
            """
        let collector = try Spawned(
            ["python3", "-c", server], environment: ["PATH": ShippedFileTool.searchPath, "HOME": sandbox.folder.path])
        defer {
            collector.signal(SIGKILL)
            try? collector.finish(timeout: 10)
        }
        try collector.read(until: "\n", timeout: 30)
        let port = try #require(Int(collector.text.split(separator: "\n").first ?? ""))
        let result = try sandbox.tlm(["export", "otlp", "--endpoint", "http://127.0.0.1:\(port)"])
        #expect(result.status == .exited(1))
        #expect(
            result.errorText.contains("answered 400: bad \\x1b]52;c;SGVsbG8=\\x07 \\u{9b}31m red"),
            "\(result.errorText)")
        #expect(!result.errorText.unicodeScalars.contains { Self.isControl($0) })
    }
}
