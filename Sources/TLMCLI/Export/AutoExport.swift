import CSystem
import TLMExport
import TLMRecorder
import TLMSystem

/// `export.auto`: after `tlm run` recorded its event, a background
/// `tlm-export export otlp --auto`, at most once per `export.interval`.
///
/// The export runs in its own session, with standard input and output on
/// /dev/null and no other descriptor of tlm's (a CI step reading the job's
/// output sees its end when tlm exits), so the command's exit and timing never
/// wait for it and it never prints. It takes `export.lock` or gives up at once,
/// so at most one runs at a time. On a run that is not due, this costs one `lstat`.
enum AutoExport {
    /// With `debug` (`TLM_DEBUG`), says whether it started, or why not.
    static func startIfDue(_ home: TelemetryHome, _ settings: Settings, _ environment: Environment, debug: Bool) {
        if let reason = ExportSchedule.notDue(home, settings, environment, checkingLock: debug) {
            if debug { Console.warn("debug: automatic export not started: " + reason.description) }
            return
        }
        let helper = ExportCommand.helperPath()
        let words = ["tlm-export", "export", "otlp", "--auto"]
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
        argv.append(nil)
        defer { for word in argv { free(word) } }  // found by LeakSanitizer
        var pid: pid_t = 0
        let code = tlm_spawn_detached(helper, argv, environ, &pid)
        if code != 0 {
            Console.warn("cannot start the automatic export (\(Errno(code).message))")
        } else if debug {
            Console.warn("debug: automatic export started (\(helper), pid \(pid))")
        }
    }
}
