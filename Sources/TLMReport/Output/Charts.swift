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

    /// The terminal columns `text` takes: 2 for a wide character (CJK, most
    /// emoji), 0 for a combining mark or a zero-width one, else 1. SGR
    /// sequences are never measured: they are added after the layout.
    static func columns(_ text: some StringProtocol) -> Int {
        var total = 0
        for scalar in text.unicodeScalars { total += columns(scalar) }
        return total
    }

    static func columns(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.value {
        case 0..<0x300: return 1  // the usual case, first
        case 0x300...0x36F, 0x483...0x489, 0x591...0x5BD, 0x610...0x61A, 0x64B...0x65F, 0x1AB0...0x1AFF,
            0x1DC0...0x1DFF, 0x200B...0x200F, 0x20D0...0x20FF, 0xFE00...0xFE0F, 0xFE20...0xFE2F:
            return 0
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default: return 1
        }
    }

    /// `text` cut to `width` columns, with an ellipsis when cut.
    static func fit(_ text: String, _ width: Int, unicode: Bool) -> String {
        guard columns(text) > width, width > 1 else { return text }
        var out = ""
        var used = 0
        for character in text {
            let taken = columns(String(character))
            if used + taken > width - 1 { break }
            out.append(character)
            used += taken
        }
        return out + (unicode ? "…" : "~")
    }

    /// `text` padded on the left to `width` columns.
    static func right(_ text: String, _ width: Int) -> String {
        let taken = columns(text)
        return taken >= width ? text : String(repeating: " ", count: width - taken) + text
    }
}
