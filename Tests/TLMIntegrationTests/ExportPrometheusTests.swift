import Foundation
import Glibc
import TLMTestSupport
import Testing

/// `tlm export prometheus` read by the real thing: Debian's node_exporter
/// (textfile collector) scraped by Debian's Prometheus, and Debian's Pushgateway.
@Suite("export prometheus", .serialized)
struct ExportPrometheusTests {
    let sandbox = Sandbox()

    /// Runs of three targets: successes, failures, a timeout and a signal death.
    func recordRuns() throws {
        try sandbox.on()
        for (target, code) in [("apply", 0), ("apply", 0), ("apply", 2), ("sync", 0), ("sync", 1)] {
            try sandbox.tlm([
                "log", "--target", target, "--domain", "web", "--duration", "1.5", "--exit-code", String(code),
            ])
        }
        try sandbox.tlm(["log", "--target", "check", "--duration", "0.05", "--exit-code", "0"])
        #expect(
            try sandbox.tlm(["run", "--timeout", "100ms", "--target", "check", "--", "sleep", "5"]).status
                == .exited(124))
        #expect(
            try sandbox.tlm(["run", "--target", "sync", "--", "sh", "-c", "kill -USR1 $$"]).status == .signaled(SIGUSR1)
        )
    }

    /// `tlm report --format json`'s groups: target → (runs, successes, failures, cancelled).
    func reportCounts() throws -> [String: [String: Int]] {
        let report = try sandbox.tlm(["report", "--format", "json", "--top", "0"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.text.utf8)) as? [String: Any])
        let groups = try #require(object["groups"] as? [[String: Any]])
        var counts: [String: [String: Int]] = [:]
        for group in groups {
            let key = try #require(group["key"] as? String)
            counts[key] = [
                "runs": group["runs"] as? Int ?? -1, "success": group["successes"] as? Int ?? -1,
                "failure": group["failures"] as? Int ?? -1, "cancelled": group["cancelled"] as? Int ?? -1,
            ]
        }
        return counts
    }

    @Test("the textfile: HELP and TYPE lines, counts by result, a histogram, written atomically 0644")
    func textfile() throws {
        try recordRuns()
        let result = try sandbox.tlm(["export", "prometheus", "--textfile", sandbox.folder.path + "/tlm.prom"])
        #expect(result.status == .exited(0), "\(result.errorText)")
        #expect(sandbox.folder.mode("tlm.prom") == 0o644)
        let text = try #require(sandbox.folder.text("tlm.prom"))
        for line in [
            "# TYPE tlm_runs_total counter", "# TYPE tlm_run_duration_seconds histogram",
            "# TYPE tlm_last_run_timestamp_seconds gauge", "# TYPE tlm_last_exit_code gauge",
            "tlm_runs_total{target=\"apply\",domain=\"web\",result=\"success\"} 2",
            "tlm_runs_total{target=\"apply\",domain=\"web\",result=\"failure\"} 1",
            "tlm_runs_total{target=\"check\",domain=\"\",result=\"failure\"} 1",
            "tlm_runs_total{target=\"sync\",domain=\"\",result=\"cancelled\"} 1",
            "tlm_run_duration_seconds_bucket{target=\"apply\",le=\"1\"} 0",
            "tlm_run_duration_seconds_bucket{target=\"apply\",le=\"2.5\"} 3",
            "tlm_run_duration_seconds_bucket{target=\"apply\",le=\"+Inf\"} 3",
            "tlm_run_duration_seconds_sum{target=\"apply\"} 4.5", "tlm_run_duration_seconds_count{target=\"apply\"} 3",
            "tlm_last_exit_code{target=\"check\"} 124", "tlm_last_exit_code{target=\"apply\"} 2",
        ] {
            #expect(text.split(separator: "\n").contains(Substring(line)), "no line \(line) in\n\(text)")
        }
        #expect(!sandbox.folder.exists("tlm.prom.tmp"))
    }

    @Test("node_exporter reads the textfile, Prometheus scrapes it: its HTTP API gives tlm report's counts")
    func nodeExporterAndPrometheus() throws {
        try recordRuns()
        let peers = TemporaryFolder()
        let textDirectory = peers.path + "/textfile"
        #expect(mkdir(textDirectory, 0o755) == 0)
        let exported = try sandbox.tlm(["export", "prometheus", "--textfile", textDirectory + "/tlm.prom"])
        #expect(exported.status == .exited(0), "\(exported.errorText)")

        let environment = ["PATH": ShippedFileTool.searchPath, "HOME": peers.path]
        let nodePort = freePort()
        let node = try Spawned(
            [
                try Peer.binary("prometheus-node-exporter"), "--web.listen-address=127.0.0.1:\(nodePort)",
                "--collector.disable-defaults", "--collector.textfile", "--log.level=error",
                "--collector.textfile.directory=\(textDirectory)",
            ], environment: environment)
        defer { Peer.stop(node) }
        #expect(
            OTLPReceiver.wait { httpGet("http://127.0.0.1:\(nodePort)/metrics")?.contains("tlm_runs_total") == true })

        let prometheusPort = freePort()
        peers.write(
            "prometheus.yml",
            """
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: node
                static_configs:
                  - targets: ['127.0.0.1:\(nodePort)']
            """)
        let prometheus = try Spawned(
            [
                try Peer.binary("prometheus"), "--config.file=\(peers.path)/prometheus.yml",
                "--storage.tsdb.path=\(peers.path)/data", "--web.listen-address=127.0.0.1:\(prometheusPort)",
                "--log.level=error",
            ], environment: environment)
        defer { Peer.stop(prometheus) }

        // sum by (target, result) (tlm_runs_total), once Prometheus has scraped it.
        let query =
            "http://127.0.0.1:\(prometheusPort)/api/v1/query?query=sum%20by%20(target%2Cresult)%20(tlm_runs_total)"
        var samples: [[String: Any]] = []
        let scraped = OTLPReceiver.wait(timeout: 60) {
            guard let body = httpGet(query),
                let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
                let data = object["data"] as? [String: Any], let result = data["result"] as? [[String: Any]],
                !result.isEmpty
            else { return false }
            samples = result
            return true
        }
        #expect(scraped, "Prometheus returned nothing for \(query)")
        var fromPrometheus: [String: [String: Int]] = [:]
        for sample in samples {
            let labels = try #require(sample["metric"] as? [String: String])
            let value = try #require((sample["value"] as? [Any])?.last as? String)
            let target = try #require(labels["target"])
            let result = try #require(labels["result"])
            fromPrometheus[target, default: [:]][result] = Int(Double(value) ?? -1)
        }
        let fromReport = try reportCounts()
        #expect(Set(fromPrometheus.keys) == Set(fromReport.keys))
        for (target, counts) in fromReport {
            let scrapedCounts = fromPrometheus[target] ?? [:]
            #expect(scrapedCounts.values.reduce(0, +) == counts["runs"], "\(target)")
            for result in ["success", "failure", "cancelled"] {
                #expect((scrapedCounts[result] ?? 0) == counts[result], "\(target) \(result)")
            }
        }
    }

    @Test("the Pushgateway receives --push, with the job and instance labels")
    func pushgateway() throws {
        try recordRuns()
        let peers = TemporaryFolder()
        let port = freePort()
        let gateway = try Spawned(
            [try Peer.binary("prometheus-pushgateway"), "--web.listen-address=127.0.0.1:\(port)", "--log.level=error"],
            environment: ["PATH": ShippedFileTool.searchPath, "HOME": peers.path])
        defer { Peer.stop(gateway) }
        #expect(OTLPReceiver.wait { httpGet("http://127.0.0.1:\(port)/metrics") != nil })

        let result = try sandbox.tlm([
            "export", "prometheus", "--push", "http://127.0.0.1:\(port)", "--job", "ci", "--instance", "runner/7",
        ])
        #expect(result.status == .exited(0), "\(result.errorText)")
        let metrics = try #require(httpGet("http://127.0.0.1:\(port)/metrics"))
        let line =
            "tlm_runs_total{domain=\"web\",instance=\"runner/7\",job=\"ci\",result=\"failure\",target=\"apply\"} 1"
        #expect(metrics.contains(line), "no \(line) in the Pushgateway's metrics")
        #expect(metrics.contains("tlm_last_exit_code{instance=\"runner/7\",job=\"ci\",target=\"check\"} 124"))

        // A Pushgateway that is not there: one line, exit 1.
        Peer.stop(gateway)
        let failed = try sandbox.tlm(["export", "prometheus", "--push", "http://127.0.0.1:\(port)", "--retries", "0"])
        #expect(failed.status == .exited(1))
        #expect(failed.errorLines.count == 1)
        #expect(failed.errorText.hasPrefix("tlm: push stopped: http://127.0.0.1:\(port)/metrics/job/tlm"))
    }
}

/// The Debian packages export is tested against (installed by .ci/deps.sh).
enum Peer {
    static func binary(_ name: String) throws -> String {
        for folder in ShippedFileTool.searchPath.split(separator: ":") + ["/usr/bin", "/usr/sbin"] {
            let path = "\(folder)/\(name)"
            if access(path, X_OK) == 0 { return path }
        }
        throw PeerFailure(description: "\(name) is not installed: run 'bash .ci/deps.sh' (Debian package \(name))")
    }

    static func stop(_ process: Spawned) {
        guard process.status == nil else { return }
        process.signal(SIGTERM)
        if (try? process.finish(timeout: 20)) == nil { process.signal(SIGKILL) }
    }
}
