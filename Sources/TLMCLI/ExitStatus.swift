import TLMSupervisor

// The exit statuses live in TLMSupervisor, beside run's 124–127: these names let every
// file of the command line say `ExitStatus.usage` without an import of the supervisor.
typealias ExitStatus = TLMSupervisor.ExitStatus
// Export's delivery waits between retries as run does (Backoff moved with run's retries).
typealias Backoff = TLMSupervisor.Backoff
