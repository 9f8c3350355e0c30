import TLMRecorder
import TLMSupervisor

/// `tlm run --logbook FILE`: the run's `Logbook`, written by the output-file rule (AtomicFile.saveOutput).
enum RunLogbook {
    /// The logbook of a finished run: what its `event` (`Run.event`) says, attempt by attempt.
    static func logbook(_ attempts: Attempts, _ event: Event, retries: Int) -> Logbook {
        let results = attempts.results
        let last = results[results.count - 1]
        let status: Logbook.Status
        if last.timedOut {
            status = .timeout
        } else if last.status.isSuccess {
            status = .success
        } else if attempts.cancelled {
            status = .cancelled
        } else {
            status = .failure
        }
        let started = event.timestamp
        let total = event.durationSeconds
        return Logbook(
            status: status,
            exitCode: event.exitCode,
            signal: event.signal,
            durationSeconds: total,
            startedAt: started,
            endedAt: Timestamp(
                millisecondsSinceEpoch: started.millisecondsSinceEpoch + Int64((total * 1000).rounded())),
            command: event.command ?? "",
            target: event.target,
            domain: event.domain,
            host: HostInfo.current(),
            attempts: results.map { result in
                Logbook.Attempt(
                    startedAt: Timestamp(millisecondsSinceEpoch: result.startedAtMilliseconds),
                    durationSeconds: result.durationSeconds, exitCode: Int(result.status.shellStatus),
                    signal: Attempts.signalName(result), timedOut: result.timedOut,
                    cpuUserSeconds: result.userCPUSeconds,
                    cpuSystemSeconds: result.systemCPUSeconds, maxRSSKilobytes: result.maxRSSKilobytes)
            },
            maxRetries: retries)
    }

    /// Writes it; a failure is one warning, never a change of exit status.
    static func write(_ logbook: Logbook, to path: String) {
        do {
            try AtomicFile.saveOutput(LogbookEncoder.json(logbook), to: path)
        } catch {
            switch error {
            case .failure(let text), .usage(let text, _):
                Console.warn(text + " (logbook skipped; exit code unchanged)")
            }
        }
    }
}
