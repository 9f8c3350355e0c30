#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
            let count = buffer.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress!, raw.count, off_t(position))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return size }
            if let index = buffer[0..<count].firstIndex(of: 0x0A) { return position + Int64(index) + 1 }
            position += Int64(count)
        }
        return size
    }

    /// Calls `line` for each line of `range` (without its newline) and `oversized` for each
    /// line longer than `maximumLineLength`, as `LineReader` does for a whole descriptor,
    /// reading with `pread` so that several ranges of one descriptor can be read at once.
    /// Returns 0, or the errno of a failed read.
    static func forEachLine(
        in fd: Int32, range: Range<Int64>, maximumLineLength: Int = 1 << 20, _ line: (UnsafeRawBufferPointer) -> Void,
        oversized: () -> Void
    ) -> Int32 {
        let capacity = max(maximumLineLength, 16)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        let base = buffer.baseAddress!
        var offset = range.lowerBound
        var start = 0  // first byte of the line being assembled
        var end = 0  // end of the bytes read so far
        var skipping = false  // inside a line too long to keep

        while offset < range.upperBound {
            if end == capacity {
                if start == 0 {
                    if !skipping { oversized() }
                    skipping = true
                    end = 0
                } else {
                    memmove(base, base + start, end - start)
                    end -= start
                    start = 0
                }
            }
            let wanted = Int(min(Int64(capacity - end), range.upperBound - offset))
            let count = pread(fd, base + end, wanted, off_t(offset))
            if count < 0 {
                if errno == EINTR { continue }
                return errno
            }
            if count == 0 { break }  // the file shrank
            offset += Int64(count)
            var scan = end
            end += count
            while scan < end, let newline = memchr(base + scan, 0x0A, end - scan) {
                let at = base.distance(to: newline)
                if skipping {
                    skipping = false
                } else {
                    line(UnsafeRawBufferPointer(start: base + start, count: at - start))
                }
                start = at + 1
                scan = start
            }
            if start == end {
                start = 0
                end = 0
            }
        }
        if end > start, !skipping {
            line(UnsafeRawBufferPointer(start: base + start, count: end - start))
        }
        return 0
    }
}
