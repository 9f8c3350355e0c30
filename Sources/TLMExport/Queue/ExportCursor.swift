import TLMRecorder
import TLMSystem

/// How far export got: the first byte not yet accepted, in one log file.
///
/// A file is named by its device and inode, not its path, so the cursor
/// survives rotation (`usage.jsonl` renamed `usage.jsonl.1` keeps its inode);
/// the hash of its first line guards against an inode reused by a new file
/// after the old one was deleted. Saved in `$TLM_HOME/export.cursor` only
/// after the collector accepted a batch (2xx), so a batch is never lost; if
/// tlm dies between the 2xx and the save, that batch is sent again (at least
/// once delivery).
public struct ExportCursor: Sendable, Equatable {
    public var device: UInt64
    public var inode: UInt64
    /// The first line's hash (`LogFileIdentity.head`).
    public var head: UInt64
    /// The first byte after the last accepted line.
    public var offset: Int64
    /// Events accepted so far (for `tlm status`), across every export.
    public var exported: Int64

    public init(device: UInt64, inode: UInt64, head: UInt64, offset: Int64, exported: Int64) {
        self.device = device
        self.inode = inode
        self.head = head
        self.offset = offset
        self.exported = exported
    }

    public static func path(_ home: TelemetryHome) -> String { home.folder + "/export.cursor" }

    /// The file's text: one JSON object.
    public var json: String {
        "{\"version\":1,\"device\":\(device),\"inode\":\(inode),\"head\":\"\(SpanIdentity.hex(head))\","
            + "\"offset\":\(offset),\"exported\":\(exported)}\n"
    }

    /// Reads the cursor; nil when there is none yet. A cursor that cannot be read
    /// is an error: exporting from the start would send everything again.
    public static func load(_ home: TelemetryHome) throws(ExportError) -> ExportCursor? {
        let path = path(home)
        guard let bytes = try SmallFile.read(path, limit: 4096) else { return nil }
        guard case .object(let members) = try? JSONParser.parse(bytes) else {
            throw .cursor("\(path) is not a cursor tlm wrote: delete it to export every event again")
        }
        func number(_ key: String) -> UInt64? {
            guard case .number(let text, _)? = members.first(where: { $0.key == key })?.value else { return nil }
            return UInt64(text)
        }
        guard case .string(let headText)? = members.first(where: { $0.key == "head" })?.value,
            let head = UInt64(headText, radix: 16), number("version") == 1, let device = number("device"),
            let inode = number("inode"), let offset = number("offset"), let exported = number("exported"),
            offset <= UInt64(Int64.max), exported <= UInt64(Int64.max)
        else {
            throw .cursor("\(path) is not a cursor tlm wrote: delete it to export every event again")
        }
        return ExportCursor(device: device, inode: inode, head: head, offset: Int64(offset), exported: Int64(exported))
    }
}

extension ExportCursor {
    /// Saves the cursor in `$TLM_HOME/export.cursor`, replacing the earlier one at once.
    public func save(_ home: TelemetryHome) throws(ExportError) {
        let path = Self.path(home)
        do throws(SystemFile.ReplaceError) {
            try SystemFile.replace(path, with: json)
        } catch {
            throw .cursor("cannot write \(path): \(error)")
        }
    }
}
