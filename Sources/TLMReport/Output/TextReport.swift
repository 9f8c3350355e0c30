import TLMRecorder

/// The terminal report: six sections drawn from a `ReportSummary`, sized to
/// the terminal, coloured only when `TerminalStyle` allows, ASCII when asked.
/// Names from the log (targets, domains, commands) go through
/// `Escaping.terminal`: a log from elsewhere cannot drive the terminal.
public struct TextReport {
    let summary: ReportSummary
    let style: TerminalStyle

    /// The report of `summary`, drawn for `style` (the terminal the command line found).
    public init(summary: ReportSummary, style: TerminalStyle) {
        self.summary = summary
        self.style = style
    }

    /// The name of a group's kind, for headings: `target`, `domain`, …
    var kind: String { summary.query.grouping.rawValue }

    /// The whole report, every line ending in a newline.
    public func render() -> String {
        // Events were read, none matched: one line says so, not six empty sections.
        if summary.totals.events == 0 && summary.totals.eventsRead > 0 {
            let filters = filterDescription()
            return flow(
                [(text: "no runs match" + (filters.isEmpty ? "" : ": " + filters), paint: { $0 })], prefix: "",
                continuation: 2)
        }
        var out = header()
        out += invocations()
        out += outcomes()
        out += durations()
        out += activity()
        out += changes()
        out += totals()
        return out
    }

    // MARK: - Sections

    func header() -> String {
        let totals = summary.totals
        var line = "tlm report: \(NumberText.count(totals.events)) run\(totals.events == 1 ? "" : "s")"
        if let first = totals.firstEvent, let last = totals.lastEvent {
            line +=
                ", " + CalendarDay(containing: first).iso8601 + arrow + CalendarDay(containing: last).iso8601 + " (UTC)"
        }
        var out = flow([(line, style.bold)], prefix: "", continuation: 2)
        let filters = filterDescription()
        if !filters.isEmpty { out += flow([("filters: " + filters, style.dim)], prefix: "", continuation: 2) }
        return out
    }

    func invocations() -> String {
        var out = heading("Invocations per \(kind)")
        guard !summary.groups.isEmpty else { return out + "  no runs\n" }
        let rows =
            summary.groups.map { (Escaping.terminal($0.label), $0.outcomes.runs) } + otherRow { $0.outcomes.runs }
        let nameWidth = labelWidth(rows.map(\.0))
        let countWidth = rows.map { NumberText.count($0.1).count }.max() ?? 1
        let barWidth = max(style.width - 2 - nameWidth - 2 - countWidth - 2, 10)
        let maximum = Double(rows.map(\.1).max() ?? 0)
        for (label, runs) in rows {
            let bar = Charts.bar(Double(runs), of: maximum, width: barWidth, unicode: style.unicode)
            out += "  " + pad(label, nameWidth) + "  " + Charts.right(NumberText.count(runs), countWidth) + "  "
            out += style.cyan(bar) + "\n"
        }
        return out
    }

    func outcomes() -> String {
        var out = heading("Success and failure")
        let overall = summary.totals.outcomes
        guard overall.runs > 0 else { return out + "  no runs\n" }
        var failed = NumberText.percent(overall.failureRate)
        if overall.timeouts > 0 { failed += ", \(NumberText.count(overall.timeouts))\(glue)timed\(glue)out" }
        out += flow(
            [
                ("\(NumberText.count(overall.successes))\(glue)succeeded", style.green),
                ("(" + NumberText.percent(overall.successRate) + "),", { $0 }),
                ("\(NumberText.count(overall.failures))\(glue)failed", { failureText($0, overall.failures) }),
                ("(" + failed + "),", { $0 }),
                (
                    "\(NumberText.count(overall.cancelled))\(glue)cancelled\(glue)(\(NumberText.percent(overall.cancelledRate)))",
                    { $0 }
                ),
            ], prefix: "  overall: ", continuation: 4)
        out += "\n"
        var table: [[String]] = [[kind, "runs", "ok", "failed", "cancelled", "success"]]
        for group in summary.groups {
            let o = group.outcomes
            table.append([
                Escaping.terminal(group.label), NumberText.count(o.runs), NumberText.count(o.successes),
                NumberText.count(o.failures), NumberText.count(o.cancelled), NumberText.percent(o.successRate),
            ])
        }
        if let other = summary.otherGroups {
            let o = other.outcomes
            table.append([
                other.label, NumberText.count(o.runs), NumberText.count(o.successes),
                NumberText.count(o.failures), NumberText.count(o.cancelled), NumberText.percent(o.successRate),
            ])
        }
        // Too narrow for every column: cancelled (the overall line counts them), then ok go first.
        out += layout(table, dropping: [4, 2]) { row, column, text in
            // The cell comes padded: a zero is "    0", and stays unpainted.
            column == 3 && row > 0 && text.drop(while: { $0 == " " }) != "0" ? style.red(text) : text
        }
        return out
    }

    func durations() -> String {
        var out = heading("Duration per \(kind)")
        guard !summary.groups.isEmpty else { return out + "  no runs\n" }
        var table: [[String]] = [[kind, "avg", "p50", "p95", "p99", "min", "max", "total"]]
        var means: [Double] = []
        func row(_ label: String, _ d: DurationStatistics) {
            table.append(
                [label] + [d.mean, d.p50, d.p95, d.p99, d.minimum, d.maximum, d.total].map(NumberText.duration))
            means.append(d.mean)
        }
        for group in summary.groups { row(Escaping.terminal(group.label), group.durations) }
        if let other = summary.otherGroups { row(other.label, other.durations) }
        // Too narrow for every column: min, p99, max, p95 go first; avg, p50 and total stay.
        let lines = layout(table, dropping: [5, 4, 6, 3]) { _, _, text in text }
            .split(separator: "\n", omittingEmptySubsequences: false)
        // Measured on a row, not on the header: the header is dimmed, and its SGR bytes
        // take no column on the terminal.
        let tableWidth = lines.dropFirst().first.map { Charts.columns($0) } ?? 0
        let barWidth = style.width - tableWidth - 2
        let maximum = means.max() ?? 0
        for (index, line) in lines.enumerated() where !line.isEmpty {
            out += line
            if barWidth >= 8, index > 0, index - 1 < means.count {
                out +=
                    "  "
                    + style.cyan(Charts.bar(means[index - 1], of: maximum, width: barWidth, unicode: style.unicode))
            } else if barWidth >= 8, index == 0 {
                out += "  " + "avg"
            }
            out += "\n"
        }
        return out
    }

    func activity() -> String {
        let available = max(style.width - 4, 20)
        // Bounded: one more than fits, so that the note below says when older ones are left out.
        var buckets = summary.activity.daily(limit: available + 1)
        var unit = "day"
        if buckets.count > available {
            buckets = summary.activity.weekly(limit: available + 1)
            unit = "week"
        }
        var out = heading("Activity (runs per \(unit))")
        guard let first = buckets.first else { return out + "  no runs\n" }
        var shownFrom = first
        if buckets.count > available {
            buckets = Array(buckets.suffix(available))
            shownFrom = buckets[0]
            out += style.dim("  the last \(available) \(unit)s") + "\n"
        }
        out += "  " + style.cyan(Charts.sparkline(buckets.map(\.runs), unicode: style.unicode)) + "\n"
        let marks = buckets.map { $0.failures > 0 ? (style.unicode ? "•" : "!") : " " }.joined()
        if marks.contains(where: { $0 != " " }) {
            out += "  " + style.red(String(marks.reversed().drop(while: { $0 == " " }).reversed())) + "\n"
        }
        let last = buckets[buckets.count - 1]
        let span = shownFrom.label + arrow + last.label
        let peak = buckets.max { $0.runs < $1.runs }!
        let failedPeriods = buckets.filter { $0.failures > 0 }.count
        var pieces: [Piece] = [
            (span + ";", { $0 }),
            ("busiest \(peak.label) (\(NumberText.count(peak.runs))\(glue)run\(peak.runs == 1 ? "" : "s"))", { $0 }),
        ]
        if failedPeriods > 0 {
            pieces[1].text += ";"
            // The mark kept with its words (never alone on a line), red as the marks above.
            let mark = "(" + (style.unicode ? "•" : "!") + ")"
            pieces.append(
                (
                    "\(failedPeriods)\(glue)\(unit)\(failedPeriods == 1 ? "" : "s") with failures\(glue)\(mark)",
                    style.red
                ))
        }
        return out + flow(pieces, prefix: "  ", continuation: 4)
    }

    func changes() -> String {
        let changes = summary.changes
        let from = CalendarDay(containing: changes.recentStart).iso8601
        var out = "\n" + flow([("What changed (the 7 days from \(from) against the 7 before)", style.bold)], prefix: "")
        let notable = changes.notable
        if notable.isEmpty {
            let compared = changes.comparedCount
            let text =
                compared == 0
                ? "too few runs to compare (at least \(ReportChanges.minimumRuns) in each week)"
                : "nothing notable among \(compared) target\(compared == 1 ? "" : "s") compared"
            return out + flow([(text, { $0 })], prefix: "  ", continuation: 4)
        }
        for change in notable {
            let sentence = Escaping.terminal(change.sentence(unicode: style.unicode))
            let paint = change.isSlower || change.failsMore ? style.yellow : style.green
            out += flow([(sentence, paint)], prefix: "  ", continuation: 4)
        }
        return out
    }

    func totals() -> String {
        let totals = summary.totals
        var out = heading("Totals")
        var events = NumberText.count(totals.events)
        if totals.eventsRead != totals.events { events += " of \(NumberText.count(totals.eventsRead)) read" }
        if totals.malformedLines > 0 {
            events += " (\(NumberText.count(totals.malformedLines)) malformed line"
            events += "\(totals.malformedLines == 1 ? "" : "s") skipped)"
        }
        let rows: [(String, String)] = [
            ("events", events),
            ("targets", NumberText.count(totals.uniqueTargets)),
            ("time tracked", NumberText.duration(totals.trackedSeconds)),
            ("first event", totals.firstEvent?.iso8601 ?? "-"),
            ("last event", totals.lastEvent?.iso8601 ?? "-"),
        ]
        for (name, value) in rows { out += flow([(value, { $0 })], prefix: "  " + pad(name, 13), continuation: 4) }
        return out
    }

    // MARK: - Helpers

    var arrow: String { style.unicode ? " → " : " -> " }

    func heading(_ text: String) -> String { "\n" + flow([(text, style.bold)], prefix: "") }

    /// A space `flow` never breaks a line at (`2 failed`), shown as a space.
    let glue: Character = "\u{A0}"

    /// Some text and how to paint it (`style.red`), for `flow`.
    typealias Piece = (text: String, paint: (String) -> String)

    /// `pieces` laid out word by word in lines of at most `style.width` columns:
    /// the first after `prefix`, the next after `continuation` spaces; a word
    /// wider than a line is cut. Each piece is painted after the layout, so
    /// that its SGR sequences take no column.
    func flow(_ pieces: [Piece], prefix: String, continuation: Int = 2) -> String {
        var lines: [String] = []
        var line = prefix
        var used = Charts.columns(prefix)
        var fresh = true  // nothing but the prefix or indent on the line yet
        var run: (piece: Int, words: [String])?  // the words of one piece, painted together
        func close() {
            guard let current = run else { return }
            line += pieces[current.piece].paint(current.words.joined(separator: " "))
            run = nil
        }
        for (index, piece) in pieces.enumerated() {
            for word in piece.text.split(separator: " ") {
                var word = String(word.map { $0 == glue ? " " : $0 })
                let room = style.width - used - (fresh ? 0 : 1)
                // A new line when the word does not fit, unless that gives it no more room.
                if Charts.columns(word) > room && (!fresh || used > continuation) {
                    close()
                    lines.append(String(line.reversed().drop { $0 == " " }.reversed()))
                    line = String(repeating: " ", count: continuation)
                    used = continuation
                    fresh = true
                }
                word = Charts.fit(word, style.width - used, unicode: style.unicode)
                if run?.piece != index {
                    close()
                    if !fresh { line += " " }
                    run = (index, [word])
                } else {
                    run?.words.append(word)
                }
                used += (fresh ? 0 : 1) + Charts.columns(word)
                fresh = false
            }
        }
        close()
        lines.append(line)
        return lines.map { $0 + "\n" }.joined()
    }

    func failureText(_ text: String, _ count: Int) -> String { count > 0 ? style.red(text) : text }

    func otherRow(_ value: (OtherGroups) -> Int) -> [(String, Int)] {
        summary.otherGroups.map { [($0.label, value($0))] } ?? []
    }

    /// The width of the name column: the longest label, within bounds.
    func labelWidth(_ labels: [String]) -> Int {
        min(max(labels.map(\.count).max() ?? 0, 6), max(style.width / 3, 12))
    }

    func pad(_ text: String, _ width: Int) -> String {
        let fitted = Charts.fit(text, width, unicode: style.unicode)
        let taken = Charts.columns(fitted)
        return taken >= width ? fitted : fitted + String(repeating: " ", count: width - taken)
    }

    /// A table: the first column left-aligned (and cut to fit), the others
    /// right-aligned; `paint` colours a cell after it has been padded. When
    /// the table is wider than the terminal, the first column narrows (to 8),
    /// then the columns in `dropping` are left out, in that order.
    func layout(_ rows: [[String]], dropping: [Int] = [], paint: (Int, Int, String) -> String) -> String {
        guard let columns = rows.first?.count else { return "" }
        var widths = (0..<columns).map { column in rows.map { Charts.columns($0[column]) }.max() ?? 0 }
        widths[0] = min(widths[0], max(style.width / 3, 12))
        var shown = Array(1..<columns)
        var dropped = dropping[...]
        func total() -> Int { 2 + widths[0] + shown.reduce(0) { $0 + 2 + widths[$1] } }
        while total() > style.width {
            if widths[0] > 8 {
                widths[0] = max(8, widths[0] - (total() - style.width))
            } else if let next = dropped.popFirst() {
                shown.removeAll { $0 == next }
            } else {
                break
            }
        }
        var out = ""
        for (rowIndex, row) in rows.enumerated() {
            var line = "  " + pad(row[0], widths[0])
            for column in shown {
                let cell = Charts.right(row[column], widths[column])
                line += "  " + (rowIndex == 0 ? cell : paint(rowIndex, column, cell))
            }
            out += (rowIndex == 0 ? style.dim(line) : line) + "\n"
        }
        return out
    }

    /// The query's filters, in words: `target apply, since 2026-01-01T00:00:00.000+00:00`.
    func filterDescription() -> String {
        let query = summary.query
        var parts: [String] = []
        if let since = query.since { parts.append("since " + since.iso8601) }
        if let until = query.until { parts.append("until " + until.iso8601) }
        if !query.targets.isEmpty { parts.append("target " + query.targets.joined(separator: ", ")) }
        if !query.domains.isEmpty { parts.append("domain " + query.domains.joined(separator: ", ")) }
        if let command = query.command { parts.append("command " + command) }
        if query.failedOnly { parts.append("failed runs only") }
        return Escaping.terminal(parts.joined(separator: "; "))
    }
}
