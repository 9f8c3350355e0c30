import TLMRecorder
import Testing

@testable import TLMExport

/// Secrets kept out of what tlm prints, redirects refused, and URLs built path first.
@Suite("export trust: redaction, redirects, URL building")
struct RedactionTests {
    @Test("a URL keeps its query for the request and hides it when printed")
    func urlQueryHiddenWhenPrinted() throws {
        let url = try #require(HTTPURL("https://collector.example:4318/otlp?token=s3cret"))
        #expect(url.path == "/otlp")
        #expect(url.query == "token=s3cret")
        #expect(url.text == "https://collector.example:4318/otlp?token=s3cret")
        #expect(url.description == "https://collector.example:4318/otlp?…")
        #expect("\(url)" == "https://collector.example:4318/otlp?…")
        #expect(HTTPURL("http://h?")?.description == "http://h?…")
        #expect(HTTPURL("http://h/x")?.query == nil)
    }

    @Test("a base endpoint gets the component on its path, before the query")
    func appendingGoesBeforeTheQuery() throws {
        let base = try #require(HTTPURL("http://h:4318/otlp?tenant=a&k=1"))
        #expect(base.appending("v1/traces").text == "http://h:4318/otlp/v1/traces?tenant=a&k=1")
        #expect(try #require(HTTPURL("http://h/?k=1")).appending("v1/traces").text == "http://h/v1/traces?k=1")
        #expect(try #require(HTTPURL("http://h?k=1")).appending("v1/traces").text == "http://h/v1/traces?k=1")
        // The OpenTelemetry rule for a base endpoint: appended even when already there.
        #expect(
            try #require(HTTPURL("http://h/v1/traces")).appending("v1/traces").text == "http://h/v1/traces/v1/traces")
    }

    @Test(
        "any text given as a URL prints without its user:password@ or query",
        arguments: [
            ("https://user:s3cret@host/path?token=s3cret", "https://…@host/path?…"),
            ("http://host:80/p#s3cret", "http://host:80/p#…"),
            ("user:s3cret@host", "…@host"),
            ("https://user:s3/cret@host/x", "https://…@host/x"),
            ("ftp://host/x?k=s3cret", "ftp://host/x?…"),
            ("host/x?u=http://a:s3cret@b", "host/x?…"),
            ("https://host/otlp", "https://host/otlp"),
            ("", ""),
        ])
    func redactedText(text: String, shown: String) {
        #expect(HTTPURL.redacted(text) == shown)
    }

    @Test("header lists print as their names only")
    func headerNamesOnly() {
        #expect(
            HeaderList.redacted("Authorization=Bearer%20s3cret,X-Tenant=a")
                == "Authorization=<hidden>,X-Tenant=<hidden>")
        #expect(HeaderList.redacted("Authorization: Bearer s3cret") == "<hidden>")
        #expect(HeaderList.redacted("") == "")
        #expect(ConfigKey.exportHeaders.shown("api-key=s3cret") == "api-key=<hidden>")
        #expect(ConfigKey.exportEndpoint.shown("https://h/p?k=s3cret") == "https://h/p?…")
        #expect(ConfigKey.domainKey.shown("ENV") == "ENV")
    }

    @Test("settings show and warn without the secret; config get alone has it")
    func settingsHideSecrets() {
        let environment = Environment([
            "TLM_EXPORT_HEADERS": "Authorization=Bearer%20s3cret",
            "TLM_EXPORT_ENDPOINT": "https://h/p?k=s3cret",
        ])
        let settings = Settings.load(home: nil, environment: environment)
        #expect(settings.displayText(of: .exportHeaders) == "Authorization=<hidden>")
        #expect(settings.displayText(of: .exportEndpoint) == "https://h/p?…")
        #expect(settings.text(of: .exportHeaders) == "Authorization=Bearer%20s3cret")
        let bad = Settings.load(
            home: nil,
            environment: Environment([
                "TLM_EXPORT_HEADERS": "Authorization: Bearer s3cret", "TLM_EXPORT_ENDPOINT": "https://u:s3cret@h",
            ]))
        #expect(bad.problems.count == 2)
        #expect(!bad.problems.joined().contains("s3cret"), "\(bad.problems)")
    }

    @Test(
        "a 3xx is refused, not retried, and names where it pointed without its query",
        arguments: [301, 302, 303, 307, 308])
    func redirectRefused(status: Int) {
        let response = HTTPResponse(
            status: status, headers: [(name: "location", value: "https://elsewhere.example/v1/traces?k=s3cret")],
            body: [])
        guard case .rejected(let reason) = DeliveryPolicy.outcome(.success(response)) else {
            Issue.record("\(status) was not refused")
            return
        }
        #expect(
            reason.hasPrefix("answered \(status), a redirect to https://elsewhere.example/v1/traces?…, not followed"))
        #expect(!reason.contains("s3cret"))
    }

    @Test("an endpoint or a header that cannot be used is refused without quoting its secret")
    func resolutionErrorsHideSecrets() {
        func failure(_ variables: [String: String], endpoint: String? = nil, headers: [String] = []) -> String? {
            let environment = Environment(variables)
            let result = OTLPDestination.resolve(
                endpoint: endpoint, headers: headers, timeout: nil, environment: environment,
                settings: Settings.load(home: nil, environment: environment))
            guard case .failure(let error) = result else { return nil }
            return error.description
        }
        let cases: [String?] = [
            failure([:], endpoint: "https://u:s3cret@h/?k=s3cret"),
            failure(["OTEL_EXPORTER_OTLP_ENDPOINT": "http://u:s3cret@h"]),
            failure([:], endpoint: "http://h", headers: ["Authorization: Bearer s3cret"]),
            failure(["TLM_EXPORT_HEADERS": "Authorization: Bearer s3cret"], endpoint: "http://h"),
            failure(["OTEL_EXPORTER_OTLP_HEADERS": "Authorization: Bearer s3cret"], endpoint: "http://h"),
        ]
        for message in cases {
            #expect(message != nil)
            #expect(message?.contains("s3cret") == false, "\(message ?? "")")
        }
        #expect(cases[0]?.contains("user:password@") == true)
        #expect(cases[3]?.contains("Authorization=Bearer%20TOKEN") == true)
    }
}
