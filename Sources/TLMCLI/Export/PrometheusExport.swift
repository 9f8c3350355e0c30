import TLMExport
import TLMRecorder

/// `tlm export prometheus --textfile PATH | --push URL`: the metrics of
/// `PrometheusExposition`, written atomically for node_exporter's textfile
/// collector (readable by others: node_exporter runs as its own user), or
/// sent to a Pushgateway with PUT (the group's metrics replaced as a whole).
enum PrometheusExport {
    static func main(
        _ options: ParsedOptions, arguments: [String], _ environment: Environment, transport: (any HTTPTransport)?
    ) throws(CLIError) -> Int32 {
        let quiet = options.flags.contains("--quiet")
        let textfile = options.values["--textfile"]
        let push = options.values["--push"]
        guard (textfile == nil) != (push == nil) else {
            throw .usage("give one of --textfile PATH or --push URL", subcommand: "export")
        }
        if push == nil, options.values["--job"] != nil || options.values["--instance"] != nil {
            throw .usage("--job and --instance go with --push", subcommand: "export")
        }
        if push == nil, options.values["--timeout"] != nil || options.values["--retries"] != nil {
            throw .usage("--timeout and --retries go with --push", subcommand: "export")
        }
        let retries = try ExportCommand.positiveNumber(
            options, "--retries", default: ExportCommand.defaultRetries, range: 0...100)
        let timeout = try ExportCommand.timeout(options) ?? 10_000_000_000
        var url: HTTPURL?
        if let push {
            guard let base = HTTPURL(push) else {
                throw .usage("--push '\(HTTPURL.redacted(push))' \(HTTPURL.problem(push))", subcommand: "export")
            }
            let job = options.values["--job"] ?? "tlm"
            guard !job.isEmpty else { throw .usage("--job cannot be empty", subcommand: "export") }
            var path = "metrics/" + groupingPath("job", job)
            if let instance = options.values["--instance"] {
                guard !instance.isEmpty else { throw .usage("--instance cannot be empty", subcommand: "export") }
                path += "/" + groupingPath("instance", instance)
            }
            url = base.appending(path)
            if transport == nil { throw ExportCommand.handOver(arguments) }
        }

        let home = try CLI.home(environment)
        var exposition = PrometheusExposition()
        if ExportCommand.isFolder(home.folder) {
            do {
                try EventLog(home: home).forEachEventInAllFiles { exposition.add($0) }
            } catch {
                throw .failure(error.description)
            }
        }
        let text = exposition.text()

        if let textfile {
            if !textfile.hasSuffix(".prom") && !quiet {
                Console.warn("node_exporter's textfile collector reads only files ending in .prom")
            }
            try AtomicFile.saveOutput(text, to: textfile, mode: 0o644)
            if !quiet { Console.warn("metrics of \(exposition.events) events written to \(textfile)") }
            return ExitStatus.success
        }
        let request = HTTPRequest(
            method: "PUT", url: url!,
            headers: [
                ("Content-Type", "text/plain; version=0.0.4; charset=utf-8"),
                ("User-Agent", "tlm/\(CommandCatalog.version)"),
            ], body: Array(text.utf8), timeoutSeconds: Double(timeout) / 1e9)
        var random = SystemRandom()
        if let failure = ExportCommand.deliver(
            request, transport: transport!, retries: retries, quiet: quiet, random: &random)
        {
            Console.warn("push stopped: \(failure)")
            return ExportStatus.failed
        }
        if !quiet { Console.warn("metrics of \(exposition.events) events pushed to \(url!)") }
        return ExitStatus.success
    }

    /// A grouping label as URL path segments: `job/VALUE` when the value has only
    /// unreserved characters, else the Pushgateway's base64 form
    /// (`job@base64/VALUE`), which also carries `/`.
    static func groupingPath(_ label: String, _ value: String) -> String {
        let unreserved = value.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
        }
        if unreserved { return label + "/" + value }
        return label + "@base64/" + base64URL(Array(value.utf8))
    }

    /// RFC 4648 base64url, without padding.
    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var index = 0
        while index + 2 < bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { out.append(alphabet[Int(value >> UInt32(shift) & 63)]) }
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            var value = UInt32(bytes[index]) << 16
            if rest == 2 { value |= UInt32(bytes[index + 1]) << 8 }
            for shift in [18, 12, 6].prefix(rest + 1) { out.append(alphabet[Int(value >> UInt32(shift) & 63)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
