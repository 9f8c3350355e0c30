import Testing

@testable import TLMRecorder

@Suite("Target, domain and command names")
struct CommandNamingTests {
    let naming = CommandNaming()

    @Test(
        "target and domain from a command line",
        arguments: [
            (["make", "apply", "G=web"], "apply", "web"),
            (["make", "-j4", "-C", "src", "test"], "test", nil),
            (["cargo", "build", "--release"], "build", nil),
            (["./deploy.sh", "/home/alice/x"], "deploy.sh", nil),
            (["make"], "make", nil),
            (["make", "G=web"], "make", "web"),
            (["/usr/bin/make", "-f", "build.mk", "lint"], "lint", nil),
            (["make", "-j", "4", "test"], "test", nil),
            (["make", "-l", "2.5", "sync"], "sync", nil),
            (["make", "--directory", "src", "--file=x.mk", "apply-infra"], "apply-infra", nil),
            (["make", "-sC", "src", "check"], "check", nil),
            (["make", "-Csrc", "check"], "check", nil),
            (["make", "-I", "inc", "-o", "old", "-W", "new", "deploy"], "deploy", nil),
            (["make", "--jobs", "8", "all"], "all", nil),
            (["make", "--jobs", "all"], "all", nil),
            (["make", "V=1", "G=db", "apply", "G=pro"], "apply", "pro"),
            (["make", "apply", "G=/etc/passwd"], "apply", nil),
            (["make", "apply", "G="], "apply", nil),
            (["make", "apply", "G=a b"], "apply", nil),
            (["make", "https://example.com/x?token=1"], "make", nil),
            (["make", "alice@example.com"], "make", nil),
            (["make", ""], "make", nil),
            // Not a target program: its operands are files (and ansible's, host patterns).
            (["ansible-playbook", "-i", "hosts", "site.yml"], "ansible-playbook", nil),
            (["curl", "-u", "alice:hunter2", "https://example.com/"], "curl", nil),
            (["curl", "--user", "alice:hunter2", "https://example.com/"], "curl", nil),
            (["cargo", "--verbose", "build"], "cargo", nil),
            (["cargo", "--color=never", "build"], "build", nil),
            (["npm", "run", "build", "--", "--watch"], "run", nil),
            (["ninja", "-C", "out", "install"], "install", nil),
            (["kubectl", "-n", "prod", "apply", "-f", "x.yaml"], "apply", nil),
            (["just", "--", "-weird"], "-weird", nil),
            (["just", "-v", "--", "deploy"], "deploy", nil),
            (["make", "-k", "test"], "test", nil),
            (["terraform", "plan", "-var=x=1"], "plan", nil),
            // Wrappers are named, not what they run: their operand is another command line.
            (["python3", "-m", "pytest"], "python3", nil),
            (["sudo", "make", "apply"], "sudo", nil),
            (["env", "X=1", "make", "apply"], "env", nil),
            (["npx", "jest"], "npx", nil),
            (["make", String(repeating: "a", count: 65)], "make", nil),
            (["make", String(repeating: "a", count: 64)], String(repeating: "a", count: 64), nil),
            (["make", "--", "apply"], "apply", nil),
            (["make", "café"], "make", nil),
            (["git", "-C", "repo", "status"], "status", nil),
            // A cluster of short options may take several values: nothing after it is kept.
            (["htpasswd", "-nb", "alice", "hunter2"], "htpasswd", nil),
            (["git", "-nb", "alice", "status"], "git", nil),
            (["tar", "-xzf", "backup.tgz", "restore"], "tar", nil),
            (["just", "-", "deploy"], "deploy", nil),
            (["ninja", "-j4", "install"], "install", nil),
            (["just", "-o=out", "deploy"], "deploy", nil),
            (["make", "-E", "x := hunter2", "apply"], "apply", nil),
            (["make", "-E", "hunter2", "apply"], "apply", nil),
            (["make", "--eval", "hunter2", "apply"], "apply", nil),
            (["make", "-sE", "hunter2", "apply"], "apply", nil),
        ] as [([String], String, String?)])
    func targetAndDomain(arguments: [String], target: String, domain: String?) {
        #expect(naming.target(arguments) == target)
        #expect(naming.domain(arguments) == domain)
    }

    /// The privacy promise: the operands of any program not known to take a target
    /// first are host, user, database or file names, or secrets, and never recorded.
    @Test(
        "a program not known to take a target records its own name, never an operand",
        arguments: [
            (["ssh", "prod-db-7"], "ssh", nil),
            (["su", "alice"], "su", nil),
            (["psql", "customers"], "psql", nil),
            (["mysql", "-u", "root", "secretdb"], "mysql", nil),
            (["htpasswd", "-b", "file", "user", "pass"], "htpasswd", nil),
            (["sh", "-c", "cmd", "hunter2"], "sh", nil),
            (["ping", "10.0.0.5"], "ping", nil),
            (["nslookup", "internal-host"], "nslookup", nil),
            (["vi", "notes.txt"], "vi", nil),
            (["sleep", "5"], "sleep", nil),
            (["/usr/bin/ssh", "-p", "22", "backup-host"], "ssh", nil),
            (["tool", "deploy"], "tool", nil),
            (["./deploy.sh", "prod", "G=web"], "deploy.sh", "web"),
        ] as [([String], String, String?)])
    func unknownProgramsKeepNoOperand(arguments: [String], target: String, domain: String?) {
        #expect(naming.target(arguments) == target)
        #expect(naming.domain(arguments) == domain)
    }

    @Test(
        "programs whose first operand is a target or a subcommand keep it",
        arguments: [
            (["gmake", "install"], "install"), (["just", "deploy", "prod-db-7"], "deploy"),
            (["task", "build"], "build"), (["rake", "db:migrate"], "db:migrate"), (["mage", "lint"], "lint"),
            (["invoke", "test"], "test"), (["go", "test", "./..."], "test"), (["pnpm", "install"], "install"),
            (["yarn", "build"], "build"), (["docker", "--context", "prod-db", "ps"], "ps"),
            (["docker", "compose", "up"], "compose"), (["helm", "upgrade", "my-release", "chart"], "upgrade"),
            (["tofu", "-chdir=infra", "apply"], "apply"), (["swift", "build"], "build"),
            (["./gradlew", "assemble"], "assemble"), (["mvn", "-P", "prod", "-Dpassword=x", "deploy"], "deploy"),
            (["bazel", "build", "//x:y"], "build"), (["uv", "run", "pytest"], "run"),
            (["pip", "install", "requests"], "install"), (["bundle", "exec", "rspec"], "exec"),
            (["mix", "test"], "test"), (["npm", "run", "build"], "run"),
            // A subcommand never holds a dot: a file run by the tool is not recorded.
            (["swift", "script.swift"], "swift"), (["bun", "x.ts"], "bun"), (["dotnet", "app.dll"], "dotnet"),
            // A make target may (`make foo.o`).
            (["make", "README.html"], "README.html"), (["ninja", "foo.o"], "foo.o"),
        ] as [([String], String)])
    func targetPrograms(arguments: [String], target: String) {
        #expect(naming.target(arguments) == target)
    }

    @Test(
        "the domain is a positional KEY=value, never an option's value",
        arguments: [
            (["curl", "-d", "G=hunter2", "https://example.com/"], nil),
            (["curl", "--data", "G=hunter2", "https://example.com/"], nil),
            (["curl", "-dG=hunter2", "https://example.com/"], nil),
            (["make", "-f", "G=hunter2", "apply"], nil),
            (["make", "-E", "G=hunter2", "apply"], nil),
            (["make", "-j", "G=web", "apply"], "web"),  // -j takes only a number
            (["make", "--", "G=web"], "web"),
            (["tar", "-xzf", "G=x", "G=y"], nil),  // after a cluster, nothing is positional
            (["env", "G=web", "make", "apply"], "web"),
            (["git", "commit", "-m", "G=hunter2"], nil),
            (["./deploy.sh", "--", "G=web"], "web"),
        ] as [([String], String?)])
    func domainIsPositional(arguments: [String], domain: String?) {
        #expect(naming.domain(arguments) == domain)
    }

    @Test("target_programs adds (name, +name) and removes (-name) programs; the last mention wins")
    func programEdits() {
        let edited = CommandNaming(programEdits: ["+mytool", "other", "-task", "-make", "-git", "git"])
        #expect(edited.target(["mytool", "deploy"]) == "deploy")
        #expect(edited.target(["other", "-v", "deploy"]) == "other")  // `-v` may take `deploy`
        #expect(edited.target(["task", "build"]) == "task")
        #expect(edited.target(["make", "apply"]) == "make")
        #expect(edited.target(["git", "status"]) == "status")
        #expect(edited.target(["ssh", "prod-db-7"]) == "ssh")
        // A built-in added again keeps its own reading (make's options).
        #expect(CommandNaming(programEdits: ["make"]).target(["make", "-C", "src", "test"]) == "test")
        #expect(CommandNaming(programEdits: ["ssh", "-ssh"]).target(["ssh", "prod-db-7"]) == "ssh")
    }

    @Test(
        "target_programs values",
        arguments: [
            ("", true), ("mytool", true), ("+mytool,-task", true), ("a.b_c:d-e", true),
            (",", false), ("a,,b", false), ("a b", false), ("+", false), ("-", false), ("--task", false),
            ("+-task", false), ("/usr/bin/x", false), ("a,", false), ("é", false),
        ])
    func programEditValues(text: String, valid: Bool) {
        #expect(CommandNaming.isProgramEditList(text) == valid)
    }

    @Test("the domain key is configurable")
    func domainKey() {
        let byEnv = CommandNaming(domainKey: "ENV")
        #expect(byEnv.domain(["make", "apply", "G=web", "ENV=prod"]) == "prod")
        #expect(byEnv.domain(["make", "apply", "G=web"]) == nil)
    }

    @Test("the program's own name never counts as its domain")
    func programIsNotAnArgument() {
        #expect(naming.domain(["G=web"]) == nil)
    }

    @Test(
        "command is the base name, made plain",
        arguments: [
            ("make", "make"), ("/usr/bin/make", "make"), ("./deploy.sh", "deploy.sh"),
            ("/opt/my tools/run me", "run_me"), ("bin/", "bin"), ("", "unknown"), ("/", "unknown"),
            ("/home/alice/bin/ünïcode", "_n_code"),
        ])
    func commandName(program: String, expected: String) {
        #expect(CommandNaming.commandName(program) == expected)
    }

    @Test(
        "plain words",
        arguments: [
            ("apply", true), ("apply-infra", true), ("a.b_c:d-e", true), ("A9", true),
            ("", false), ("a b", false), ("a/b", false), ("a@b", false), ("x=1", false),
            ("é", false), (String(repeating: "x", count: 64), true), (String(repeating: "x", count: 65), false),
        ])
    func plainWords(text: String, plain: Bool) {
        #expect(PlainWord.isPlain(text) == plain)
    }
}
