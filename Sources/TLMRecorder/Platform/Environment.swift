import TLMSystem

/// Read access to environment variables, injectable so that tests need not
/// change the process's own environment.
public struct Environment: Sendable {
    private let lookup: @Sendable (String) -> String?

    /// An environment answered by a function.
    public init(_ lookup: @escaping @Sendable (String) -> String?) {
        self.lookup = lookup
    }

    /// An environment holding exactly these variables.
    public init(_ values: [String: String]) {
        self.lookup = { values[$0] }
    }

    /// The environment of this process, read with `getenv` at each lookup.
    public static let process = Environment { name in
        getenv(name).map { String(cString: $0) }
    }

    /// The variable's value, or nil when it is not set.
    public subscript(name: String) -> String? { lookup(name) }
}
