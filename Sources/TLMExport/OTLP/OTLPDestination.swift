import TLMRecorder

/// Where `tlm export otlp` sends, with what headers and service name, and where
/// each came from. The first of these that is set wins:
///
/// - endpoint: `--endpoint URL` (a base: `/v1/traces` is added to its path,
///   before any query, even when the path already ends in `/v1/traces`),
///   `TLM_EXPORT_ENDPOINT` (base), `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used
///   as is, as the OpenTelemetry specification says), `OTEL_EXPORTER_OTLP_ENDPOINT`
///   (base), then `export.endpoint` in config.json (base);
/// - headers, merged name by name in the same order: `--header`,
///   `TLM_EXPORT_HEADERS`, `OTEL_EXPORTER_OTLP_TRACES_HEADERS`,
///   `OTEL_EXPORTER_OTLP_HEADERS`, `export.headers`;
/// - service name: `TLM_EXPORT_SERVICE_NAME`, `OTEL_SERVICE_NAME`,
///   `export.service_name`, then `tlm`;
/// - timeout: `--timeout`, `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`,
///   `OTEL_EXPORTER_OTLP_TIMEOUT` (milliseconds), then 10 s;
/// - protocol and compression: see `OTLPWireFormat`.
///
/// tlm's own variables come before OpenTelemetry's because they can only
/// have been meant for tlm; OpenTelemetry's are often set for a whole job.
public struct OTLPDestination: Sendable {
    public var url: HTTPURL
    public var urlSource: String
    public var headers: [(name: String, value: String)]
    public var headerSources: [String]
    public var serviceName: String
    public var serviceNameSource: String
    public var timeoutNanoseconds: UInt64
    /// The body's encoding and compression, and where each came from.
    public var format: OTLPWireFormat

    public static let defaultTimeout: UInt64 = 10_000_000_000

    /// Whether an endpoint is set anywhere but the command line (automatic export needs one).
    public static func isConfigured(_ environment: Environment, _ settings: Settings) -> Bool {
        settings.exportEndpoint != nil
            || !(environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] ?? "").isEmpty
            || !(environment["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? "").isEmpty
    }

    /// The destination, or a sentence saying what is missing or wrong.
    public static func resolve(
        endpoint: String?, headers headerOptions: [String], timeout: UInt64?, protocol protocolOption: String? = nil,
        compression: String? = nil, environment: Environment, settings: Settings
    ) -> Result<OTLPDestination, ExportError> {
        func variable(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return value
        }
        // First: a protocol tlm does not speak (grpc) is the problem to fix, whatever else is.
        let format: OTLPWireFormat
        switch OTLPWireFormat.resolve(
            protocol: protocolOption, compression: compression, environment: environment, settings: settings)
        {
        case .success(let resolved): format = resolved
        case .failure(let error): return .failure(error)
        }
        // The endpoint.
        var candidates: [(text: String, source: String, isBase: Bool)] = []
        if let endpoint { candidates.append((endpoint, "--endpoint", true)) }
        if settings.source(of: .exportEndpoint) == .environment, let value = settings.exportEndpoint {
            candidates.append((value, "TLM_EXPORT_ENDPOINT", true))
        }
        if let value = variable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
            candidates.append((value, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", false))
        }
        if let value = variable("OTEL_EXPORTER_OTLP_ENDPOINT") {
            candidates.append((value, "OTEL_EXPORTER_OTLP_ENDPOINT", true))
        }
        if settings.source(of: .exportEndpoint) == .config, let value = settings.exportEndpoint {
            candidates.append((value, "config.json export.endpoint", true))
        }
        guard let chosen = candidates.first else {
            return .failure(
                .log(
                    "no endpoint: give --endpoint URL, set OTEL_EXPORTER_OTLP_ENDPOINT, or 'tlm config set export.endpoint URL'"
                ))
        }
        guard let base = HTTPURL(chosen.text) else {
            return .failure(
                .log("\(chosen.source) '\(HTTPURL.redacted(chosen.text))' \(HTTPURL.problem(chosen.text))"))
        }
        let url = chosen.isBase ? base.appending("v1/traces") : base

        // Headers, merged: a name given by an earlier source is not replaced by a later one.
        var headers: [(name: String, value: String)] = []
        var sources: [String] = []
        func merge(_ list: [(name: String, value: String)], _ source: String) {
            var used = false
            for header in list where !headers.contains(where: { $0.name.lowercased() == header.name.lowercased() }) {
                headers.append(header)
                used = true
            }
            if used { sources.append(source) }
        }
        var fromOptions: [(name: String, value: String)] = []
        for option in headerOptions {
            // The value is taken as it is (not percent-decoded), but never with a control character.
            guard let equals = option.firstIndex(of: "="), let name = HeaderList.name(option[..<equals]),
                !option[option.index(after: equals)...].unicodeScalars.contains(where: {
                    $0.value < 0x20 || $0.value == 0x7F
                })
            else {
                // Not quoted: what was meant as a value is likely a secret.
                return .failure(
                    .log(
                        "a --header is not NAME=VALUE (like --header 'Authorization=Bearer TOKEN'; "
                            + "value not shown): nothing sent"))
            }
            fromOptions.append((name, String(option[option.index(after: equals)...])))
        }
        merge(fromOptions, "--header")
        // Headers that cannot be read (`Authorization: Bearer x`) stop the export: sending
        // without them would deliver to the wrong tenant, or unauthenticated.
        let form = ConfigKey.exportHeaders.forms
        if let value = variable("TLM_EXPORT_HEADERS"), HeaderList.parse(value) == nil {
            return .failure(.log("TLM_EXPORT_HEADERS is not \(form) (value not shown): nothing sent"))
        }
        if settings.source(of: .exportHeaders) == .environment {
            merge(HeaderList.parse(settings.exportHeaders) ?? [], "TLM_EXPORT_HEADERS")
        }
        for name in ["OTEL_EXPORTER_OTLP_TRACES_HEADERS", "OTEL_EXPORTER_OTLP_HEADERS"] {
            guard let value = variable(name) else { continue }
            guard let list = HeaderList.parse(value) else {
                return .failure(.log("\(name) is not \(form) (value not shown): nothing sent"))
            }
            merge(list, name)
        }
        // A config.json that cannot be used may hold export.headers: refuse rather than guess.
        if let error = settings.configError {
            return .failure(.log("\(error.description): its export.headers cannot be read, so nothing is sent"))
        }
        if settings.source(of: .exportHeaders) == .config {
            merge(HeaderList.parse(settings.exportHeaders) ?? [], "config.json export.headers")
        }

        // The service name.
        var serviceName = settings.serviceName
        var serviceSource = settings.source(of: .serviceName) == .config ? "config.json export.service_name" : "default"
        if settings.source(of: .serviceName) == .environment {
            serviceSource = "TLM_EXPORT_SERVICE_NAME"
        } else if let value = variable("OTEL_SERVICE_NAME") {
            guard ConfigKey.serviceName.parse(text: value) != nil else {
                return .failure(.log("OTEL_SERVICE_NAME is not \(ConfigKey.serviceName.forms)"))
            }
            serviceName = value
            serviceSource = "OTEL_SERVICE_NAME"
        }

        // The timeout.
        var timeoutNanoseconds = defaultTimeout
        if let timeout {
            timeoutNanoseconds = timeout
        } else {
            for name in ["OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "OTEL_EXPORTER_OTLP_TIMEOUT"] {
                guard let value = variable(name) else { continue }
                guard value.utf8.count <= 9, value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let ms = UInt64(value),
                    ms > 0
                else {
                    return .failure(.log("\(name)='\(value)' is not a number of milliseconds"))
                }
                timeoutNanoseconds = ms * 1_000_000
                break
            }
        }
        return .success(
            OTLPDestination(
                url: url, urlSource: chosen.source, headers: headers, headerSources: sources, serviceName: serviceName,
                serviceNameSource: serviceSource, timeoutNanoseconds: timeoutNanoseconds, format: format))
    }
}
