/// The digit accumulation and exact fast path (Clinger's) that turn a JSON
/// number into a `Double`, shared by the event parser and the report's line
/// scanner, so that both give the same value for the same text, bit for bit.
public enum DecimalDigits {
    /// Adds the digit `c` to `mantissa` (at most 19 significant digits kept;
    /// `exponent` counts the powers of ten left out or after the point).
    @inlinable
    public static func accumulate(
        _ c: UInt8, _ mantissa: inout UInt64, _ significant: inout Int, _ exponent: inout Int, fractional: Bool
    ) {
        if mantissa == 0 && c == 48 {
            if fractional { exponent -= 1 }
            return
        }
        significant += 1
        if significant <= 19 {
            mantissa = mantissa * 10 + UInt64(c - 48)
            if fractional { exponent -= 1 }
        } else if !fractional {
            exponent += 1
        }
    }

    /// The correctly rounded value of `mantissa × 10^exponent` when one exact
    /// operation gives it (at most 15 significant digits, exponent from −22 to 0),
    /// else nil: the caller then parses the text in full.
    @inlinable
    public static func exactValue(mantissa: UInt64, significant: Int, exponent: Int) -> Double? {
        guard significant <= 15, exponent >= -22, exponent <= 0 else { return nil }
        var value = Double(mantissa)
        if exponent < 0 { value /= powersOfTen[-exponent] }
        return value
    }

    /// 10^0 … 10^22, each exact in a `Double`.
    public static let powersOfTen: [Double] = (0...22).map { k in
        var value = 1.0
        for _ in 0..<k { value *= 10 }
        return value
    }
}
