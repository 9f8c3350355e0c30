import TLMExport
import TLMRecorder

/// A subcommand of tlm: its spec (name, synopsis, options; what help, the man
/// page and the completions are checked against) and its entry point.
/// `CommandCatalog.subcommands` lists them; `CLI` routes to them by name.
/// (`SendableMetatype`: that list, a global, holds the types themselves.)
protocol Subcommand: SendableMetatype {
    static var spec: CommandSpec { get }

    /// Does the work and returns the exit status; a usage error or a failure
    /// is thrown, for `CLI` to print once.
    static func main(_ invocation: Invocation) throws(CLIError) -> Int32
}

/// One call of a subcommand: what the command line gave it, and what it runs with.
struct Invocation {
    /// The options and operands, parsed against the spec (empty when the
    /// subcommand parses its words itself: see `CommandSpec.Operands`).
    let options: ParsedOptions
    /// The words after the subcommand's name, as given.
    let arguments: [String]
    let environment: Environment
    /// How `export` sends over the network and gzips: `tlm-export`'s; nil in `tlm`.
    let network: NetworkHalf?

    var operands: [String] { options.operands }
}

/// What `tlm-export` adds to the command line: an HTTP client (URLSession over
/// libcurl) and gzip (the system's zlib). `tlm` has neither, and hands the
/// commands that need them over to `tlm-export` (see `ExportCommand`).
public struct NetworkHalf {
    public let transport: any HTTPTransport
    public let compressor: any BodyCompressor

    public init(transport: any HTTPTransport, compressor: any BodyCompressor) {
        self.transport = transport
        self.compressor = compressor
    }
}
