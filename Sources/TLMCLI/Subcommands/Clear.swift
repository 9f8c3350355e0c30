import TLMRecorder
import TLMSupervisor

/// `tlm clear`: delete every file tlm wrote, naming each; a file of another
/// tool with one of tlm's names is kept, and named on stderr.
enum Clear: Subcommand {
    static let spec = CommandSpec(
        "clear", "Delete every file tlm wrote (logs, marker, config, lock), naming each", options: [])

    static func main(_ invocation: Invocation) throws(CLIError) -> Int32 {
        let home = try CLI.home(invocation.environment)
        let removed: [String]
        var kept: [String] = []
        do {
            removed = try home.removeAll(kept: &kept)
        } catch {
            throw .failure(error.description)
        }
        if removed.isEmpty {
            Console.out("nothing to remove in \(home.folder)\n")
        } else {
            for path in removed { Console.out("removed \(path)\n") }
        }
        for path in kept {
            Console.warn("kept \(path): not a file tlm wrote (remove it yourself if it is)")
        }
        return ExitStatus.success
    }
}
