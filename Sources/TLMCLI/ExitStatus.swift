import TLMSupervisor

// The exit statuses live in TLMSupervisor, beside run's 124–127. Every file of the
// command line that says `ExitStatus` or `Backoff` is to import TLMSupervisor; these
// names remain only until Report, Status, Export and Log do (then this file goes).
typealias ExitStatus = TLMSupervisor.ExitStatus
typealias Backoff = TLMSupervisor.Backoff
