# bash completion for tlm                                  -*- shell-script -*-
#
# Subcommands, their options, `help SUBCOMMAND`, and for `tlm run` the command
# to run and then that command's own completion (through bash-completion's
# _comp_command_offset or _command_offset when loaded, else command and file
# names). Kept in step with CommandCatalog by ShippedFilesTests.

_tlm() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local subcommands='run on off status report config export shell-init clear log help'
    COMPREPLY=()

    # The subcommand is the first word after `tlm` that is not an option.
    local i subcommand= at=0
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            -h | --help | -V | --version) return 0 ;; # tlm stops there
            -*) ;;
            *)
                subcommand=${COMP_WORDS[i]}
                at=$i
                break
                ;;
        esac
    done

    if [[ -z $subcommand ]]; then
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W '--help -h --version -V' -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -W "$subcommands" -- "$cur")
        fi
        return 0
    fi

    local options=
    case $subcommand in
        run)
            _tlm_run "$at"
            return 0
            ;;
        on | off | clear) options='--help -h' ;;
        config)
            # ACTION, then for get, set and unset a KEY; no completion for a VALUE.
            case $((COMP_CWORD - at)) in
                1) [[ $cur == -* ]] && options='--help -h' || options='list get set unset' ;;
                2)
                    case ${COMP_WORDS[at + 1]} in
                        get | set | unset) options='enabled tracked_targets domain_key target_programs max_log_bytes keep_rotated trace_context kill_after retry_delay retry_max_delay wrap export.endpoint export.headers export.auto export.interval export.service_name export.protocol export.compression' ;;
                    esac
                    ;;
            esac
            ;;
        status) options='--json --help -h' ;;
        report)
            if _tlm_after --by; then
                mapfile -t COMPREPLY < <(compgen -W 'target domain command day week' -- "${cur#=}")
                return 0
            fi
            if _tlm_after --format; then
                mapfile -t COMPREPLY < <(compgen -W 'text json csv markdown' -- "${cur#=}")
                return 0
            fi
            if _tlm_after --html --file; then
                compopt -o default 2>/dev/null # file names
                COMPREPLY=()
                return 0
            fi
            _tlm_after --since --until --target --domain --command --top && return 0 # a value: nothing to offer
            options='--since --until --target --domain --command --failed --by --top --format --html --file --ascii --help -h'
            ;;
        export)
            # FORMAT, then options; file names for --output, --textfile and --file.
            if ((COMP_CWORD == at + 1)) && [[ $cur != -* ]]; then
                mapfile -t COMPREPLY < <(compgen -W 'json csv otlp prometheus' -- "$cur")
                return 0
            fi
            if _tlm_after --protocol; then
                mapfile -t COMPREPLY < <(compgen -W 'http/protobuf http/json' -- "${cur#=}")
                return 0
            fi
            if _tlm_after --compression; then
                mapfile -t COMPREPLY < <(compgen -W 'gzip none' -- "${cur#=}")
                return 0
            fi
            if _tlm_after --output --textfile --file; then
                compopt -o default 2>/dev/null # file names
                COMPREPLY=()
                return 0
            fi
            _tlm_after --since --until --target --domain --command --endpoint --header --batch-size --timeout --retries --push --job --instance && return 0 # a value: nothing to offer
            options='--since --until --target --domain --command --failed --file --endpoint --header --batch-size --timeout --retries --output --dry-run --auto --protocol --compression --textfile --push --job --instance --quiet --help -h'
            ;;
        shell-init)
            # SHELL, then options; a LIST after --wrap is the user's.
            if ((COMP_CWORD == at + 1)) && [[ $cur != -* ]]; then
                mapfile -t COMPREPLY < <(compgen -W 'bash zsh fish' -- "$cur")
                return 0
            fi
            _tlm_after --wrap && return 0 # a value: nothing to offer
            options='--wrap --uninstall --help -h'
            ;;
        log)
            _tlm_after --target --duration --exit-code --domain --command && return 0 # a value: nothing to offer
            options='--target --duration --exit-code --domain --command --help -h'
            ;;
        help)
            if ((COMP_CWORD == at + 1)) && [[ $cur != -* ]]; then
                mapfile -t COMPREPLY < <(compgen -W "$subcommands" -- "$cur")
                return 0
            fi
            ((COMP_CWORD == at + 1)) && options='--help -h'
            ;;
        *) return 0 ;;
    esac
    [[ -n $options ]] && mapfile -t COMPREPLY < <(compgen -W "$options" -- "$cur")
    return 0
}

# `tlm run [OPTIONS] [--] COMMAND [ARGS...]`: options
# until `--` or the first word that is not one, then COMMAND and its arguments.
_tlm_run() {
    local at=$1
    local cur=${COMP_WORDS[COMP_CWORD]}
    local i start=0
    for ((i = at + 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
            --)
                start=$((i + 1))
                break
                ;;
            --target | --domain | --timeout | --timeout-signal | --kill-after | --retries | --retry-delay | --retry-max-delay | --logbook)
                # Skip the value: `--target NAME`, or `--target = NAME` as bash splits `--target=NAME`.
                [[ ${COMP_WORDS[i + 1]} == = ]] && ((i += 1))
                ((i += 1))
                ;;
            -*) ;;
            *)
                start=$i
                break
                ;;
        esac
    done

    if ((start == 0)); then
        # Still among tlm's options: a value, an option, or COMMAND itself.
        if _tlm_after --timeout-signal; then
            mapfile -t COMPREPLY < <(compgen -W 'TERM INT HUP QUIT KILL USR1 USR2' -- "${cur#=}")
            return 0
        fi
        if _tlm_after --logbook; then
            compopt -o default 2>/dev/null # file names
            COMPREPLY=()
            return 0
        fi
        _tlm_after --target --domain --timeout --kill-after --retries --retry-delay --retry-max-delay && return 0
        if [[ $cur == -* ]]; then
            mapfile -t COMPREPLY < <(compgen -W '--target --domain --timeout --timeout-signal --kill-after --retries --retry-delay --retry-max-delay --retry-on-timeout --quiet --logbook --no-trace-context --help -h --' -- "$cur")
            return 0
        fi
        start=$COMP_CWORD
    fi
    if declare -F _comp_command_offset >/dev/null; then
        _comp_command_offset "$start" # bash-completion 2.12 and later
    elif declare -F _command_offset >/dev/null; then
        _command_offset "$start"
    elif ((start == COMP_CWORD)); then
        mapfile -t COMPREPLY < <(compgen -c -- "$cur" | LC_ALL=C sort -u)
    else
        # No bash-completion: let readline complete file names.
        compopt -o default 2>/dev/null
        COMPREPLY=()
    fi
    return 0
}

# Whether the word being completed is the value of one of the options named.
_tlm_after() {
    local prev=${COMP_WORDS[COMP_CWORD - 1]}
    # `--target=NA` reaches us as `--target`, `=`, `NA` (COMP_WORDBREAKS holds `=`);
    # `--target=` as `--target`, `=`, whose previous word is the option itself.
    if [[ $prev == = ]] && ((COMP_CWORD >= 2)); then prev=${COMP_WORDS[COMP_CWORD - 2]}; fi
    local option
    for option; do [[ $prev == "$option" ]] && return 0; done
    return 1
}

complete -F _tlm tlm
