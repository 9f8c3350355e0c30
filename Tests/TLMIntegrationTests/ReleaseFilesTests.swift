import TLMCLI
import TLMTestSupport
import Testing

/// What a release ships beside the binaries and the files ShippedFilesTests
/// holds: the man page of `tlm-export`, and CHANGELOG.md, from which the
/// Debian package's changelog is made and whose headings must therefore keep
/// one exact form.
@Suite("Release files: CHANGELOG.md and the tlm-export man page")
struct ReleaseFilesTests {
    static let exportManPage = "man/tlm-export.1"

    // MARK: - man/tlm-export.1

    /// Held against CHANGELOG.md's latest release rather than `CommandCatalog.version`:
    /// the page belongs to a release, and the test below ties that release to the code.
    @Test("man/tlm-export.1's version is CHANGELOG.md's latest release")
    func exportManPageVersion() throws {
        let latest = try #require(try Changelog.shipped().releases.first, "CHANGELOG.md has no release")
        let page = try ShippedFile.text(Self.exportManPage)
        let header = page.split(separator: "\n").first { $0.hasPrefix(".TH ") } ?? "no .TH line"
        #expect(header.hasPrefix(".TH TLM-EXPORT 1 "), "\(Self.exportManPage): \(header)")
        let version = "\"tlm \(latest.version)\""
        #expect(header.contains(version), "\(Self.exportManPage) should say \(version) in \(header)")
    }

    // MARK: - CHANGELOG.md

    @Test("CHANGELOG.md's latest release is tlm's version")
    func changelogVersion() throws {
        let latest = try #require(try Changelog.shipped().releases.first, "CHANGELOG.md has no release")
        #expect(
            latest.version == CommandCatalog.version,
            "CHANGELOG.md's latest release is \(latest.version), tlm says \(CommandCatalog.version)")
    }

    @Test("CHANGELOG.md: every heading in its form, dates real and descending, versions descending")
    func changelogForm() throws {
        let changelog = try Changelog.shipped()
        #expect(changelog.problems.isEmpty, "\(changelog.problems.joined(separator: "\n"))")
        #expect(!changelog.releases.isEmpty, "CHANGELOG.md has no '## [X.Y.Z] - YYYY-MM-DD' heading")
    }

    @Test("the CHANGELOG checks name each wrong line")
    func changelogChecksCatch() {
        let text = """
            # Changelog

            ## [Unreleased]

            ## [1.2.0] - 2026-02-30
            ### Added
            - one
              - nested once
                - nested twice
            ## [1.10.0] - 2026-01-01
            ### Improved
            | a | table |
            ## 1.0.0 - 2026-03-01
            ## [1.0.0] - 2026-3-01
            ## [01.0.0] - 2025-01-01
            ## [0.9.0] - 2026-06-01
            ## [Unreleased]
            * star
            """
        #expect(
            Changelog(text).problems == [
                "CHANGELOG.md line 5: 2026-02-30 is not a date",
                "CHANGELOG.md line 9: a list nested deeper than one level",
                "CHANGELOG.md line 10: 1.10.0 is not older than 1.2.0, above it",
                "CHANGELOG.md line 11: '### Improved' is not one of ### Added, Changed, Deprecated, Removed, "
                    + "Fixed, Security",
                "CHANGELOG.md line 12: a table",
                "CHANGELOG.md line 13: '## 1.0.0 - 2026-03-01' is not '## [X.Y.Z] - YYYY-MM-DD' or '## [Unreleased]'",
                "CHANGELOG.md line 14: '## [1.0.0] - 2026-3-01' is not '## [X.Y.Z] - YYYY-MM-DD' or '## [Unreleased]'",
                "CHANGELOG.md line 15: '## [01.0.0] - 2025-01-01' is not '## [X.Y.Z] - YYYY-MM-DD' or '## [Unreleased]'",
                "CHANGELOG.md line 16: 2026-06-01 is later than 2026-01-01, above it",
                "CHANGELOG.md line 17: [Unreleased] must be the first version heading",
                "CHANGELOG.md line 18: a bullet must be '- text'",
            ])
        #expect(Changelog(text).releases.map(\.version) == ["1.2.0", "1.10.0", "0.9.0"])
    }
}

/// CHANGELOG.md read as Keep a Changelog writes it, in the one form the Debian
/// changelog is made from: `## [X.Y.Z] - YYYY-MM-DD` per release (an
/// `## [Unreleased]` above them all), `### Added` and its kin, `- text`
/// bullets nested at most once, no table.
struct Changelog {
    struct Release {
        let version: String
        let date: String
    }

    /// The releases, newest first, as written.
    private(set) var releases: [Release] = []
    /// One line per rule broken, with its line number.
    private(set) var problems: [String] = []

    static let kinds = ["Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"]

    static func shipped() throws -> Changelog { Changelog(try ShippedFile.text("CHANGELOG.md")) }

    init(_ text: String) {
        var headings = 0
        var previous: (numbers: [Int], version: String, date: String)?
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let place = "CHANGELOG.md line \(index + 1): "
            let indent = line.prefix { $0 == " " }.count
            let body = line.dropFirst(indent)
            if line.hasPrefix("## ") {
                headings += 1
                if line == "## [Unreleased]" {
                    if headings > 1 { problems.append(place + "[Unreleased] must be the first version heading") }
                    continue
                }
                guard let release = Self.release(line) else {
                    problems.append(place + "'\(line)' is not '## [X.Y.Z] - YYYY-MM-DD' or '## [Unreleased]'")
                    continue
                }
                let (numbers, version, date) = release
                if !Self.isDate(date) { problems.append(place + "\(date) is not a date") }
                if let previous {
                    if !numbers.lexicographicallyPrecedes(previous.numbers) {
                        problems.append(place + "\(version) is not older than \(previous.version), above it")
                    }
                    if date > previous.date {
                        problems.append(place + "\(date) is later than \(previous.date), above it")
                    }
                }
                previous = (numbers, version, date)
                releases.append(Release(version: version, date: date))
            } else if line.hasPrefix("### ") {
                if !Self.kinds.contains(String(line.dropFirst(4))) {
                    problems.append(
                        place + "'\(line)' is not one of ### \(Self.kinds.joined(separator: ", "))")
                }
            } else if body.hasPrefix("|") {
                problems.append(place + "a table")
            } else if body.hasPrefix("* ") || body.hasPrefix("+ ") {
                problems.append(place + "a bullet must be '- text'")
            } else if body.hasPrefix("- ") && indent > 2 {
                problems.append(place + "a list nested deeper than one level")
            }
        }
    }

    /// The numbers, version and date of `## [X.Y.Z] - YYYY-MM-DD`; nil when the
    /// line is not exactly that (numbers without a leading zero, as SemVer says).
    static func release(_ line: Substring) -> (numbers: [Int], version: String, date: String)? {
        guard line.hasPrefix("## ["), let close = line.firstIndex(of: "]") else { return nil }
        let version = line[line.index(line.startIndex, offsetBy: 4)..<close]
        let rest = line[line.index(after: close)...]
        guard rest.hasPrefix(" - ") else { return nil }
        let date = rest.dropFirst(3)
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { $0 == "0" || !$0.hasPrefix("0") ? Int($0) : nil }
        let dateForm = date.enumerated().allSatisfy {
            [4, 7].contains($0.offset) ? $0.element == "-" : $0.element.isASCIIDigit
        }
        guard parts.count == 3, numbers.count == 3, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            date.count == 10, dateForm
        else { return nil }
        return (numbers, String(version), String(date))
    }

    /// Whether `YYYY-MM-DD` (digits already checked) names a day of the Gregorian calendar.
    static func isDate(_ date: String) -> Bool {
        let fields = date.split(separator: "-").map { Int($0)! }
        let (year, month, day) = (fields[0], fields[1], fields[2])
        guard (1...12).contains(month) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
