extension Escaping {
    /// A single-quoted word for bash and zsh: `'it'\''s'`. Inside single quotes
    /// these shells give every byte but `'` its literal meaning.
    public static func shellSingleQuoted(_ text: String) -> String {
        var out = "'"
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            if scalar == "'" { out += "'\\''" } else { out.unicodeScalars.append(scalar) }
        }
        return out + "'"
    }

    /// A single-quoted word for fish: `'it\'s'`. Inside fish's single quotes
    /// only `\'` and `\\` are escapes, so both `'` and `\` are escaped.
    public static func fishSingleQuoted(_ text: String) -> String {
        var out = "'"
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "'": out += "\\'"
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }
}
