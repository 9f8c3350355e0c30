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
            (["ansible-playbook", "-i", "hosts", "site.yml"], "site.yml", nil),
            (["curl", "-u", "alice:hunter2", "https://example.com/"], "curl", nil),
            (["curl", "--user", "alice:hunter2", "https://example.com/"], "curl", nil),
            (["cargo", "--verbose", "build"], "cargo", nil),
            (["cargo", "--color=never", "build"], "build", nil),
            (["npm", "run", "build", "--", "--watch"], "run", nil),
            (["ninja", "-C", "out", "install"], "install", nil),
            (["kubectl", "-n", "prod", "apply", "-f", "x.yaml"], "apply", nil),
            (["tool", "--", "-weird"], "-weird", nil),
            (["tool", "-v", "--", "deploy"], "deploy", nil),
            (["make", "-k", "test"], "test", nil),
            (["terraform", "plan", "-var=x=1"], "plan", nil),
            (["python3", "-m", "pytest"], "python3", nil),
            (["make", String(repeating: "a", count: 65)], "make", nil),
            (["make", String(repeating: "a", count: 64)], String(repeating: "a", count: 64), nil),
            (["make", "--", "apply"], "apply", nil),
            (["make", "café"], "make", nil),
            (["git", "-C", "repo", "status"], "status", nil),
            // A cluster of short options may take several values: nothing after it is kept.
            (["htpasswd", "-nb", "alice", "hunter2"], "htpasswd", nil),
            (["tar", "-xzf", "backup.tgz", "restore"], "tar", nil),
            (["tool", "-", "deploy"], "deploy", nil),
            (["ninja", "-j4", "install"], "install", nil),
            (["tool", "-o=out", "deploy"], "deploy", nil),
            (["make", "-E", "x := hunter2", "apply"], "apply", nil),
            (["make", "-E", "hunter2", "apply"], "apply", nil),
            (["make", "--eval", "hunter2", "apply"], "apply", nil),
            (["make", "-sE", "hunter2", "apply"], "apply", nil),
        ] as [([String], String, String?)])
    func targetAndDomain(arguments: [String], target: String, domain: String?) {
        #expect(naming.target(arguments) == target)
        #expect(naming.domain(arguments) == domain)
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
