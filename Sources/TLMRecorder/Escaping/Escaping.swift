/// Every encoding tlm writes data into, in one place: shell words (bash, zsh,
/// fish), JSON strings, CSV fields, Prometheus label values, HTML/XML text,
/// GitHub-flavoured Markdown and the terminal.
///
/// Each escaper works on Unicode scalars, never on `Character`s: a quote
/// followed by a combining mark (`'` + U+0301), a CR LF pair or a prepended
/// mark (U+0600 + `"`) is one `Character`, and comparing Characters with `'`,
/// `"` or `\n` would let the quote or the newline through unescaped.
public enum Escaping {}
