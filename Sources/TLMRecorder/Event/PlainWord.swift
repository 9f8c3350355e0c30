/// The only kind of name tlm records: letters, digits and `._:-`, at most 64
/// characters. A path, a URL, an e-mail address or a secret with punctuation
/// is never a plain word, so it can never end up in the log.
public enum PlainWord {
    /// The longest name recorded.
    public static let maximumLength = 64

    /// Whether `text` is a plain word: 1 to 64 ASCII letters, digits, `.`, `_`, `:` or `-`.
    public static func isPlain(_ text: some StringProtocol) -> Bool {
        var count = 0
        for byte in text.utf8 {
            count += 1
            guard count <= maximumLength, isWordByte(byte) else { return false }
        }
        return count > 0
    }

    /// `text` made into a plain word: every other character becomes `_`, cut to
    /// 64 characters; `"unknown"` when nothing is left.
    public static func sanitized(_ text: some StringProtocol) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(maximumLength) {
            out.unicodeScalars.append(scalar.isASCII && isWordByte(UInt8(scalar.value)) ? scalar : "_")
        }
        return out.isEmpty ? "unknown" : out
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 48...57, 65...90, 97...122, 46, 95, 58, 45: return true  // 0-9 A-Z a-z . _ : -
        default: return false
        }
    }
}
