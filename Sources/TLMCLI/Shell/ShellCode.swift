import TLMRecorder

/// The code `tlm shell-init` prints for `eval`: one shell function per wrapped
/// command, named like it, that runs it through `tlm run --`.
///
/// - Completion: shells look completions up by the command's name, so a
///   function named `make` keeps `make`'s own completion (bash-completion's
///   `_make`, zsh's `_make`, fish's `make.fish`).
/// - `command make` skips functions: the real one, always.
/// - A command that is not installed is run with `command`, so the shell says
///   its usual "command not found" (127), not tlm.
/// - tlm's path is checked once when the code is evaluated (nothing is defined
///   when it is not there), and before each call (a test of one file): when
///   tlm was removed since, the real command runs.
/// - Evaluating the code again first removes what the previous evaluation
///   defined (the list is kept in `__tlm_wrapped`): nothing is wrapped twice.
/// - `--uninstall` prints the code that removes it all.
/// - What a completion runs is not a run (bash: `COMP_LINE` set; zsh: inside a
///   completion widget; fish: inside any command substitution): the wrapper
///   then runs the command directly.
/// - bash runs tlm through `eval` of the words quoted with `%q`, so that
///   `jobs` names a stopped job after its command and arguments.
/// - fish, interactive, 3.6 or later: a typed name is also an abbreviation
///   that becomes `tlm run -- NAME` on the command line, so that fish sees a
///   plain command (Ctrl-C stops a loop around it, Ctrl-Z says which job
///   stopped); the function serves what is not typed.
/// - A function of the user's own with the same name is left alone (a note
///   on standard error says so).
enum ShellCode {
    enum Shell: String, CaseIterable {
        case bash, zsh, fish
    }

    /// A single-quoted word for bash, zsh and fish (`'it'\''s'`; fish: `'it\'s'`).
    static func quoted(_ text: String, for shell: Shell) -> String {
        shell == .fish ? Escaping.fishSingleQuoted(text) : Escaping.shellSingleQuoted(text)
    }

    /// The code that wraps `names`, with tlm at `tlm`.
    static func install(_ names: [String], tlm: String, shell: Shell) -> String {
        let list = names.joined(separator: " ")
        let header =
            "# tlm shell-init \(shell.rawValue): run \(names.isEmpty ? "nothing" : list) through 'tlm run --'.\n"
            + "# Undo: \(undo(shell)); 'command NAME' runs the real one.\n"
        let bin = quoted(tlm, for: shell)
        switch shell {
        case .bash, .zsh:
            let external = shell == .bash ? "type -P -- \"$1\" >/dev/null 2>&1" : "whence -p -- \"$1\" >/dev/null 2>&1"
            var out = header + uninstallBody(shell) + "if [ -x \(bin) ]; then\n"
            out += "    __tlm_bin=\(bin)\n"
            out += "    __tlm_wrapped=\n"
            out += "    __tlm_run() {\n"
            if shell == .bash {
                // COMP_LINE is set while a completion function runs (bash-completion's _make
                // calls `make` on every Tab): that is not a run. The command is run through
                // eval, with its words quoted (%q), so that `jobs` and the "Stopped" line show
                // `/path/tlm run -- vi notes.txt` rather than this function's own text.
                out +=
                    "        if [ -x \"$__tlm_bin\" ] && [ -z \"${COMP_LINE+x}${COMP_POINT+x}\" ] && \(external); then\n"
                out += "            local __tlm_line\n"
                out += "            printf -v __tlm_line ' %q' \"$__tlm_bin\" run -- \"$@\"\n"
                out += "            eval \"$__tlm_line\"\n"
            } else {
                // compstate exists only while a completion widget runs (zsh's _make calls
                // `make` on every Tab): that is not a run.
                out += "        if [ -x \"$__tlm_bin\" ] && (( ! ${+compstate} )) && \(external); then\n"
                out += "            \"$__tlm_bin\" run -- \"$@\"\n"
            }
            out += "        else\n"
            out += "            command \"$@\"\n"
            out += "        fi\n"
            out += "    }\n"
            for name in names {
                // A function of the user's own with this name is left alone.
                let check =
                    shell == .bash
                    ? "declare -F -- \(name) >/dev/null" : "(( ${+functions[\(name)]} ))"
                out += "    if \(check); then\n"
                out += "        echo \"tlm shell-init: \(name) is already a function of yours: not wrapped\" >&2\n"
                out += "    else\n"
                out += "        function \(name) { __tlm_run \(name) \"$@\"; }\n"
                out += "        __tlm_wrapped=\"${__tlm_wrapped:+$__tlm_wrapped }\(name)\"\n"
                out += "    fi\n"
            }
            out += "fi\n"
            return out
        case .fish:
            var out = header + uninstallBody(shell) + "if test -x \(bin)\n"
            out += "    set -g __tlm_bin \(bin)\n"
            out += "    set -g __tlm_wrapped\n"
            out += "    function __tlm_run\n"
            // Completions run their commands in command substitutions (make.fish runs
            // `make --version` on every Tab), and so does `set v (make -s version)`: not runs.
            out +=
                "        if test -x \"$__tlm_bin\"; and not status is-command-substitution; and command -q -- $argv[1]\n"
            out += "            \"$__tlm_bin\" run -- $argv\n"
            out += "        else\n"
            out += "            command $argv\n"
            out += "        end\n"
            out += "    end\n"
            // At an interactive prompt, a typed name is an abbreviation that becomes
            // `tlm run -- NAME` on the command line: a function stands between fish and the
            // command, and fish then neither stops a loop or a list on Ctrl-C nor says
            // "has stopped" on Ctrl-Z; a plain command keeps both. The function stays for
            // what is not typed (scripts, other functions). `abbr --function` is fish 3.6's.
            out += "    set -g __tlm_abbreviated\n"
            out +=
                "    if status is-interactive; and string match -qr '^(3\\.([6-9]|[1-9][0-9])|[4-9]|[1-9][0-9])\\.' -- $version\n"
            out += "        set -g __tlm_abbreviations 1\n"
            out += "        function __tlm_expand\n"
            out += "            test -x \"$__tlm_bin\"; and command -q -- $argv[1]; or return 1\n"
            out += "            set -l found (command -s tlm)\n"
            out += "            if test \"$found\" = \"$__tlm_bin\"; and not functions -q tlm\n"
            out += "                echo tlm run -- $argv[1]\n"
            out += "            else\n"
            out += "                echo (string escape -- $__tlm_bin) run -- $argv[1]\n"
            out += "            end\n"
            out += "        end\n"
            out += "    end\n"
            for name in names {
                out += "    if functions -q \(name)\n"
                out += "        echo \"tlm shell-init: \(name) is already a function of yours: not wrapped\" >&2\n"
                out += "    else\n"
                out += "        function \(name) --description '\(name), through tlm run'\n"
                out += "            __tlm_run \(name) $argv\n"
                out += "        end\n"
                out += "        set -g -a __tlm_wrapped \(name)\n"
                out += "        if set -q __tlm_abbreviations; and not abbr -q \(name)\n"
                out += "            abbr -a \(name) --function __tlm_expand\n"
                out += "            set -g -a __tlm_abbreviated \(name)\n"
                out += "        end\n"
                out += "    end\n"
            }
            out += "    set -e __tlm_abbreviations\n"
            out += "end\n"
            return out
        }
    }

    /// The command that evaluates `--uninstall`'s code, as README.md gives it: fish
    /// pipes it to `source`, its own way to run generated code.
    static func undo(_ shell: Shell) -> String {
        shell == .fish
            ? "tlm shell-init fish --uninstall | source" : "eval \"$(tlm shell-init \(shell.rawValue) --uninstall)\""
    }

    /// The code that removes what `install` defined.
    static func uninstall(_ shell: Shell) -> String {
        "# tlm shell-init \(shell.rawValue) --uninstall: the commands run as without tlm again.\n"
            + uninstallBody(shell)
    }

    private static func uninstallBody(_ shell: Shell) -> String {
        switch shell {
        case .bash:
            return "for __tlm_name in ${__tlm_wrapped-}; do unset -f -- \"$__tlm_name\"; done\n"
                + "unset -f __tlm_run 2>/dev/null; unset __tlm_bin __tlm_wrapped __tlm_name\n"
        case .zsh:
            return "for __tlm_name in ${=__tlm_wrapped-}; do unfunction -- \"$__tlm_name\" 2>/dev/null; done\n"
                + "unfunction __tlm_run 2>/dev/null; unset __tlm_bin __tlm_wrapped __tlm_name\n"
        case .fish:
            return "for __tlm_name in $__tlm_wrapped; functions -e $__tlm_name; end\n"
                + "for __tlm_name in $__tlm_abbreviated; abbr -e $__tlm_name; end\n"
                + "functions -e __tlm_run __tlm_expand; set -e __tlm_bin; set -e __tlm_wrapped; set -e __tlm_abbreviated\n"
                + "set -e __tlm_name\n"
        }
    }
}
