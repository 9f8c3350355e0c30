/// The text report's drawing primitives: horizontal bars and sparklines, in
/// Unicode blocks or plain ASCII.
enum Charts {
    /// A bar `value / maximum` of `width` cells; eighths of a cell in Unicode.
    /// A non-zero value always shows at least a sliver.
    static func bar(_ value: Double, of maximum: Double, width: Int, unicode: Bool) -> String {
        guard width > 0, maximum > 0, value > 0 else { return "" }
        let cells = min(value / maximum, 1) * Double(width)
        if !unicode {
            let whole = max(Int(cells.rounded()), 1)
            return String(repeating: "#", count: whole)
        }
        var eighths = Int((cells * 8).rounded())
        if eighths == 0 { eighths = 1 }
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        return String(repeating: "█", count: eighths / 8) + partials[eighths % 8]
    }

    /// One character per value, its height proportional to the value (zero is
    /// the lowest mark, or a blank in ASCII).
    static func sparkline(_ values: [Int], unicode: Bool) -> String {
        let maximum = values.max() ?? 0
        let levels: [Character] =
            unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : [" ", ".", ":", "-", "=", "+", "*", "#"]
        guard maximum > 0 else { return String(repeating: levels[0], count: values.count) }
        return String(
            values.map { value -> Character in
                if value == 0 { return levels[0] }
                let level = 1 + Int((Double(value) / Double(maximum) * Double(levels.count - 2)).rounded())
                return levels[min(level, levels.count - 1)]
            })
    }

    /// `text` cut to `width` characters, with an ellipsis when cut.
    static func fit(_ text: String, _ width: Int, unicode: Bool) -> String {
        guard text.count > width, width > 1 else { return text }
        return String(text.prefix(width - 1)) + (unicode ? "…" : "~")
    }

    /// `text` padded on the left to `width`.
    static func right(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
