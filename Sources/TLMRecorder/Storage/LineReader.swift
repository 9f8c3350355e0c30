import TLMSystem

/// Streams the lines of a file descriptor through one fixed buffer, so that
/// memory stays bounded whatever the file's size.
///
/// A line longer than the buffer is skipped whole and reported through
/// `oversized`; a last line without a newline is still delivered.
public struct LineReader {
    /// The longest line delivered; longer ones are skipped.
    public let maximumLineLength: Int

    public init(maximumLineLength: Int = 1 << 20) {
        self.maximumLineLength = max(maximumLineLength, 16)
    }

    /// Calls `line` for each line (without its newline) and `oversized` for each
    /// line too long to deliver. Reads `fd` from its current offset to its end
    /// with `read`, or, given a `range`, only those bytes with `pread` (the
    /// descriptor's offset untouched, so that several threads can each read a
    /// range of one file). Returns 0, or the errno of a failed read.
    public func forEachLine(
        in fd: Int32, range: Range<Int64>? = nil, _ line: (UnsafeRawBufferPointer) -> Void,
        oversized: () -> Void = {}
    ) -> Int32 {
        let capacity = maximumLineLength
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        let base = buffer.baseAddress!
        var offset = range?.lowerBound ?? 0  // with a range: the next byte to read
        var start = 0  // first byte of the line being assembled
        var end = 0  // end of the bytes read so far
        var skipping = false  // inside a line too long to keep

        while range.map({ offset < $0.upperBound }) ?? true {
            if end == capacity {
                if start == 0 {
                    // The line fills the whole buffer: drop what we have and skip to its end.
                    if !skipping { oversized() }
                    skipping = true
                    end = 0
                } else {
                    memmove(base, base + start, end - start)
                    end -= start
                    start = 0
                }
            }
            let result = valueOrErrno { () -> Int in
                guard let range else { return read(fd, base + end, capacity - end) }
                let wanted = Int(min(Int64(capacity - end), range.upperBound - offset))
                return pread(fd, base + end, wanted, off_t(offset))
            }
            let count: Int
            switch result {
            case .failure(let error): return error.rawValue
            case .success(let got): count = got
            }
            if count == 0 { break }  // the end of the file (or, with a range, the file shrank)
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
