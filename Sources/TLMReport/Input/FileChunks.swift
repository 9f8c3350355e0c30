import TLMSystem

/// Byte ranges of a regular file that start and end on line boundaries, so
/// that each can be read on its own thread.
enum FileChunks {
    /// Splits `[0, size)` into at most `count` ranges, each starting just after a newline
    /// (or at 0) and the next starting where it ends. Empty ranges are dropped.
    static func split(fd: Int32, size: Int64, count: Int) -> [Range<Int64>] {
        guard count > 1, size > 0 else { return [0..<max(size, 0)] }
        var bounds: [Int64] = [0]
        for index in 1..<count {
            let guess = size * Int64(index) / Int64(count)
            let start = max(lineStart(atOrAfter: guess, fd: fd, size: size), bounds.last!)
            bounds.append(start)
        }
        bounds.append(size)
        var ranges: [Range<Int64>] = []
        for index in 0..<(bounds.count - 1) where bounds[index] < bounds[index + 1] {
            ranges.append(bounds[index]..<bounds[index + 1])
        }
        return ranges
    }

    /// The first offset at or after `offset` that starts a line (follows a newline), or `size`.
    static func lineStart(atOrAfter offset: Int64, fd: Int32, size: Int64) -> Int64 {
        guard offset > 0 else { return 0 }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var position = offset - 1  // the byte before `offset` may be the newline
        while position < size {
            let result = buffer.withUnsafeMutableBytes { raw in
                valueOrErrno { pread(fd, raw.baseAddress!, raw.count, off_t(position)) }
            }
            guard case .success(let count) = result, count > 0 else { return size }
            if let index = buffer[0..<count].firstIndex(of: 0x0A) { return position + Int64(index) + 1 }
            position += Int64(count)
        }
        return size
    }
}
