import TLMRecorder
import TLMSystem

/// Reads a small regular file of tlm's own (no link followed, no FIFO waited on).
enum SmallFile {
    /// The file's bytes, nil when it does not exist; the error says why it cannot be read.
    static func read(_ path: String, limit: Int) throws(ExportError) -> [UInt8]? {
        do throws(SystemFile.ReadError) {
            return try SystemFile.read(path, limit: limit)
        } catch {
            switch error {
            case .cannotOpen(let error) where error.rawValue == ENOENT: return nil
            case .cannotOpen(let error), .cannotRead(let error): throw .cursor("cannot read \(path): \(error)")
            case .cannotExamine, .notARegularFile, .tooLarge:
                throw .cursor("\(path) is not a file tlm wrote: delete it to export every event again")
            }
        }
    }
}
