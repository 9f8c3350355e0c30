import TLMRecorder

/// `tlm clear`: delete every file tlm wrote, naming each.
enum Clear {
    static func main(_ environment: Environment) throws(CLIError) -> Int32 {
        let home = try CLI.home(environment)
        let removed: [String]
        do {
            removed = try home.removeAll()
        } catch {
            throw .failure(error.description)
        }
        if removed.isEmpty {
            Console.out("nothing to remove in \(home.folder)\n")
        } else {
            for path in removed { Console.out("removed \(path)\n") }
        }
        return ExitStatus.success
    }
}
