import Foundation
import Glibc
import TLMRecorder
import TLMTestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `tlm report` end to end: the built binary on a small fixed log, against
/// golden files reviewed by hand (Fixtures/report.*), and its errors.
@Suite("tlm report")
struct ReportTests {
    static let fixture = ShippedFile.path("Tests/TLMIntegrationTests/Fixtures/report.jsonl")

    /// The fixture's report: `--until 2026-01-31` makes "what changed" compare the
    /// weeks of 2026-01-18 and 2026-01-25 whatever today is.
    static func report(_ extra: [String], environment: [String: String] = [:]) throws -> Spawned {
        try Sandbox().tlm(
            ["report", "--file", fixture, "--until", "2026-01-31"] + extra,
            environment: ["COLUMNS": "80", "LC_ALL": "C.UTF-8"].merging(environment) { $1 })
    }

    static func golden(_ name: String) throws -> String {
        try ShippedFile.text("Tests/TLMIntegrationTests/Fixtures/" + name)
    }

    @Test("text, colours off (not a terminal): the golden output")
    func text() throws {
        let run = try Self.report([])
        #expect(run.status == .exited(0))
        #expect(run.errorText.isEmpty)
        #expect(run.text == (try Self.golden("report.txt")))
        #expect(!run.text.contains("\u{1B}["))
    }

    @Test("ASCII with --ascii, and in a locale that is not UTF-8")
    func ascii() throws {
        let forced = try Self.report(["--ascii"])
        #expect(forced.text == (try Self.golden("report-ascii.txt")))
        let cLocale = try Self.report([], environment: ["LC_ALL": "C"])
        #expect(cLocale.text == forced.text)
        #expect(forced.text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test("JSON: the golden output, every key, valid JSON")
    func json() throws {
        let run = try Self.report(["--format", "json"])
        #expect(run.status == .exited(0))
        // `generated_at` is the one value that changes from run to run.
        let stable = run.text.replacing(/"generated_at": "[^"]*"/, with: #""generated_at": "…""#)
        #expect(stable == (try Self.golden("report.json")))
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout)) as? [String: Any]
        let totals = try #require(object?["totals"] as? [String: Any])
        #expect(totals["events"] as? Int == 17)
        #expect(totals["malformed_lines"] as? Int == 1)
    }

    @Test("CSV: the golden output, a header then one row per group")
    func csv() throws {
        let run = try Self.report(["--format", "csv"])
        #expect(run.status == .exited(0))
        #expect(run.text == (try Self.golden("report.csv")))
        let rows = run.text.split(separator: "\n")
        #expect(rows.count == 5)
        #expect(rows.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 17 })
    }

    @Test("the HTML report: well-formed, self-contained, one SVG chart per section, written atomically")
    func html() throws {
        let box = Sandbox()
        let path = box.folder.path + "/out/report.html"
        mkdir(box.folder.path + "/out", 0o755)
        let run = try box.tlm(["report", "--file", Self.fixture, "--until", "2026-01-31", "--html", path])
        #expect(run.status == .exited(0))
        #expect(run.stdout.isEmpty)
        #expect(run.errorLines == ["tlm: report written to \(path)"])
        let bytes = try #require(readFile(path))
        let page = String(decoding: bytes, as: UTF8.self)

        final class Counter: NSObject, XMLParserDelegate {
            var svg = 0
            var sections: [String] = []
            var insideSection = false
            var svgInSection = 0
            var svgPerSection: [Int] = []
            func parser(
                _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]
            ) {
                if name == "section" {
                    sections.append(attributes["id"] ?? "")
                    svgInSection = 0
                }
                if name == "svg" {
                    svg += 1
                    svgInSection += 1
                }
            }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?)
            {
                if name == "section" { svgPerSection.append(svgInSection) }
            }
        }
        // Well-formed XML once the HTML5 doctype line is set aside.
        let body = page.split(separator: "\n", maxSplits: 1).last.map(String.init) ?? ""
        let parser = XMLParser(data: Data(body.utf8))
        let counter = Counter()
        parser.delegate = counter
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        #expect(counter.sections == ["invocations", "outcomes", "durations", "activity", "changes", "totals"])
        #expect(counter.svgPerSection == [1, 1, 1, 1, 1, 1])
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        // Self-contained: nothing fetched from anywhere (the only URLs are namespaces).
        let urls = page.matches(of: /https?:\/\/[^"' <]*/).map { String($0.output) }
        #expect(Set(urls) == ["http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg"])
        #expect(!page.contains("<script"))
        #expect(!page.contains("<link"))
        // Atomic: no temporary file left beside it; private like everything tlm writes.
        #expect(try box.folder.list("out") == ["report.html"])
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test("an empty or missing log: a hint, exit 0")
    func emptyLog() throws {
        let box = Sandbox()
        let missing = try box.tlm(["report"])
        #expect(missing.status == .exited(0))
        #expect(missing.text.contains("tlm on"))
        box.folder.write("empty.jsonl", "")
        let empty = try box.tlm(["report", "--file", box.folder.path + "/empty.jsonl"])
        #expect(empty.status == .exited(0))
        #expect(empty.text.hasPrefix("No events in "))
        let json = try box.tlm(["report", "--format", "json"])
        #expect(json.status == .exited(0))
        #expect(json.text.contains(#""events": 0,"#))
    }

    @Test("reads the log's rotated siblings too, oldest first")
    func rotated() throws {
        let box = Sandbox()
        try box.on()
        try box.tlm(["log", "--target", "current", "--duration", "1", "--exit-code", "0"])
        let line =
            #"{"timestamp":"2026-01-01T00:00:00+00:00","target":"old","domain":null,"duration_seconds":1,"exit_code":0}"#
        box.folder.write("tlm-home/usage.jsonl.1", line + "\n")
        box.folder.write("tlm-home/usage.jsonl.2", line + "\n" + line + "\n")
        let run = try box.tlm(["report", "--format", "csv"])
        #expect(run.status == .exited(0))
        let rows = run.text.split(separator: "\n").dropFirst().map {
            $0.split(separator: ",").prefix(2).joined(separator: ",")
        }
        #expect(rows == ["old,3", "current,1"])
    }

    @Test("standard input with --file -, and anklume's own lines")
    func standardInput() throws {
        let box = Sandbox()
        let anklume = """
            {"timestamp": "2026-02-14T10:30:00+00:00", "target": "apply", "domain": null, "duration_seconds": 45, "exit_code": 0}
            {"timestamp": "2026-02-14T11:30:00Z", "target": "apply", "domain": null, "duration_seconds": 47, "exit_code": 2}

            """
        let run = try box.tlm(["report", "--file", "-", "--format", "csv"], stdin: .bytes(Array(anklume.utf8)))
        #expect(run.status == .exited(0))
        #expect(run.text.split(separator: "\n").last?.hasPrefix("apply,2,1,1,0,") == true)
    }

    @Test(
        "a bad option value: one line naming the accepted forms, exit 64",
        arguments: [
            (["--since", "yesterday"], "use an age"), (["--until", "2026-13-01"], "use an age"),
            (["--by", "month"], "target, domain, command, day or week"), (["--top", "-1"], "whole number"),
            (["--top", "many"], "whole number"), (["--format", "xml"], "text, json, csv or markdown"),
            (["--since", "2026-02-01", "--until", "2026-01-01"], "must be before"),
            (["--file", "-", "--file", "-"], "only once"), (["--bogus"], "unknown option"),
        ] as [([String], String)])
    func badValues(arguments: [String], hint: String) throws {
        let run = try Sandbox().tlm(["report"] + arguments)
        #expect(run.status == .exited(64))
        #expect(run.errorLines.count == 1)
        #expect(run.errorText.contains(hint), "\(run.errorText)")
        #expect(run.errorText.hasPrefix("tlm report: "))
        #expect(run.stdout.isEmpty)
    }

    @Test("a file that cannot be read: one line, exit 1")
    func unreadable() throws {
        let box = Sandbox()
        let run = try box.tlm(["report", "--file", box.folder.path + "/nope.jsonl"])
        #expect(run.status == .exited(1))
        #expect(run.errorLines == ["tlm: cannot read \(box.folder.path)/nope.jsonl: no such file or directory"])
        let unwritable = try box.tlm(["report", "--file", Self.fixture, "--html", "/proc/version/x.html"])
        #expect(unwritable.status == .exited(1))
        #expect(unwritable.errorLines.count == 1)
    }

    @Test(
        "filters narrow every section",
        arguments: [
            (["--target", "apply", "--target", "lint"], "apply,lint"), (["--domain", "db"], "lint"),
            (["--command", "cargo"], "test"), (["--failed"], "apply,lint,sync"),
            (["--since", "2026-01-30"], "lint,test"), (["--by", "domain"], "web,,db"),
        ] as [([String], String)])
    func filters(arguments: [String], groups: String) throws {
        let run = try Self.report(["--format", "csv"] + arguments)
        #expect(run.status == .exited(0))
        let names = run.text.split(separator: "\n").dropFirst().map {
            String($0.split(separator: ",", omittingEmptySubsequences: false)[0])
        }
        #expect(names.joined(separator: ",") == groups)
    }

    @Test("stdout closed early (| head -1): no error message; tlm ends by SIGPIPE, as cat would")
    func closedOutput() throws {
        let box = Sandbox()
        // 3,000 targets: a report far larger than a pipe's buffer.
        var log = ""
        for index in 0..<3000 {
            log += #"{"timestamp":"2026-01-01T00:00:00+00:00","target":"t\#(index)","domain":null,"#
            log += #""duration_seconds":1,"exit_code":0}"# + "\n"
        }
        box.folder.write("big.jsonl", log)
        let script = "\"$0\" report --top 0 --file \"$1\" | head -1; echo \"status=${PIPESTATUS[0]}\""
        let run = try box.direct(["bash", "-c", script, TLMBinary.path, box.folder.path + "/big.jsonl"])
        #expect(run.errorText.isEmpty)
        #expect(run.text.hasSuffix("status=141\n"), "\(run.text)")
    }

    @Test("colour at a terminal, none with NO_COLOR")
    func colour() throws {
        let box = Sandbox()
        let environment = box.environment.merging(["LC_ALL": "C.UTF-8", "TERM": "xterm"]) { $1 }
        let coloured = try PseudoTerminal([TLMBinary.path, "report", "--file", Self.fixture], environment: environment)
        #expect(try coloured.wait() == .exited(0))
        #expect(coloured.text.contains("\u{1B}[1m"))
        let plain = try PseudoTerminal(
            [TLMBinary.path, "report", "--file", Self.fixture],
            environment: environment.merging(["NO_COLOR": "1"]) { $1 })
        #expect(try plain.wait() == .exited(0))
        #expect(!plain.text.contains("\u{1B}["))
        #expect(plain.text.contains("Invocations per target"))
    }
}
