/// What `OptionParser` found.
struct ParsedOptions {
    /// The last value given to each option, by long name.
    var values: [String: String] = [:]
    /// Every value given to a repeatable option, in order.
    var repeated: [String: [String]] = [:]
    var flags: Set<String> = []
    var operands: [String] = []
    /// Index (in the arguments given) of the first operand, when parsing stopped there.
    var firstOperandIndex: Int?
}

/// A small parser for `--name value`, `--name=value`, flags and `--`, driven by
/// a `CommandSpec`, so that the help, the man page and the completions describe
/// exactly what is accepted.
enum OptionParser {
    /// Parses `arguments` against `spec`. With `stopAtOperand`, parsing ends at
    /// the first operand or after `--` (for `run`, whose command follows).
    static func parse(_ arguments: [String], _ spec: CommandSpec, stopAtOperand: Bool = false) throws(CLIError)
        -> ParsedOptions
    {
        var result = ParsedOptions()
        var index = 0
        var onlyOperands = false
        while index < arguments.count {
            let argument = arguments[index]
            if onlyOperands || argument == "-" || !argument.hasPrefix("-") || isNegativeNumber(argument) {
                if stopAtOperand {
                    result.firstOperandIndex = index
                    return result
                }
                result.operands.append(argument)
                index += 1
                continue
            }
            if argument == "--" {
                onlyOperands = true
                index += 1
                if stopAtOperand {
                    result.firstOperandIndex = index < arguments.count ? index : nil
                    return result
                }
                continue
            }
            var name = argument
            var inlineValue: String?
            if argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard let option = spec.option(name) else {
                var hint = Suggestion.hint(name, among: spec.options.map(\.long))
                // After an operand, a dash word is likely a value (`config set target_programs -task`).
                if hint.isEmpty && !result.operands.isEmpty { hint = " (a value that starts with '-' goes after '--')" }
                throw .usage("unknown option '\(name)'" + hint, in: spec)
            }
            if option.valueName != nil {
                let value: String
                if let inlineValue {
                    value = inlineValue
                } else if index + 1 < arguments.count, !arguments[index + 1].hasPrefix("--") {
                    // `--target --`: the next option, or `--`, is no value (a negative
                    // number, `-1`, is one, for the validation to refuse by name).
                    index += 1
                    value = arguments[index]
                } else {
                    throw .usage("option '\(option.long)' needs a value (\(option.valueName!))", in: spec)
                }
                if !option.repeatable, let earlier = result.values[option.long], earlier != value {
                    throw .usage(
                        "option '\(option.long)' given twice ('\(earlier)', '\(value)')", in: spec)
                }
                result.values[option.long] = value
                result.repeated[option.long, default: []].append(value)
            } else {
                if inlineValue != nil {
                    throw .usage("option '\(option.long)' takes no value", in: spec)
                }
                result.flags.insert(option.long)
            }
            index += 1
        }
        return result
    }

    /// `-5`, `-1.5`: no option is named so, and a value (`config set max_log_bytes -5`)
    /// is then refused as the bad value it is, not as an unknown option.
    static func isNegativeNumber(_ word: String) -> Bool {
        let bytes = word.utf8.dropFirst()
        return word.hasPrefix("-") && bytes.first.map { $0 >= 48 && $0 <= 57 } == true
            && bytes.allSatisfy { ($0 >= 48 && $0 <= 57) || $0 == 46 }
    }
}
