import Glibc
import TLMTestSupport
import Testing

/// Whether this machine can give a test a private mount namespace (`unshare -m`,
/// root): the cases that mount over /dev or unmount /proc need one, so that a
/// failure never touches the machine's own.
private let privateMountNamespace: Bool = {
    guard geteuid() == 0, access("/usr/bin/unshare", X_OK) == 0 || access("/bin/unshare", X_OK) == 0 else {
        return false
    }
    return (try? Spawned.run(["unshare", "--mount", "--fork", "true"], environment: ["PATH": "/usr/bin:/bin"]))?
        .status == .exited(0)
}()

private let asRoot = geteuid() == 0

/// A device number (Linux's encoding for major < 4096 and minor < 256; Glibc's
/// `makedev` is a macro Swift does not import).
private func deviceNumber(_ major: UInt64, _ minor: UInt64) -> dev_t { dev_t((major << 8) | minor) }

/// The file's type bits (S_IFIFO, S_IFCHR…) without following a link, nil when missing.
private func fileType(_ path: String) -> mode_t? {
    var info = stat()
    return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
}

/// A path whose last byte is 0xFF (not UTF-8), as a shell word built by printf.
private func shellBytes(_ prefix: String) -> String { "\"$(printf '%s\\377' \"\(prefix)\")\"" }

@Suite("output files: only regular files are replaced")
struct OutputFileRuleTests {
    @Test("--logbook to a FIFO: the reader gets the JSON, the FIFO stays a FIFO")
    func logbookToFIFO() throws {
        let box = Sandbox()
        let fifo = box.folder.path + "/logbook.fifo"
        #expect(mkfifo(fifo, 0o600) == 0)
        let reader = try box.start(["run", "--", "cat", fifo])
        let run = try box.tlm(["run", "--logbook", fifo, "--", "true"])
        try reader.finish()
        #expect(run.status == .exited(0), "\(run.errorText)")
        #expect(run.errorText.isEmpty)
        #expect(reader.text.contains("\"status\": \"success\""), "\(reader.text)")
        #expect(fileType(fifo) == S_IFIFO)
    }

    @Test("--logbook to a character device: written in place, the device kept")
    func logbookToCharacterDevice() throws {
        guard asRoot else { return }  // mknod of a device needs root (CI runs as root)
        let box = Sandbox()
        let device = box.folder.path + "/null"
        #expect(mknod(device, S_IFCHR | 0o666, deviceNumber(1, 3)) == 0)
        let run = try box.tlm(["run", "--logbook", device, "--", "true"])
        #expect(run.status == .exited(0))
        #expect(run.errorText.isEmpty, "\(run.errorText)")
        #expect(fileType(device) == S_IFCHR)
    }

    @Test(
        "--logbook /dev/null as root: /dev/null stays a device",
        .enabled(
            if: privateMountNamespace, "needs root and unshare -m, to bind a fake /dev/null in a private namespace"))
    func logbookToDevNull() throws {
        let box = Sandbox()
        // A fake /dev/null bound over the real one, in a namespace of its own: a failure
        // replaces nothing of the machine's.
        let script = """
            mknod "$1/fake-null" c 1 3 && chmod 666 "$1/fake-null" && mount --bind "$1/fake-null" /dev/null \
            && "$0" run --logbook /dev/null -- true && test -c /dev/null && echo still-a-device
            """
        let run = try box.direct(["unshare", "--mount", "--fork", "sh", "-c", script, TLMBinary.path, box.folder.path])
        #expect(run.status == .exited(0))
        #expect(run.text == "still-a-device\n")
        #expect(run.errorText.isEmpty, "\(run.errorText)")
    }

    @Test(
        "report --html /dev/stdout: the page on stdout, /dev/stdout still a link",
        .enabled(if: privateMountNamespace, "needs root and unshare -m, to give the test a /dev of its own"))
    func reportToDevStdout() throws {
        let box = Sandbox()
        // A /dev of its own (tmpfs), so that a failure could only replace this one's stdout.
        let script = """
            mount -t tmpfs none /dev && mknod -m 666 /dev/null c 1 3 && ln -s /proc/self/fd/1 /dev/stdout \
            && "$0" report --html /dev/stdout && test -L /dev/stdout && echo still-a-link
            """
        let run = try box.direct(["unshare", "--mount", "--fork", "sh", "-c", script, TLMBinary.path])
        #expect(run.status == .exited(0), "\(run.errorText)")
        #expect(run.text.contains("<html"))
        #expect(run.text.hasSuffix("still-a-link\n"))
    }

    @Test("a folder, a block device, another user's link: one line, nothing replaced")
    func refusedOutputs() throws {
        let box = Sandbox()
        let folder = box.folder.path + "/folder"
        mkdir(folder, 0o700)
        let report = try box.tlm(["report", "--html", folder])
        #expect(report.status == .exited(1))
        #expect(report.errorLines == ["tlm: cannot write \(folder): it is a folder; name a file"])
        let logbook = try box.tlm(["run", "--logbook", folder, "--", "true"])
        #expect(logbook.status == .exited(0))
        #expect(logbook.errorText.contains("it is a folder"))
        #expect(fileType(folder) == S_IFDIR)
        guard asRoot else { return }  // mknod and lchown need root (CI runs as root)
        let block = box.folder.path + "/block"
        #expect(mknod(block, S_IFBLK | 0o600, deviceNumber(7, 200)) == 0)
        let toBlock = try box.tlm(["report", "--html", block])
        #expect(toBlock.status == .exited(1))
        #expect(toBlock.errorText.contains("not a regular file, a FIFO or a character device"))
        #expect(fileType(block) == S_IFBLK)
        box.folder.write("mine.html", "mine")
        let link = box.folder.path + "/theirs.html"
        symlink(box.folder.path + "/mine.html", link)
        lchown(link, 65534, 65534)
        let theirs = try box.tlm(["report", "--html", link])
        #expect(theirs.status == .exited(1))
        #expect(theirs.errorText.contains("a symbolic link of another user (uid 65534)"))
        #expect(box.folder.text("mine.html") == "mine")
    }

    @Test("a link of the user's to a regular file is written through, and stays a link")
    func ownLinkWrittenThrough() throws {
        let box = Sandbox()
        box.folder.write("page.html", "old")
        symlink(box.folder.path + "/page.html", box.folder.path + "/link.html")
        let run = try box.tlm(["report", "--html", box.folder.path + "/link.html"])
        #expect(run.status == .exited(0), "\(run.errorText)")
        #expect(fileType(box.folder.path + "/link.html") == S_IFLNK)
        #expect(box.folder.text("page.html")?.contains("<html") == true)
    }
}

@Suite("the data folder: checked before anything is written")
struct DataFolderRuleTests {
    @Test("TLM_HOME in another user's folder: nothing created there, a hard-linked lock keeps its mode")
    func anotherUsersFolder() throws {
        guard asRoot else { return }  // chown to another uid needs root (CI runs as root)
        let box = Sandbox()
        mkdir(box.home, 0o700)
        box.folder.write("victim", "keep me", mode: 0o644)
        #expect(link(box.folder.path + "/victim", box.home + "/usage.jsonl.lock") == 0)
        chown(box.home, 65534, 65534)
        let run = try box.tlm(["run", "--", "true"], environment: ["TLM_TELEMETRY": "1"])
        #expect(run.status == .exited(0))
        #expect(run.errorText.contains("belongs to another user (uid 65534)"))
        #expect(try box.tlm(["on"]).status == .exited(1))
        #expect(try box.tlm(["config", "set", "keep_rotated", "3"]).status == .exited(1))
        let log = try box.tlm(
            ["log", "--target", "t", "--duration", "1", "--exit-code", "0"], environment: ["TLM_TELEMETRY": "1"])
        #expect(log.status == .exited(1))
        #expect(try box.folder.list("tlm-home") == ["usage.jsonl.lock"])
        #expect(box.folder.mode("victim") == 0o644)
    }

    @Test("a hard link in place of the lock, in the user's own folder: refused, its mode kept")
    func hardLinkedLock() throws {
        let box = Sandbox()
        try box.on()
        box.folder.write("victim", "keep me", mode: 0o644)
        #expect(link(box.folder.path + "/victim", box.home + "/usage.jsonl.lock") == 0)
        let run = try box.tlm(["run", "--", "true"])
        #expect(run.status == .exited(0))
        #expect(run.errorText.contains("it has other hard links"))
        #expect(box.folder.mode("victim") == 0o644)
        #expect(!box.logExists)
    }

    @Test("a group-writable folder: on, config set, off and clear refuse with the chmod; status and report say why")
    func groupWritableFolder() throws {
        let box = Sandbox()
        mkdir(box.home, 0o700)
        chmod(box.home, 0o775)  // what (umask 002; mkdir) makes on Ubuntu
        let fix = "chmod 700 \(box.home)"
        let on = try box.tlm(["on"])
        #expect(on.status == .exited(1))
        #expect(on.errorLines == ["tlm: refusing to write to \(box.home): group or others may write to it (\(fix))"])
        #expect(try box.tlm(["config", "set", "keep_rotated", "3"]).errorText.contains(fix))
        #expect(try box.folder.list("tlm-home").isEmpty)
        let status = try box.tlm(["status", "--json"], environment: ["TLM_TELEMETRY": "1"])
        #expect(status.text.contains("\"problems\":[\"refusing to write to \(box.home)"), "\(status.text)")
        #expect(status.text.contains(fix))
        #expect(try box.tlm(["status"]).text.contains("problem   refusing to write to \(box.home)"))
        let report = try box.tlm(["report"])
        #expect(report.text.contains(fix), "\(report.text)")
        #expect(!report.text.contains("'tlm on' starts recording"))
        box.folder.write("tlm-home/enabled", "")
        #expect(try box.tlm(["off"]).status == .exited(1))
        #expect(try box.tlm(["clear"]).status == .exited(1))
        #expect(box.folder.exists("tlm-home/enabled"))
        chmod(box.home, 0o700)
        #expect(try box.tlm(["on"]).status == .exited(0))
    }

    @Test("clear through another user's link: refused, nothing deleted")
    func clearThroughForeignLink() throws {
        guard asRoot else { return }  // lchown to another uid needs root (CI runs as root)
        let box = Sandbox()
        let other = box.folder.path + "/other-tool"
        mkdir(other, 0o700)
        box.folder.write("other-tool/config.json", "{}\n")
        box.folder.write("other-tool/enabled", "")
        symlink(other, box.home)
        lchown(box.home, 65534, 65534)
        let clear = try box.tlm(["clear"])
        #expect(clear.status == .exited(1))
        #expect(clear.errorText.contains("symbolic link of another user"))
        #expect(try box.folder.list("other-tool").sorted() == ["config.json", "enabled"])
    }

    @Test("clear keeps an enabled or config.json that tlm did not write")
    func clearKeepsForeignFiles() throws {
        let box = Sandbox()
        try box.on()
        try box.tlm(["run", "--", "true"])
        box.folder.write("tlm-home/config.json", "{\"theme\": \"dark\"}\n")
        box.folder.write("tlm-home/enabled", "yes\n")
        let clear = try box.tlm(["clear"])
        #expect(clear.status == .exited(0))
        #expect(clear.text.contains("removed \(box.logPath)"))
        #expect(clear.errorText.contains("kept \(box.home)/config.json"))
        #expect(try box.folder.list("tlm-home").sorted() == ["config.json", "enabled"])
    }
}

@Suite("paths are bytes")
struct PathBytesTests {
    @Test("a program path, a PATH folder and an argument with byte 0xFF reach the command unchanged")
    func nonUTF8Paths() throws {
        let box = Sandbox()
        let script = """
            mkdir "$1/bin" \(shellBytes("$1/dir")) \
            && printf '#!/bin/sh\\nprintf %%s "$1" | od -An -tx1\\n' > \(shellBytes("$1/bin/prog")) \
            && cp \(shellBytes("$1/bin/prog")) \(shellBytes("$1/dir"))/tool && chmod +x "$1"/bin/* "$1"/dir*/tool \
            && "$0" run -- \(shellBytes("$1/bin/prog")) \(shellBytes("a")) \
            && PATH="$1/bin:$PATH" "$0" run -- \(shellBytes("prog")) \(shellBytes("b")) \
            && PATH=\(shellBytes("$1/dir")):"$PATH" "$0" run -- tool \(shellBytes("c"))
            """
        let run = try box.direct(["sh", "-c", script, TLMBinary.path, box.folder.path])
        #expect(run.status == .exited(0), "\(run.errorText)")
        #expect(run.text == " 61 ff\n 62 ff\n 63 ff\n")
    }

    @Test("a TLM_HOME that is not UTF-8 is refused, not read as another folder")
    func nonUTF8Home() throws {
        let box = Sandbox()
        let run = try box.direct([
            "sh", "-c", "TLM_HOME=\(shellBytes("$1/home")) exec \"$0\" on", TLMBinary.path, box.folder.path,
        ])
        #expect(run.status == .exited(1))
        #expect(
            run.errorLines == ["tlm: TLM_HOME is not valid UTF-8: set TLM_HOME to a folder whose path is UTF-8 text"])
        #expect(try box.folder.list("").isEmpty)
    }
}

@Suite("without /proc")
struct NoProcTests {
    @Test(
        "with /proc not mounted, the command runs and its arguments reach it",
        .enabled(if: privateMountNamespace, "needs root and unshare -m, to unmount /proc in a private namespace"))
    func runWithoutProc() throws {
        let box = Sandbox()
        let run = try box.direct([
            "unshare", "--mount", "--fork", "sh", "-c",
            "umount -l /proc && test ! -e /proc/self && exec \"$0\" run -- /bin/echo hi there", TLMBinary.path,
        ])
        #expect(run.status == .exited(0), "\(run.errorText)")
        #expect(run.text == "hi there\n")
        // What tlm may change to start without /proc (SWIFT_BACKTRACE, in a static build)
        // is put back before the command starts: its environment is the one tlm was given.
        let environment = try box.direct([
            "unshare", "--mount", "--fork", "sh", "-c",
            "umount -l /proc && exec \"$0\" run -- /usr/bin/env", TLMBinary.path,
        ])
        #expect(environment.status == .exited(0), "\(environment.errorText)")
        #expect(environment.text.contains("TLM_HOME="))
        #expect(!environment.text.contains("SWIFT_BACKTRACE"))
    }
}
