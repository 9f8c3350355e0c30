import TLMRecorder

/// The HTML report's charts: small, self-contained SVG drawn from numbers,
/// with no script, font or style from outside. Every chart has a `<title>`
/// (read by screen readers) and scales to its container (`viewBox`).
enum SVG {
    /// A number for an SVG attribute: at most two decimals, no exponent.
    static func number(_ value: Double) -> String {
        // Beyond 1e15 (a ratio of a tiny median to a long one) an Int of hundredths could overflow.
        guard value.isFinite, abs(value) < 1e15 else { return "0" }
        let hundredths = Int((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = hundredths.magnitude
        let fraction = magnitude % 100
        if fraction == 0 { return sign + String(magnitude / 100) }
        return sign + String(magnitude / 100) + "." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// One row of a horizontal bar chart.
    struct Bar {
        var label: String
        var value: Double
        /// Printed at the end of the bar: `41s`, `1,204`.
        var caption: String
        /// A second value drawn over the first from the left, in the alert colour
        /// (the failures among the runs), or 0.
        var alert: Double = 0
    }

    /// Horizontal bars, one per row, labels on the left, captions on the right.
    static func horizontalBars(_ bars: [Bar], title: String) -> String {
        let rowHeight = 22.0
        let labelWidth = 170.0
        let barWidth = 420.0
        let captionWidth = 110.0
        let width = labelWidth + barWidth + captionWidth
        let height = max(Double(bars.count) * rowHeight, rowHeight)
        let maximum = bars.map(\.value).max() ?? 0
        var out = svgOpen(width: width, height: height, title: title)
        for (index, bar) in bars.enumerated() {
            let y = Double(index) * rowHeight
            let length = maximum > 0 ? max(bar.value / maximum * barWidth, bar.value > 0 ? 1 : 0) : 0
            out += "<text x=\"\(number(labelWidth - 8))\" y=\"\(number(y + 15))\" text-anchor=\"end\">"
            out += Escaping.markup(clip(bar.label, 24)) + "</text>"
            out += "<rect class=\"bar\" x=\"\(number(labelWidth))\" y=\"\(number(y + 4))\" width=\"\(number(length))\""
            out += " height=\"\(number(rowHeight - 8))\">"
            out += "<title>\(Escaping.markup(bar.label)): \(Escaping.markup(bar.caption))</title></rect>"
            if bar.alert > 0, maximum > 0 {
                let alertLength = max(bar.alert / maximum * barWidth, 1)
                out += "<rect class=\"alert\" x=\"\(number(labelWidth))\" y=\"\(number(y + 4))\""
                out += " width=\"\(number(alertLength))\" height=\"\(number(rowHeight - 8))\"/>"
            }
            out += "<text x=\"\(number(labelWidth + length + 6))\" y=\"\(number(y + 15))\">"
            out += Escaping.markup(bar.caption) + "</text>"
        }
        return out + "</svg>"
    }

    /// Columns over time: `values[i]` runs in period i, `alerts[i]` of them failed
    /// (drawn in the alert colour at the foot of the column). Labels under the
    /// first and last column.
    static func columns(_ values: [Int], alerts: [Int], firstLabel: String, lastLabel: String, title: String)
        -> String
    {
        let width = 700.0
        let plotHeight = 140.0
        let height = plotHeight + 22
        let maximum = Double(values.max() ?? 0)
        let count = max(values.count, 1)
        let slot = width / Double(count)
        let gap = slot > 4 ? 1.0 : 0
        var out = svgOpen(width: width, height: height, title: title)
        out += "<line class=\"axis\" x1=\"0\" y1=\"\(number(plotHeight))\" x2=\"\(number(width))\""
        out += " y2=\"\(number(plotHeight))\"/>"
        for (index, value) in values.enumerated() where value > 0 && maximum > 0 {
            let x = Double(index) * slot
            let columnHeight = max(Double(value) / maximum * (plotHeight - 4), 1)
            out += "<rect class=\"bar\" x=\"\(number(x))\" y=\"\(number(plotHeight - columnHeight))\""
            out += " width=\"\(number(max(slot - gap, 0.5)))\" height=\"\(number(columnHeight))\">"
            let failed = index < alerts.count ? alerts[index] : 0
            out += "<title>\(value) runs, \(failed) failed</title></rect>"
            if failed > 0 {
                let alertHeight = max(Double(failed) / maximum * (plotHeight - 4), 1)
                out += "<rect class=\"alert\" x=\"\(number(x))\" y=\"\(number(plotHeight - alertHeight))\""
                out += " width=\"\(number(max(slot - gap, 0.5)))\" height=\"\(number(alertHeight))\"/>"
            }
        }
        out += "<text x=\"0\" y=\"\(number(height - 4))\">\(Escaping.markup(firstLabel))</text>"
        out += "<text x=\"\(number(width))\" y=\"\(number(height - 4))\" text-anchor=\"end\">"
        out += Escaping.markup(lastLabel) + "</text>"
        return out + "</svg>"
    }

    /// One bar split in parts (succeeded, failed, cancelled), with a legend.
    static func split(_ parts: [(label: String, value: Int, cssClass: String)], title: String) -> String {
        let width = 700.0
        let height = 52.0
        let total = Double(parts.reduce(0) { $0 + $1.value })
        var out = svgOpen(width: width, height: height, title: title)
        var x = 0.0
        for part in parts where part.value > 0 && total > 0 {
            let length = Double(part.value) / total * width
            out += "<rect class=\"\(part.cssClass)\" x=\"\(number(x))\" y=\"0\" width=\"\(number(length))\""
            out += " height=\"24\"><title>\(Escaping.markup(part.label)): \(part.value)</title></rect>"
            x += length
        }
        var legendX = 0.0
        for part in parts {
            out += "<rect class=\"\(part.cssClass)\" x=\"\(number(legendX))\" y=\"34\" width=\"12\" height=\"12\"/>"
            let text = "\(part.label) \(part.value)"
            out += "<text x=\"\(number(legendX + 16))\" y=\"45\">\(Escaping.markup(text))</text>"
            legendX += 16 + Double(text.count) * 7.5 + 18
        }
        return out + "</svg>"
    }

    private static func svgOpen(width: Double, height: Double, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(number(width)) \(number(height))\" role=\"img\">"
            + "<title>\(Escaping.markup(title))</title>"
    }

    private static func clip(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
