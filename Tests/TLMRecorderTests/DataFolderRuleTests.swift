import Glibc
import TLMTestSupport
import Testing

@testable import TLMRecorder

@Suite("The data-folder rule")
struct DataFolderRuleTests {
    @Test("a missing folder passes (tlm creates it 0700); the user's own 0700 folder passes")
    func ownFolder() throws {
        let tmp = TemporaryFolder()
        #expect(TelemetryHome(folder: tmp.path + "/missing").folderProblem() == nil)
        #expect(TelemetryHome(folder: tmp.path).folderProblem() == nil)
    }

    @Test("a group-writable folder: the problem names the chmod that fixes it, and append writes nothing")
    func groupWritable() throws {
        let tmp = TemporaryFolder()
        mkdir(tmp.path + "/data", 0o700)
        chmod(tmp.path + "/data", 0o775)
        let home = TelemetryHome(folder: tmp.path + "/data")
        #expect(
            home.folderProblem()
                == .unsafe(path: home.folder, reason: "group or others may write to it (chmod 700 \(home.folder))"))
        #expect(throws: RecorderError.self) {
            try EventLog(home: home).append(
                Event(timestamp: Timestamp(millisecondsSinceEpoch: 0), target: "t", durationSeconds: 0, exitCode: 0))
        }
        #expect(try tmp.list("data").isEmpty)
    }

    @Test("a file, not a folder, in TLM_HOME's place is a problem")
    func notAFolder() {
        let tmp = TemporaryFolder()
        tmp.write("file", "x")
        #expect(
            TelemetryHome(folder: tmp.path + "/file").folderProblem()
                == .cannotWrite(path: tmp.path + "/file", errno: ENOTDIR))
    }

    @Test("TLM_HOME, XDG_STATE_HOME or HOME read with U+FFFD (bytes that are not UTF-8) is refused")
    func notUTF8() {
        for name in ["TLM_HOME", "XDG_STATE_HOME", "HOME"] {
            #expect(throws: RecorderError.homeNotText(variable: name)) {
                try TelemetryHome.resolve(Environment([name: "/tmp/h\u{FFFD}me"]))
            }
        }
        #expect((try? TelemetryHome.resolve(Environment(["TLM_HOME": "/tmp/données"])))?.folder == "/tmp/données")
    }
}
