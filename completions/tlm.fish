# fish completion for tlm: subcommands, their options, `help SUBCOMMAND`, and
# for `tlm run` the command to run and then that command's own completion
# (through __fish_complete_subcommand). Kept in step with CommandCatalog by
# ShippedFilesTests.

# Prints the subcommand (the first word after `tlm` that is not an option).
function __fish_tlm_subcommand
    for token in (commandline -opc)[2..-1]
        switch $token
            case '-*'
                continue
            case '*'
                echo $token
                return 0
        end
    end
    return 1
end

function __fish_tlm_needs_subcommand
    set -l tokens (commandline -opc)[2..-1]
    # `tlm --help` and `tlm --version` end there.
    contains -- --help $tokens; or contains -- -h $tokens; or contains -- --version $tokens; or contains -- -V $tokens
    and return 1
    not __fish_tlm_subcommand >/dev/null
end

function __fish_tlm_using
    set -l subcommand (__fish_tlm_subcommand)
    and test "$subcommand" = "$argv[1]"
end

# For `tlm run`: prints the words from COMMAND up to the cursor, the word being
# completed last, once COMMAND has begun (after `--` or at the first word that
# is not an option); fails while tlm's own options are still being given.
function __fish_tlm_run_command
    set -l tokens (commandline -opc) (commandline -ct)
    set -l count (count $tokens)
    set -l run (contains -i -- run $tokens)
    or return 1
    set -l i (math $run + 1)
    while test $i -lt $count
        switch $tokens[$i]
            case --
                set i (math $i + 1)
                break
            case --target --domain --timeout --timeout-signal --kill-after --retries --retry-delay --retry-max-delay --logbook
                set i (math $i + 2)
                continue
            case '-*'
                set i (math $i + 1)
                continue
        end
        break
    end
    # The word being completed is COMMAND itself unless it is still an option or an option's value.
    if test $i -eq $count
        set -l previous $tokens[(math $count - 1)]
        if string match -q -- '-*' $tokens[$count]; and test "$previous" != --
            return 1
        end
        if contains -- $previous --target --domain --timeout --timeout-signal --kill-after --retries --retry-delay --retry-max-delay --logbook
            return 1
        end
    end
    test $i -le $count; or return 1
    printf '%s\n' $tokens[$i..-1]
end

function __fish_tlm_run_options
    __fish_tlm_using run; and not __fish_tlm_run_command >/dev/null
end

function __fish_tlm_complete_run_command
    set -l command (__fish_tlm_run_command)
    or return
    # A COMMAND that starts with a dash (after `--`) has nothing to offer.
    string match -q -- '-*' $command[1]; and return
    __fish_complete_subcommand --commandline $command
end

complete -c tlm -f

# tlm itself
complete -c tlm -n __fish_tlm_needs_subcommand -s h -l help -d 'Show help'
complete -c tlm -n __fish_tlm_needs_subcommand -s V -l version -d "Show tlm's version"
complete -c tlm -n __fish_tlm_needs_subcommand -a run -d 'Run COMMAND exactly as without tlm, and record one event when telemetry is on'
complete -c tlm -n __fish_tlm_needs_subcommand -a on -d 'Opt in: record events from now on'
complete -c tlm -n __fish_tlm_needs_subcommand -a off -d 'Opt out: record nothing more (recorded data is kept)'
complete -c tlm -n __fish_tlm_needs_subcommand -a status -d 'Say whether telemetry is on and why, where data lives, and how much there is'
complete -c tlm -n __fish_tlm_needs_subcommand -a report -d 'Summarise the recorded runs: counts, failures, durations, activity, what changed'
complete -c tlm -n __fish_tlm_needs_subcommand -a config -d 'Show or change the settings in config.json (every key, its value and where it came from)'
complete -c tlm -n __fish_tlm_needs_subcommand -a export -d 'Hand the events to other tools: JSON lines, CSV, an OpenTelemetry collector, Prometheus'
complete -c tlm -n __fish_tlm_needs_subcommand -a shell-init -d "Print the code that makes your shell run the commands in 'wrap' through tlm run"
complete -c tlm -n __fish_tlm_needs_subcommand -a clear -d 'Delete every file tlm wrote (logs, marker, config, lock), naming each'
complete -c tlm -n __fish_tlm_needs_subcommand -a log -d 'Record an event measured outside tlm (when telemetry is on)'
complete -c tlm -n __fish_tlm_needs_subcommand -a help -d 'Show help for tlm or one subcommand'

# run [OPTIONS] [--] COMMAND [ARGS...]
complete -c tlm -n __fish_tlm_run_options -l target -x -d 'Record NAME as the target instead of guessing it'
complete -c tlm -n __fish_tlm_run_options -l domain -x -d 'Record NAME as the domain instead of the G= argument'
complete -c tlm -n __fish_tlm_run_options -l timeout -x -d 'End COMMAND and all it started after DURATION (90s, 10m, 1h30m)'
complete -c tlm -n __fish_tlm_run_options -l timeout-signal -x -a 'TERM INT HUP QUIT KILL USR1 USR2' -d 'The signal sent first on timeout (default TERM; 0 sends none)'
complete -c tlm -n __fish_tlm_run_options -l kill-after -x -d 'Then KILL what is left after DURATION (default 10s)'
complete -c tlm -n __fish_tlm_run_options -l retries -x -d 'Rerun COMMAND up to N times while it fails'
complete -c tlm -n __fish_tlm_run_options -l retry-delay -x -d 'The first wait between attempts (default 1s), doubling'
complete -c tlm -n __fish_tlm_run_options -l retry-max-delay -x -d 'The longest wait between attempts (default 60s)'
complete -c tlm -n __fish_tlm_run_options -l retry-on-timeout -d 'Retry after a timeout too'
complete -c tlm -n __fish_tlm_run_options -l quiet -d 'Say nothing between attempts, nor when giving up or timing out'
complete -c tlm -n __fish_tlm_run_options -l logbook -r -F -d 'Write a JSON report of this run to FILE (even with telemetry off)'
complete -c tlm -n __fish_tlm_run_options -l no-trace-context -d "Do not set TRACEPARENT in COMMAND's environment"
complete -c tlm -n __fish_tlm_run_options -s h -l help -d 'Show help for this subcommand'
complete -c tlm -n '__fish_tlm_using run' -a '(__fish_tlm_complete_run_command)'

# on, off, clear
for subcommand in on off clear
    complete -c tlm -n "__fish_tlm_using $subcommand" -s h -l help -d 'Show help for this subcommand'
end

# config list | get KEY | set KEY VALUE | unset KEY
complete -c tlm -n '__fish_tlm_using config' -s h -l help -d 'Show help for this subcommand'
complete -c tlm -n '__fish_tlm_using config; and test (count (commandline -opc)) -eq 2' -a 'list get set unset'
complete -c tlm -n '__fish_tlm_using config; and test (count (commandline -opc)) -eq 3; and contains -- (commandline -opc)[3] get set unset' -a 'enabled tracked_targets domain_key target_programs max_log_bytes keep_rotated trace_context kill_after retry_delay retry_max_delay wrap export.endpoint export.headers export.auto export.interval export.service_name export.protocol export.compression'

# status [--json]
complete -c tlm -n '__fish_tlm_using status' -l json -d 'Print the status as one JSON object'
complete -c tlm -n '__fish_tlm_using status' -s h -l help -d 'Show help for this subcommand'

# report [OPTIONS]
complete -c tlm -n '__fish_tlm_using report' -l since -x -d 'Only runs that started at or after WHEN (7d, 12h, 2026-01-01, ISO 8601)'
complete -c tlm -n '__fish_tlm_using report' -l until -x -d 'Only runs that started before WHEN (same forms)'
complete -c tlm -n '__fish_tlm_using report' -l target -x -d 'Only this target (repeatable)'
complete -c tlm -n '__fish_tlm_using report' -l domain -x -d 'Only this domain (repeatable)'
complete -c tlm -n '__fish_tlm_using report' -l command -x -d 'Only runs of this program'
complete -c tlm -n '__fish_tlm_using report' -l failed -d 'Only runs that did not succeed'
complete -c tlm -n '__fish_tlm_using report' -l by -x -a 'target domain command day week' -d 'Group by'
complete -c tlm -n '__fish_tlm_using report' -l top -x -d 'Show the N largest groups'
complete -c tlm -n '__fish_tlm_using report' -l format -x -a 'text json csv markdown' -d 'Output format'
complete -c tlm -n '__fish_tlm_using report' -l html -r -F -d 'Also write a self-contained HTML report to FILE'
complete -c tlm -n '__fish_tlm_using report' -l file -r -F -d 'Read PATH instead of the log (- for standard input)'
complete -c tlm -n '__fish_tlm_using report' -l ascii -d 'Draw with ASCII only'
complete -c tlm -n '__fish_tlm_using report' -s h -l help -d 'Show help for this subcommand'

# shell-init bash | zsh | fish [--wrap LIST] [--uninstall]
complete -c tlm -n '__fish_tlm_using shell-init; and test (count (commandline -opc)) -eq 2' -a 'bash zsh fish'
complete -c tlm -n '__fish_tlm_using shell-init' -l wrap -x -d "Wrap these commands (make,terraform) instead of the wrap key's"
complete -c tlm -n '__fish_tlm_using shell-init' -l uninstall -d 'Print the code that removes the wrappers'
complete -c tlm -n '__fish_tlm_using shell-init' -s h -l help -d 'Show help for this subcommand'

# export json | csv | otlp | prometheus [OPTIONS]
complete -c tlm -n '__fish_tlm_using export; and test (count (commandline -opc)) -eq 2' -a 'json csv otlp prometheus'
complete -c tlm -n '__fish_tlm_using export' -l since -x -d 'json, csv: only runs that started at or after WHEN'
complete -c tlm -n '__fish_tlm_using export' -l until -x -d 'json, csv: only runs that started before WHEN'
complete -c tlm -n '__fish_tlm_using export' -l target -x -d 'json, csv: only this target (repeatable)'
complete -c tlm -n '__fish_tlm_using export' -l domain -x -d 'json, csv: only this domain (repeatable)'
complete -c tlm -n '__fish_tlm_using export' -l command -x -d 'json, csv: only runs of this program'
complete -c tlm -n '__fish_tlm_using export' -l failed -d 'json, csv: only runs that did not succeed'
complete -c tlm -n '__fish_tlm_using export' -l file -r -F -d 'json, csv: read PATH instead of the log (- for standard input)'
complete -c tlm -n '__fish_tlm_using export' -l endpoint -x -d "otlp: the collector's OTLP/HTTP address (/v1/traces is added)"
complete -c tlm -n '__fish_tlm_using export' -l header -x -d 'otlp: send this HTTP header too (repeatable)'
complete -c tlm -n '__fish_tlm_using export' -l batch-size -x -d 'otlp: events per request (default 512)'
complete -c tlm -n '__fish_tlm_using export' -l timeout -x -d 'otlp, --push: the longest wait for an answer (default 10s)'
complete -c tlm -n '__fish_tlm_using export' -l retries -x -d 'otlp, --push: tries again up to N times (default 5)'
complete -c tlm -n '__fish_tlm_using export' -l output -r -F -d 'otlp: write the requests to FILE instead of sending them'
complete -c tlm -n '__fish_tlm_using export' -l dry-run -d 'otlp: show what would be sent, send nothing'
complete -c tlm -n '__fish_tlm_using export' -l auto -d "otlp: as run's automatic export: silent, skipped when one is running"
complete -c tlm -n '__fish_tlm_using export' -l protocol -x -a 'http/protobuf http/json' -d 'otlp: http/protobuf (the default) or http/json'
complete -c tlm -n '__fish_tlm_using export' -l compression -x -a 'gzip none' -d 'otlp: gzip the request bodies, or none (the default)'
complete -c tlm -n '__fish_tlm_using export' -l textfile -r -F -d 'prometheus: write the metrics to PATH (a .prom file)'
complete -c tlm -n '__fish_tlm_using export' -l push -x -d 'prometheus: send the metrics to this Pushgateway'
complete -c tlm -n '__fish_tlm_using export' -l job -x -d 'prometheus --push: the job label (default tlm)'
complete -c tlm -n '__fish_tlm_using export' -l instance -x -d 'prometheus --push: an instance label (default none)'
complete -c tlm -n '__fish_tlm_using export' -l quiet -d 'Print nothing but errors'
complete -c tlm -n '__fish_tlm_using export' -s h -l help -d 'Show help for this subcommand'

# log --target NAME --duration DURATION --exit-code N [--domain NAME] [--command NAME]
complete -c tlm -n '__fish_tlm_using log' -l target -x -d 'The target (a plain word); required'
complete -c tlm -n '__fish_tlm_using log' -l duration -x -d 'How long it took: seconds (1.5) or 1.5s, 90s, 2m; required'
complete -c tlm -n '__fish_tlm_using log' -l exit-code -x -d 'Its exit status, 0 to 255; required'
complete -c tlm -n '__fish_tlm_using log' -l domain -x -d 'The domain (a plain word; empty for none)'
complete -c tlm -n '__fish_tlm_using log' -l command -x -d "The program's name (a plain word)"
complete -c tlm -n '__fish_tlm_using log' -s h -l help -d 'Show help for this subcommand'

# help [SUBCOMMAND]
complete -c tlm -n '__fish_tlm_using help; and test (count (commandline -opc)) -le 2' -s h -l help -d 'Show help for this subcommand'
complete -c tlm -n '__fish_tlm_using help; and test (count (commandline -opc)) -le 2' -a 'run on off status report config export shell-init clear log help'
