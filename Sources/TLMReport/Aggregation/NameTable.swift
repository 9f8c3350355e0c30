import TLMSystem

/// Interns names (targets, domains, commands) by their UTF-8 bytes: each
/// distinct name gets a small integer id, the first time it is seen.
///
/// The aggregator works on ids, so that a line costs a hash and a comparison
/// rather than a `String` allocation and a dictionary lookup. Each name's first
/// 16 bytes are kept as two words: a name of up to 16 bytes (nearly all of
/// them) is hashed and compared as two integers, without a loop over its
/// bytes. Open addressing over a power-of-two table; memory grows with the
/// number of distinct names, never with the number of events.
struct NameTable {
    private struct Entry {
        var hash: UInt64
        /// The first 16 bytes, zero-padded, little-endian.
        var head0: UInt64
        var head1: UInt64
        var length: Int
        /// Where the name starts in `bytes`.
        var start: Int
    }

    /// Every name's bytes, one after the other.
    private var bytes: [UInt8] = []
    private var entries: [Entry] = []
    /// Id + 1 for each slot, 0 when empty.
    private var slots = [Int32](repeating: 0, count: 64)

    /// How many names were interned.
    var count: Int { entries.count }

    /// The id of `name`, interning it if new. `readable` is how many bytes from
    /// `name`'s start may be read (at least `name.count`): with 16, its head is
    /// loaded as two words rather than byte by byte.
    @inline(__always)
    mutating func intern(_ name: UnsafeRawBufferPointer, readable: Int) -> Int32 {
        let length = name.count
        let (head0, head1) = Self.head(name, readable: readable)
        var hash = (head0 ^ UInt64(truncatingIfNeeded: length)) &* 0x9E37_79B9_7F4A_7C15
        hash = (hash ^ (hash >> 29) ^ head1) &* 0xBF58_476D_1CE4_E5B9
        if length > 16 { hash = Self.hashTail(name, hash) }
        hash ^= hash >> 32
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            let candidate = entries[id]
            if candidate.hash == hash, candidate.length == length, candidate.head0 == head0,
                candidate.head1 == head1, length <= 16 || tailMatches(candidate, name)
            {
                return Int32(id)
            }
            slot = (slot + 1) & mask
        }
        let id = Int32(entries.count)
        entries.append(Entry(hash: hash, head0: head0, head1: head1, length: length, start: bytes.count))
        bytes.append(contentsOf: name)
        slots[slot] = id + 1
        if entries.count * 2 > slots.count { grow() }
        return id
    }

    /// The id of `name`, interning it if new.
    mutating func intern(_ name: String) -> Int32 {
        var copy = name
        return copy.withUTF8 { intern(UnsafeRawBufferPointer($0), readable: $0.count) }
    }

    /// The name of `id`. Interned bytes are always valid UTF-8: ASCII from the
    /// fast path, or a `String`'s from the full parser.
    func name(_ id: Int32) -> String {
        let entry = entries[Int(id)]
        return String(decoding: bytes[entry.start..<(entry.start + entry.length)], as: UTF8.self)
    }

    /// Whether `a`'s name sorts before `b`'s, byte by byte: for valid UTF-8 the order of
    /// `String`'s `<` on names in normal form C, without making a `String`.
    func precedes(_ a: Int32, _ b: Int32) -> Bool {
        let x = entries[Int(a)]
        let y = entries[Int(b)]
        let order = bytes.withUnsafeBytes { raw in
            memcmp(raw.baseAddress! + x.start, raw.baseAddress! + y.start, min(x.length, y.length))
        }
        return order != 0 ? order < 0 : x.length < y.length
    }

    /// Calls `body` with the bytes of `id`'s name.
    func withBytes<T>(of id: Int32, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        let entry = entries[Int(id)]
        return bytes.withUnsafeBytes {
            body(UnsafeRawBufferPointer(rebasing: $0[entry.start..<(entry.start + entry.length)]))
        }
    }

    /// The first 16 bytes as two little-endian words, zero-padded.
    @inline(__always)
    private static func head(_ name: UnsafeRawBufferPointer, readable: Int) -> (UInt64, UInt64) {
        let length = name.count
        guard length > 0 else { return (0, 0) }
        if readable >= 16 {
            // Through the pointer: the buffer's own bounds are `length`, the caller vouched for 16.
            let raw = name.baseAddress!
            let word0 = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            let word1 = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
            let mask0: UInt64 = length >= 8 ? ~0 : (1 << UInt64(8 * length)) - 1
            let mask1: UInt64 = length >= 16 ? ~0 : length <= 8 ? 0 : (1 << UInt64(8 * (length - 8))) - 1
            return (word0 & mask0, word1 & mask1)
        }
        var word0: UInt64 = 0
        var word1: UInt64 = 0
        for index in 0..<min(length, 16) {
            if index < 8 {
                word0 |= UInt64(name[index]) << UInt64(8 * index)
            } else {
                word1 |= UInt64(name[index]) << UInt64(8 * (index - 8))
            }
        }
        return (word0, word1)
    }

    /// Folds the bytes after the first 16 into `hash`.
    private static func hashTail(_ name: UnsafeRawBufferPointer, _ start: UInt64) -> UInt64 {
        var hash = start
        for byte in name[16...] { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    private func tailMatches(_ entry: Entry, _ name: UnsafeRawBufferPointer) -> Bool {
        bytes.withUnsafeBytes {
            memcmp($0.baseAddress! + entry.start + 16, name.baseAddress! + 16, entry.length - 16) == 0
        }
    }

    private mutating func grow() {
        var grown = [Int32](repeating: 0, count: slots.count * 2)
        let mask = grown.count - 1
        for id in 0..<entries.count {
            var slot = Int(truncatingIfNeeded: entries[id].hash) & mask
            while grown[slot] != 0 { slot = (slot + 1) & mask }
            grown[slot] = Int32(id + 1)
        }
        slots = grown
    }
}
