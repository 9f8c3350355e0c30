import TLMRecorder

/// The HTML report: the text report's six sections, each with one SVG chart
/// and a table, in one self-contained page (`HTMLPage`).
public struct HTMLReport {
    let summary: ReportSummary
    /// The page's `generator`: `tlm 0.9.0`.
    let generator: String

    /// The page of `summary`; `generator` names the program and version that wrote it.
    public init(summary: ReportSummary, generator: String) {
        self.summary = summary
        self.generator = generator
    }

    var kind: String { summary.query.grouping.rawValue }

    /// The whole page, well-formed XHTML ending in a newline.
    public func render() -> String {
        let totals = summary.totals
        var subtitle = "\(NumberText.count(totals.events)) run\(totals.events == 1 ? "" : "s")"
        if let first = totals.firstEvent, let last = totals.lastEvent {
            subtitle +=
                ", " + CalendarDay(containing: first).iso8601 + " → " + CalendarDay(containing: last).iso8601
                + " (UTC)"
        }
        let filters = TextReport(summary: summary, style: .plain).filterDescription()
        if !filters.isEmpty { subtitle += "; filters: " + filters }
        return HTMLPage(
            title: "tlm report", subtitle: subtitle, generator: generator,
            sections: [invocations(), outcomes(), durations(), activity(), changes(), totalsSection()]
        ).render()
    }

    /// Every group shown, then the others added up, as (label, outcomes, durations).
    var rows: [(label: String, outcomes: OutcomeCounts, durations: DurationStatistics)] {
        var rows = summary.groups.map { ($0.label, $0.outcomes, $0.durations) }
        if let other = summary.otherGroups {
            rows.append((other.label, other.outcomes, other.durations))
        }
        return rows
    }

    func invocations() -> HTMLPage.Section {
        let bars = rows.map {
            SVG.Bar(
                label: $0.label, value: Double($0.outcomes.runs), caption: NumberText.count($0.outcomes.runs),
                alert: Double($0.outcomes.failures + $0.outcomes.cancelled))
        }
        return HTMLPage.Section(
            id: "invocations", heading: "Invocations per \(kind)",
            lead: "Runs per \(kind); the part that did not succeed is drawn in red.",
            chart: SVG.horizontalBars(bars, title: "Invocations per \(kind)"),
            table: [[kind, "runs"]] + rows.map { [$0.label, NumberText.count($0.outcomes.runs)] },
            numericColumns: [1])
    }

    func outcomes() -> HTMLPage.Section {
        let overall = summary.totals.outcomes
        let chart = SVG.split(
            [
                ("succeeded", overall.successes, "ok"), ("failed", overall.failures, "alert"),
                ("cancelled", overall.cancelled, "cancel"),
            ], title: "Success and failure, overall")
        var table = [[kind, "runs", "succeeded", "failed", "cancelled", "success rate"]]
        table += rows.map {
            [
                $0.label, NumberText.count($0.outcomes.runs), NumberText.count($0.outcomes.successes),
                NumberText.count($0.outcomes.failures), NumberText.count($0.outcomes.cancelled),
                NumberText.percent($0.outcomes.successRate),
            ]
        }
        return HTMLPage.Section(
            id: "outcomes", heading: "Success and failure",
            lead: "Overall: \(NumberText.percent(overall.successRate)) succeeded, "
                + "\(NumberText.percent(overall.failureRate)) "
                + "failed\(overall.timeouts > 0 ? " (\(NumberText.count(overall.timeouts)) timed out)" : ""), "
                + "\(NumberText.percent(overall.cancelledRate)) cancelled (died of a signal).",
            chart: chart, table: table, numericColumns: [1, 2, 3, 4, 5])
    }

    func durations() -> HTMLPage.Section {
        let bars = rows.map {
            SVG.Bar(label: $0.label, value: $0.durations.mean, caption: NumberText.duration($0.durations.mean))
        }
        var table = [[kind, "average", "p50", "p95", "p99", "min", "max", "total"]]
        table += rows.map { row in
            let d = row.durations
            return [row.label] + [d.mean, d.p50, d.p95, d.p99, d.minimum, d.maximum, d.total].map(NumberText.duration)
        }
        return HTMLPage.Section(
            id: "durations", heading: "Duration per \(kind)",
            lead: "Average duration drawn; nearest-rank percentiles, exact up to 32 runs, else within 0.4%.",
            chart: SVG.horizontalBars(bars, title: "Average duration per \(kind)"), table: table,
            numericColumns: Set(1...7))
    }

    func activity() -> HTMLPage.Section {
        // At most 10 years of weeks: two runs centuries apart must not draw (or allocate) 50,000 columns.
        var buckets = summary.activity.daily(limit: 121)
        var unit = "day"
        if buckets.count > 120 {
            buckets = summary.activity.weekly(limit: 520)
            unit = "week"
        }
        let chart = SVG.columns(
            buckets.map(\.runs), alerts: buckets.map(\.failures),
            firstLabel: buckets.first?.label ?? "", lastLabel: buckets.last?.label ?? "",
            title: "Runs per \(unit), failures in red")
        let busiest = buckets.sorted { $0.runs > $1.runs }.prefix(5)
        var table = [[unit, "runs", "failed", "cancelled"]]
        table += busiest.map {
            [$0.label, NumberText.count($0.runs), NumberText.count($0.failures), NumberText.count($0.cancelled)]
        }
        return HTMLPage.Section(
            id: "activity", heading: "Activity over time",
            lead: "Runs per \(unit), failures in red (cancelled runs are not failures); the busiest \(unit)s below.",
            chart: chart, table: table,
            numericColumns: [1, 2, 3])
    }

    func changes() -> HTMLPage.Section {
        let changes = summary.changes
        let comparable = changes.targets.filter(\.isComparable)
        let bars = comparable.map { change -> SVG.Bar in
            let ratio = change.p50Ratio ?? 1
            return SVG.Bar(
                label: change.target, value: ratio, caption: NumberText.oneDecimal(ratio) + "× p50",
                alert: change.isSlower ? ratio : 0)
        }
        var table = [
            ["target", "runs before", "runs since", "p50 before", "p50 since", "failures before", "failures since"]
        ]
        table += changes.targets.map { change in
            [
                change.target, NumberText.count(change.previous.runs), NumberText.count(change.recent.runs),
                change.previous.p50.map(NumberText.duration) ?? "-", change.recent.p50.map(NumberText.duration) ?? "-",
                change.previous.failureRate.map(NumberText.wholePercent) ?? "-",
                change.recent.failureRate.map(NumberText.wholePercent) ?? "-",
            ]
        }
        let notable = changes.notable.map { $0.sentence() }
        let from = CalendarDay(containing: changes.recentStart).iso8601
        return HTMLPage.Section(
            id: "changes", heading: "What changed",
            lead: "The 7 days from \(from) against the 7 before. "
                + (notable.isEmpty ? "Nothing notable." : notable.joined(separator: " · ")),
            chart: SVG.horizontalBars(
                bars, title: "Recent p50 over previous p50, per target (red: 1.5× slower or more)"),
            table: table, numericColumns: Set(1...6))
    }

    func totalsSection() -> HTMLPage.Section {
        let totals = summary.totals
        let chart = SVG.split(
            [
                ("valid events read", totals.eventsRead, "bar"),
                ("malformed lines skipped", totals.malformedLines, "alert"),
            ],
            title: "Lines read")
        return HTMLPage.Section(
            id: "totals", heading: "Totals", chart: chart,
            table: [
                ["", "value"],
                ["events", NumberText.count(totals.events)],
                ["events read", NumberText.count(totals.eventsRead)],
                ["malformed lines skipped", NumberText.count(totals.malformedLines)],
                ["unique targets", NumberText.count(totals.uniqueTargets)],
                ["time tracked", NumberText.duration(totals.trackedSeconds)],
                ["first event", totals.firstEvent?.iso8601 ?? "-"],
                ["last event", totals.lastEvent?.iso8601 ?? "-"],
            ], numericColumns: [1])
    }
}
