import TLMRecorder
import Testing

/// README.fr.md must stay a full translation of README.md, section for section: the same `##` and `###`
/// headings at the same levels, the same number of code blocks and table rows in each section, the same
/// flags, variables and config keys quoted in each, and in-page links that land on a French heading.
/// Words are free; structure is not, so a section left out or cut short is found by name.
@Suite("README.fr.md: a section-for-section translation of README.md")
struct FrenchReadmeTests {
    @Test("the first lines link back to README.md, which prevails")
    func linksBack() throws {
        let opening = try ShippedFile.text("README.fr.md").split(separator: "\n").prefix(6).joined(separator: "\n")
        #expect(opening.contains("](README.md)"), "README.fr.md's first lines lack the link to README.md")
        #expect(opening.contains("La version anglaise fait foi"), "README.fr.md's first lines must say it prevails")
    }

    @Test("the same ## and ### headings, in the same order of levels")
    func headings() throws {
        let (english, french) = try Guide.both()
        #expect(
            english.count == french.count,
            "README.md has \(english.count - 1) headings, README.fr.md \(french.count - 1)")
        let parting = zip(english, french).first { $0.level != $1.level }.map(Guide.describe)
        #expect(parting == nil, "the levels part at \(parting ?? "")")
    }

    @Test("the same number of fenced code blocks in each section")
    func codeBlocks() throws {
        let differences = try Guide.differences("code blocks") { $0.codeBlocks }
        #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
    }

    @Test("the same number of table rows in each section")
    func tableRows() throws {
        let differences = try Guide.differences("table rows") { $0.tableRows }
        #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
    }

    @Test("the same flags, variables and config keys quoted in each section")
    func quotedNames() throws {
        let (english, french) = try Guide.both()
        var differences: [String] = []
        for (source, translation) in zip(english, french) where source.names != translation.names {
            let missing = source.names.subtracting(translation.names).sorted()
            let added = translation.names.subtracting(source.names).sorted()
            let what = [("lacks", missing), ("adds", added)].filter { !$1.isEmpty }
                .map { "\($0) \($1.joined(separator: " "))" }
            differences.append("\(Guide.describe(source, translation)): \(what.joined(separator: ", "))")
        }
        #expect(differences.isEmpty, "\(differences.joined(separator: "; "))")
    }

    @Test("every in-page link of README.fr.md lands on one of its headings")
    func anchors() throws {
        let french = try Guide.sections("README.fr.md")
        let anchors = Set(french.map { Guide.anchor($0.heading) })
        let broken = french.flatMap(\.links).filter { !anchors.contains($0) }
        #expect(broken.isEmpty, "README.fr.md links to missing headings: \(broken.map { "#" + $0 })")
    }
}

/// README.md and README.fr.md cut into sections at their `#`, `##` and `###` headings (the first section is
/// the title and what precedes the first `##`). Lines inside fenced code blocks are neither headings nor rows.
enum Guide {
    struct Section {
        var heading: String
        var level: Int
        var codeBlocks = 0
        var tableRows = 0
        /// The section's text outside code blocks, where its inline code spans are.
        var prose = ""

        /// The flags (`--since`), variables (`TLM_HOME`) and config keys (`export.auto`) quoted in the
        /// section's inline code spans: what a translation must keep exactly.
        var names: Set<String> {
            let keys = Set(ConfigKey.all.map(\.name))
            var names: Set<String> = []
            for (index, span) in prose.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            where index % 2 == 1 {
                for word in span.split(whereSeparator: { !($0.isLetter || $0.isNumber || "_.-".contains($0)) }) {
                    let word = String(word.reversed().drop { $0 == "." }.reversed())
                    if word.hasPrefix("--"), word.dropFirst(2).first?.isLowercase == true {
                        names.insert(word)
                    } else if keys.contains(word) || Guide.isVariable(word) {
                        names.insert(word)
                    }
                }
            }
            return names
        }

        /// The anchors of the section's in-page links (`[text](#anchor)`).
        var links: [String] {
            prose.split(separator: "](#").dropFirst().map { String($0.prefix { $0 != ")" }) }
        }
    }

    static func sections(_ file: String) throws -> [Section] {
        var sections = [Section(heading: "# (title)", level: 1)]
        var fenced = false
        for line in try ShippedFile.text(file).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if !fenced { sections[sections.count - 1].codeBlocks += 1 }
                fenced.toggle()
            } else if fenced {
                continue
            } else if line.hasPrefix("## ") || line.hasPrefix("### ") {
                sections.append(Section(heading: String(line), level: line.prefix { $0 == "#" }.count))
            } else {
                if line.hasPrefix("|") { sections[sections.count - 1].tableRows += 1 }
                sections[sections.count - 1].prose += line + "\n"
            }
        }
        return sections
    }

    static func both() throws -> (english: [Section], french: [Section]) {
        (try sections("README.md"), try sections("README.fr.md"))
    }

    /// One line per section whose `count` differs between the two guides, naming both headings.
    static func differences(_ what: String, _ count: (Section) -> Int) throws -> [String] {
        let (english, french) = try both()
        return zip(english, french).compactMap { source, translation in
            count(source) == count(translation)
                ? nil
                : "\(describe(source, translation)): \(count(source)) \(what) in README.md, "
                    + "\(count(translation)) in README.fr.md"
        }
    }

    static func describe(_ source: Section, _ translation: Section) -> String {
        "'\(source.heading)' (README.fr.md: '\(translation.heading)')"
    }

    /// `TLM_HOME`, `OTEL_SERVICE_NAME`, `DO_NOT_TRACK`: upper-case words joined by underscores.
    static func isVariable(_ word: String) -> Bool {
        let parts = word.split(separator: "_", omittingEmptySubsequences: false)
        return parts.count > 1 && parts.first?.first?.isUppercase == true
            && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { ($0.isUppercase && $0.isASCII) || $0.isNumber } }
    }

    /// A heading's anchor as GitHub makes it: lower case, punctuation dropped (accents kept), spaces to `-`.
    static func anchor(_ heading: String) -> String {
        let title = heading.drop { $0 == "#" }.dropFirst()
        return String(
            title.lowercased().filter { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" || $0 == "_" }
                .map { $0 == " " ? "-" : $0 })
    }
}
