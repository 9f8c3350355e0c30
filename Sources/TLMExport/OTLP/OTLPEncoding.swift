import TLMRecorder

/// How `tlm export otlp` encodes its request bodies: OTLP/HTTP's two encodings.
/// Binary protobuf is the OpenTelemetry specification's default for exporters,
/// and the only one some intakes take (Elastic APM server's OTLP/HTTP, Seq);
/// JSON is there for people and for receivers that lack protobuf.
public enum OTLPEncoding: String, Sendable, Equatable, CaseIterable {
    case protobuf = "http/protobuf"
    case json = "http/json"

    /// The request's `Content-Type`.
    public var contentType: String {
        switch self {
        case .protobuf: return "application/x-protobuf"
        case .json: return "application/json"
        }
    }

    /// The encoding of a collector's answer, by its `Content-Type` (parameters
    /// such as `; charset=utf-8` ignored); nil when it names neither.
    public static func of(contentType: String) -> OTLPEncoding? {
        let media = contentType.split(separator: ";", maxSplits: 1).first.map {
            String($0).lowercased().filter { $0 != " " && $0 != "\t" }
        }
        switch media {
        case "application/x-protobuf", "application/protobuf": return .protobuf
        case "application/json": return .json
        default: return nil
        }
    }
}

/// Whether request bodies are gzip-compressed (`Content-Encoding: gzip`).
public enum OTLPCompression: String, Sendable, Equatable, CaseIterable {
    case gzip
    case none
}

/// The encoding and compression `tlm export otlp` uses, and where each came
/// from. The first source that sets one wins, as for the endpoint: the option
/// (`--protocol`, `--compression`), tlm's variable (`TLM_EXPORT_PROTOCOL`,
/// `TLM_EXPORT_COMPRESSION`), OpenTelemetry's for traces
/// (`OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, `…_COMPRESSION`), OpenTelemetry's for
/// every signal (`OTEL_EXPORTER_OTLP_PROTOCOL`, `…_COMPRESSION`), config.json
/// (`export.protocol`, `export.compression`), then the default (`http/protobuf`, `none`).
///
/// A value that is not one tlm speaks stops the export (a usage error) rather
/// than falling back: `grpc` sent as HTTP would reach no gRPC receiver.
public struct OTLPWireFormat: Sendable, Equatable {
    public var encoding: OTLPEncoding
    /// `--protocol`, `TLM_EXPORT_PROTOCOL`, …, `config.json export.protocol` or `default`.
    public var encodingSource: String
    public var compression: OTLPCompression
    public var compressionSource: String

    public init(
        encoding: OTLPEncoding = .protobuf, encodingSource: String = "default", compression: OTLPCompression = .none,
        compressionSource: String = "default"
    ) {
        self.encoding = encoding
        self.encodingSource = encodingSource
        self.compression = compression
        self.compressionSource = compressionSource
    }

    /// `http/protobuf (default), gzip (OTEL_EXPORTER_OTLP_COMPRESSION)`: for `--dry-run` and `TLM_DEBUG`.
    public var description: String {
        "\(encoding.rawValue) (\(encodingSource)), compression \(compression.rawValue) (\(compressionSource))"
    }

    /// The encoding and compression, or the usage error that names the value refused and its source.
    public static func resolve(
        protocol protocolOption: String?, compression compressionOption: String?, environment: Environment,
        settings: Settings
    ) -> Result<OTLPWireFormat, ExportError> {
        var format = OTLPWireFormat()
        let encoding = choose(
            protocolOption, "--protocol",
            [
                "TLM_EXPORT_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
                "OTEL_EXPORTER_OTLP_PROTOCOL",
            ], .exportProtocol, settings.exportProtocol, environment, settings)
        if let (text, source) = encoding {
            guard let chosen = OTLPEncoding(rawValue: text) else {
                let what =
                    text == "grpc"
                    ? "OTLP over gRPC is not supported"
                    : "protocol '\(Escaping.terminal(String(text.prefix(64))))' is not supported"
                return .failure(.usage("\(what): use http/protobuf (the default) or http/json (from \(source))"))
            }
            format.encoding = chosen
            format.encodingSource = source
        }
        let compression = choose(
            compressionOption, "--compression",
            [
                "TLM_EXPORT_COMPRESSION", "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION",
                "OTEL_EXPORTER_OTLP_COMPRESSION",
            ], .exportCompression, settings.exportCompression, environment,
            settings)
        if let (text, source) = compression {
            guard let chosen = OTLPCompression(rawValue: text) else {
                return .failure(
                    .usage(
                        "compression '\(Escaping.terminal(String(text.prefix(64))))' is not supported: "
                            + "use none (the default) or gzip (from \(source))"))
            }
            format.compression = chosen
            format.compressionSource = source
        }
        return .success(format)
    }

    /// The first source that gives a value, and its name; nil: the default.
    private static func choose(
        _ option: String?, _ optionName: String, _ variables: [String], _ key: ConfigKey, _ configured: String,
        _ environment: Environment, _ settings: Settings
    ) -> (text: String, source: String)? {
        if let option { return (option, optionName) }
        // The variables as set, not as Settings took them: Settings sets aside a value it
        // does not know (TLM_EXPORT_PROTOCOL=grpc) with a warning, export refuses it.
        for name in variables {
            if let value = environment[name], !value.isEmpty { return (value, name) }
        }
        if settings.source(of: key) == .config { return (configured, "config.json \(key.name)") }
        // A config.json holding a value no key takes is unusable; its value is still named.
        if case .badValue(_, let bad, let value)? = settings.configError, bad == key, let value {
            return (value, "config.json \(key.name)")
        }
        return nil
    }
}
