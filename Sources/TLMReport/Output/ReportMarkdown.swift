import TLMRecorder

/// The report as GitHub-flavoured Markdown (`tlm report --format markdown`),
/// for a CI job's summary page (`$GITHUB_STEP_SUMMARY`, a merge request's
/// artifact): the text report's six sections, drawn from the same
/// `ReportSummary`, as headings, short paragraphs and tables whose numeric
/// columns are right-aligned (`---:`).
///
/// Every name from the log (targets, domains, commands, filters) goes through
/// `Escaping.markdown`, cut to `nameWidth` columns first: a log from elsewhere
/// cannot add markup, a link, an image or a table column. No ANSI, and no line
/// wider than `lineWidth` columns but a table's rows, which GFM keeps on one line.
public struct ReportMarkdown {
    let summary: ReportSummary

    /// The widest name in a table cell or a sentence, in columns, before escaping.
    static let nameWidth = 40
    /// The widest paragraph line, in columns.
    static let lineWidth = 120

    /// The Markdown of `summary`.
    public init(summary: ReportSummary) {
        self.summary = summary
    }

    /// The name of a group's kind, for headings and table headers: `target`, `domain`, …
    var kind: String { summary.query.grouping.rawValue }

    /// The whole document, every line ending in a newline.
    public func render() -> String {
        // Events were read, none matched: one line says so, not six empty sections.
        if summary.totals.events == 0 && summary.totals.eventsRead > 0 {
            let filters = filterDescription()
            return paragraph("No runs match" + (filters.isEmpty ? "." : ": " + filters + "."))
        }
        return [header(), invocations(), outcomes(), durations(), activity(), changes(), totals()]
            .joined(separator: "\n")
    }

    // MARK: - Sections

    func header() -> String {
        let totals = summary.totals
        var out = "## tlm report: \(NumberText.count(totals.events)) run\(totals.events == 1 ? "" : "s")"
        if let first = totals.firstEvent, let last = totals.lastEvent {
            out += ", " + CalendarDay(containing: first).iso8601 + " → " + CalendarDay(containing: last).iso8601
            out += " (UTC)"
        }
        out += "\n"
        let filters = filterDescription()
        if !filters.isEmpty { out += "\n" + paragraph("Filters: " + filters + ".") }
        return out
    }

    func invocations() -> String {
        let out = "### Invocations per \(kind)\n\n"
        guard !rows.isEmpty else { return out + "No runs.\n" }
        let all = Double(summary.totals.outcomes.runs)
        return out
            + table(
                [kind, "runs", "share"],
                rows.map { row in
                    [
                        name(row.label), NumberText.count(row.outcomes.runs),
                        NumberText.percent(all > 0 ? Double(row.outcomes.runs) / all : 0),
                    ]
                })
    }

    func outcomes() -> String {
        var out = "### Success and failure\n\n"
        let overall = summary.totals.outcomes
        guard overall.runs > 0 else { return out + "No runs.\n" }
        var failed = NumberText.percent(overall.failureRate)
        if overall.timeouts > 0 { failed += ", \(NumberText.count(overall.timeouts)) timed out" }
        out += paragraph(
            "**Overall:** \(NumberText.count(overall.successes)) succeeded (\(NumberText.percent(overall.successRate))), "
                + "\(NumberText.count(overall.failures)) failed (\(failed)), "
                + "\(NumberText.count(overall.cancelled)) cancelled (\(NumberText.percent(overall.cancelledRate))).")
        out += "\n"
        out += table(
            [kind, "runs", "ok", "failed", "timed out", "cancelled", "success"],
            rows.map { row in
                let o = row.outcomes
                return [
                    name(row.label), NumberText.count(o.runs), NumberText.count(o.successes),
                    NumberText.count(o.failures), NumberText.count(o.timeouts), NumberText.count(o.cancelled),
                    NumberText.percent(o.successRate),
                ]
            })
        return out
    }

    func durations() -> String {
        let out = "### Duration per \(kind)\n\n"
        guard !rows.isEmpty else { return out + "No runs.\n" }
        return out
            + table(
                [kind, "avg", "p50", "p95", "p99", "min", "max", "total"],
                rows.map { row in
                    let d = row.durations
                    return [name(row.label)]
                        + [d.mean, d.p50, d.p95, d.p99, d.minimum, d.maximum, d.total].map(NumberText.duration)
                })
    }

    func activity() -> String {
        // A sparkline of at most 100 periods: one line, under the page's width with its backticks.
        let available = 100
        var buckets = summary.activity.daily(limit: available + 1)
        var unit = "day"
        if buckets.count > available {
            buckets = summary.activity.weekly(limit: available + 1)
            unit = "week"
        }
        var out = "### Activity (runs per \(unit))\n\n"
        guard let first = buckets.first else { return out + "No runs.\n" }
        var shownFrom = first
        if buckets.count > available {
            buckets = Array(buckets.suffix(available))
            shownFrom = buckets[0]
        }
        out += "`" + Charts.sparkline(buckets.map(\.runs), unicode: true) + "`\n\n"
        let peak = buckets.max { $0.runs < $1.runs }!
        let failedPeriods = buckets.filter { $0.failures > 0 }.count
        var sentence = (buckets.count == available ? "The last \(available) \(unit)s, " : "")
        sentence += shownFrom.label + " → " + buckets[buckets.count - 1].label
        sentence += "; busiest \(peak.label) (\(NumberText.count(peak.runs)) run\(peak.runs == 1 ? "" : "s"))"
        if failedPeriods > 0 {
            sentence += "; \(failedPeriods) \(unit)\(failedPeriods == 1 ? "" : "s") with failures"
        }
        return out + paragraph(sentence + ".")
    }

    func changes() -> String {
        let changes = summary.changes
        let from = CalendarDay(containing: changes.recentStart).iso8601
        let out = "### What changed (the 7 days from \(from) against the 7 before)\n\n"
        let notable = changes.notable
        if notable.isEmpty {
            let compared = changes.comparedCount
            return out
                + paragraph(
                    compared == 0
                        ? "Too few runs to compare (at least \(ReportChanges.minimumRuns) in each week)."
                        : "Nothing notable among \(compared) target\(compared == 1 ? "" : "s") compared.")
        }
        return out
            + notable.map { change in
                // The target is the log's, escaped; the rest of the sentence is tlm's own words.
                var shown = change
                shown.target = Charts.fit(change.target, Self.nameWidth, unicode: true)
                let words = shown.sentence(unicode: true).unicodeScalars.dropFirst(shown.target.unicodeScalars.count)
                return paragraph(Escaping.markdown(shown.target) + String(words), prefix: "- ")
            }.joined()
    }

    func totals() -> String {
        let totals = summary.totals
        var events = NumberText.count(totals.events)
        if totals.eventsRead != totals.events { events += " of \(NumberText.count(totals.eventsRead)) read" }
        if totals.malformedLines > 0 {
            events += " (\(NumberText.count(totals.malformedLines)) malformed line"
            events += "\(totals.malformedLines == 1 ? "" : "s") skipped)"
        }
        return "### Totals\n\n"
            + table(
                ["", "value"],
                [
                    ["events", events],
                    ["targets", NumberText.count(totals.uniqueTargets)],
                    ["time tracked", NumberText.duration(totals.trackedSeconds)],
                    ["first event", totals.firstEvent?.iso8601 ?? "-"],
                    ["last event", totals.lastEvent?.iso8601 ?? "-"],
                ])
    }

    // MARK: - Helpers

    /// Every group shown, then the others added up in one row (`(12 more)`), as every format does.
    var rows: [(label: String, outcomes: OutcomeCounts, durations: DurationStatistics)] {
        var rows = summary.groups.map { ($0.label, $0.outcomes, $0.durations) }
        if let other = summary.otherGroups { rows.append((other.label, other.outcomes, other.durations)) }
        return rows
    }

    /// A name from the log for a cell or a sentence: cut to `nameWidth` columns, then escaped.
    func name(_ text: String) -> String { Escaping.markdown(Charts.fit(text, Self.nameWidth, unicode: true)) }

    /// A GFM table: the first column left-aligned, the others (numbers) right-aligned. Cells
    /// are used as they are: names must come escaped (`name(_:)`), so that a `|` stays in its cell.
    func table(_ header: [String], _ rows: [[String]]) -> String {
        var out = "| " + header.joined(separator: " | ") + " |\n"
        out += "| :--- |" + String(repeating: " ---: |", count: header.count - 1) + "\n"
        for row in rows { out += "| " + row.joined(separator: " | ") + " |\n" }
        return out
    }

    /// `text`, a paragraph of escaped or tlm's own words, broken at spaces into lines of
    /// at most `lineWidth` columns (a soft break shows as a space); continuation lines are
    /// indented as `prefix` is, so that they stay in its list item. A word wider than a
    /// line stays whole: cutting it could split an escape.
    func paragraph(_ text: String, prefix: String = "") -> String {
        let indent = String(repeating: " ", count: prefix.count)
        var out = ""
        var line = prefix
        var used = Charts.columns(prefix)
        var fresh = true
        for word in text.split(separator: " ") {
            let width = Charts.columns(word)
            if !fresh && used + 1 + width > Self.lineWidth {
                out += line + "\n"
                line = indent
                used = indent.count
                fresh = true
            }
            if !fresh {
                line += " "
                used += 1
            }
            line += word
            used += width
            fresh = false
        }
        return out + line + "\n"
    }

    /// The query's filters, in words, escaped: `target apply; since 2026-01-01T00:00:00.000+00:00`.
    func filterDescription() -> String {
        let query = summary.query
        var parts: [String] = []
        if let since = query.since { parts.append("since " + since.iso8601) }
        if let until = query.until { parts.append("until " + until.iso8601) }
        if !query.targets.isEmpty { parts.append("target " + query.targets.map(name).joined(separator: ", ")) }
        if !query.domains.isEmpty { parts.append("domain " + query.domains.map(name).joined(separator: ", ")) }
        if let command = query.command { parts.append("command " + name(command)) }
        if query.failedOnly { parts.append("failed runs only") }
        return parts.joined(separator: "; ")
    }
}
