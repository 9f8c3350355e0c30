import TLMRecorder
import TLMSystem

/// Builds a `ReportSummary` in one streaming pass: feed it sources, lines or
/// events, then ask for the summary.
///
/// Memory is bounded by the number of groups, targets and active days, never
/// by the number of events: each group keeps counters and a `QuantileSketch`.
/// Lines go through `FastLineScanner` first and through `EventParser` when they
/// deviate from tlm's or anklume's exact layout; both give the same values.
/// A large regular file is read in chunks on several threads, then merged.
///
/// ```swift
/// var aggregator = ReportAggregator(query: query)
/// for source in ReportSource.logFiles(in: home) { try aggregator.read(source) }
/// let summary = aggregator.summary()
/// ```
public struct ReportAggregator: Sendable {
    /// The query: its filters apply to every event added.
    public let query: ReportQuery

    private var names = NameTable()
    private var scanner = FastLineScanner()
    private let sinceMilliseconds: Int64
    private let untilMilliseconds: Int64
    private var targetFilter: [Int32] = []
    private var domainFilter: [Int32] = []
    /// -2: any command.
    private var commandFilter: Int32 = -2

    private var eventsRead = 0
    private var malformedLines = 0
    private var sources: [String] = []

    private var overall = GroupAccumulator()
    private var targetSeen: [Bool] = []
    private var uniqueTargets = 0

    private var groups: [GroupAccumulator] = []
    /// Per group: a name id (-1 for none) or a day number (the Monday's for a week).
    private var groupKeys: [Int64] = []
    private var groupSlotByName: [Int32] = []
    private var noneGroupSlot: Int32 = -1
    private var groupSlotByDay: [Int64: Int32] = [:]
    private var lastGroupDay = Int64.min
    private var lastGroupSlot: Int32 = -1

    private var days: [DayCounter] = []
    private var daySlotByDay: [Int64: Int32] = [:]
    private var lastDay = Int64.min
    private var lastDaySlot: Int32 = -1

    private let referenceMilliseconds: Int64
    private let recentStartMilliseconds: Int64
    private let previousStartMilliseconds: Int64
    private var changeSlotByTarget: [Int32] = []
    private var changeTargets: [Int32] = []
    private var previousWindows: [WindowAccumulator] = []
    private var recentWindows: [WindowAccumulator] = []

    public init(query: ReportQuery) {
        self.query = query
        sinceMilliseconds = query.since?.millisecondsSinceEpoch ?? .min
        untilMilliseconds = query.until?.millisecondsSinceEpoch ?? .max
        let reference = (query.until ?? query.now).millisecondsSinceEpoch
        let window = Int64(ReportChanges.windowDays) * 86_400_000
        referenceMilliseconds = reference
        recentStartMilliseconds = reference &- window
        previousStartMilliseconds = reference &- 2 * window
        // Interning the filter's names first turns each filter test into a comparison of small integers.
        targetFilter = query.targets.map { names.intern($0) }
        domainFilter = query.domains.map { names.intern($0) }
        if let command = query.command { commandFilter = names.intern(command) }
    }

    /// Regular files at least this large are read in parallel chunks.
    static let parallelMinimumBytes: Int64 = 16 << 20
    /// A chunk's thread stops once its aggregator holds this many names, and leaves the rest of
    /// its chunk to this thread: each thread's copy of the per-name state would otherwise
    /// multiply the memory of a log of many targets by the number of threads.
    static let parallelNameLimit = 4096
    /// A chunk is read in pieces of about this size, so that its thread can stop between two.
    static let pieceBytes: Int64 = 1 << 20

    /// How many distinct names (targets, domains, commands) were seen.
    var nameCount: Int { names.count }
    /// How many chunk threads stopped at `parallelNameLimit` and left the rest to the reader (for tests).
    private(set) var chunksLeftByThreads = 0
    /// The most threads a read uses.
    static let maximumThreads = 4

    /// Reads every line of a source, skipping and counting malformed ones.
    ///
    /// A missing `.logFile` adds nothing; a `.logFile` that is not a regular file,
    /// or a `.file` that cannot be opened or read, throws. A regular file of 16 MiB
    /// or more is read in chunks on up to 4 threads (one per online processor), each
    /// aggregated apart and then merged: the summary is the same, except that sums of
    /// durations may differ in their last bits (floating-point addition in another order).
    public mutating func read(_ source: ReportSource) throws(ReportError) {
        try read(source, chunkCount: nil)
    }

    /// `read(_:)`, with the number of chunks of a regular file forced (nil: by size and processors).
    mutating func read(_ source: ReportSource, chunkCount: Int?) throws(ReportError) {
        let fd: Int32
        switch source {
        case .standardInput:
            fd = 0
        case .logFile(let path):
            // O_NONBLOCK: opening a FIFO planted in place of the log must not wait for a writer.
            fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
            if fd < 0 {
                if errno == ENOENT { return }
                throw .cannotRead(path: path, errno: errno)
            }
        case .file(let path):
            fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw .cannotRead(path: path, errno: errno) }
        }
        defer { if fd != 0 { close(fd) } }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path: source.displayName, errno: errno) }
        let isRegular = (info.st_mode & S_IFMT) == S_IFREG
        if case .logFile(let path) = source, !isRegular { throw .notARegularFile(path: path) }
        sources.append(source.displayName)

        let code: Int32
        if isRegular, source != .standardInput {
            code = readRegularFile(fd, size: Int64(info.st_size), chunkCount: chunkCount)
        } else {
            // Standard input, a FIFO, a device: one pass, in order.
            var oversized = 0
            code = LineReader().forEachLine(in: fd, { add(line: $0) }, oversized: { oversized += 1 })
            malformedLines += oversized
        }
        if code != 0 { throw .cannotRead(path: source.displayName, errno: code) }
    }

    /// Reads a regular file in `chunkCount` ranges (by default one per processor for a large
    /// file, else one), the first on this thread and the others on their own; returns 0 or an errno.
    private mutating func readRegularFile(_ fd: Int32, size: Int64, chunkCount: Int?) -> Int32 {
        let wanted =
            chunkCount
            ?? (size >= Self.parallelMinimumBytes
                ? min(max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 1), Self.maximumThreads) : 1)
        let ranges = FileChunks.split(fd: fd, size: size, count: wanted)
        guard ranges.count > 1 else { return readRange(fd, ranges.first ?? 0..<0) }
        let jobs = ranges.dropFirst().map { ChunkJob(fd: fd, range: $0, aggregator: ReportAggregator(query: query)) }
        let threads = jobs.map { $0.start() }
        var code = readRange(fd, ranges[0])
        for (job, thread) in zip(jobs, threads) {
            job.finish(thread)
            merge(job.aggregator)
            job.aggregator = ReportAggregator(query: query)  // its memory, freed before the next merge
            if code == 0 { code = job.errorCode }
            // What the job left (too many names to keep a copy of): read here, in order.
            if code == 0, let rest = job.rest {
                chunksLeftByThreads += 1
                code = readRange(fd, rest)
            }
        }
        return code
    }

    /// Reads the lines of one range of a regular file; returns 0 or an errno.
    mutating func readRange(_ fd: Int32, _ range: Range<Int64>) -> Int32 {
        var oversized = 0
        let code = LineReader().forEachLine(in: fd, range: range, { add(line: $0) }, oversized: { oversized += 1 })
        malformedLines += oversized
        return code
    }

    /// Adds everything `other` counted (built with the same query), as if its lines had been added here.
    mutating func merge(_ other: ReportAggregator) {
        eventsRead += other.eventsRead
        malformedLines += other.malformedLines
        overall.merge(other.overall)
        // Ids differ between tables: map each of `other`'s names to this table's id.
        let ids = (0..<other.names.count).map { id in
            other.names.withBytes(of: Int32(id)) { names.intern($0, readable: $0.count) }
        }
        growPerNameArrays()
        for (id, seen) in other.targetSeen.enumerated() where seen && !targetSeen[Int(ids[id])] {
            targetSeen[Int(ids[id])] = true
            uniqueTargets += 1
        }
        for (slot, group) in other.groups.enumerated() {
            let key = other.groupKeys[slot]
            let local: Int
            if query.grouping.isTimeBased {
                local = timeGroupSlot(key)
            } else {
                local = nameGroupSlot(key < 0 ? -1 : ids[Int(key)])
            }
            groups[local].merge(group)
        }
        for counter in other.days {
            let slot = Int(daySlot(counter.day))
            days[slot].runs += counter.runs
            days[slot].failures += counter.failures
            days[slot].cancelled += counter.cancelled
        }
        for (slot, target) in other.changeTargets.enumerated() {
            let local = Int(changeSlot(ids[Int(target)]))
            previousWindows[local].merge(other.previousWindows[slot])
            recentWindows[local].merge(other.recentWindows[slot])
        }
    }

    /// Adds one line of a log (without its newline). A blank line is ignored;
    /// a line that is not a valid event is counted as malformed.
    public mutating func add(line: UnsafeRawBufferPointer) {
        if line.first == 0x7B, let fields = scanner.scan(line) {
            // The fast path hands over ranges of the line: intern the names in place.
            func intern(_ range: Range<Int>) -> Int32 {
                names.intern(UnsafeRawBufferPointer(rebasing: line[range]), readable: line.count - range.lowerBound)
            }
            let record = EventRecord(
                timestamp: fields.timestamp, target: intern(fields.target), domain: fields.domain.map(intern) ?? -1,
                command: fields.command.map(intern) ?? -1, durationSeconds: fields.durationSeconds,
                exitCode: fields.exitCode, signalled: fields.signalled, timedOut: fields.timedOut)
            add(record)
            return
        }
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        guard let event = EventParser.parse(line) else {
            malformedLines += 1
            return
        }
        add(event)
    }

    /// Adds one line of a log given as a string.
    public mutating func add(line: String) {
        var copy = line
        copy.withUTF8 { add(line: UnsafeRawBufferPointer($0)) }
    }

    /// Adds one event (counted as read, then filtered).
    public mutating func add(_ event: Event) {
        let record = EventRecord(
            timestamp: event.timestamp.millisecondsSinceEpoch, target: names.intern(event.target),
            domain: event.domain.map { names.intern($0) } ?? -1, command: event.command.map { names.intern($0) } ?? -1,
            durationSeconds: event.durationSeconds, exitCode: event.exitCode, signalled: event.signal != nil,
            timedOut: event.timedOut == true)
        add(record)
    }

    /// Whether `record` passes the query's filters.
    @inline(__always)
    private func matches(_ record: EventRecord) -> Bool {
        guard record.timestamp >= sinceMilliseconds, record.timestamp < untilMilliseconds else { return false }
        if !targetFilter.isEmpty, !targetFilter.contains(record.target) { return false }
        if !domainFilter.isEmpty, record.domain < 0 || !domainFilter.contains(record.domain) { return false }
        if commandFilter != -2, record.command != commandFilter { return false }
        if query.failedOnly, record.isSuccess { return false }
        return true
    }

    private mutating func add(_ record: EventRecord) {
        eventsRead += 1
        guard matches(record) else { return }
        overall.add(record)
        if targetSeen.count < names.count { growPerNameArrays() }
        if !targetSeen[Int(record.target)] {
            targetSeen[Int(record.target)] = true
            uniqueTargets += 1
        }
        let day = CalendarDay.floorDivide(record.timestamp, 86_400_000)
        groups[groupSlot(record, day: day)].add(record)
        countActivity(record, day: day)
        if record.timestamp >= previousStartMilliseconds, record.timestamp < referenceMilliseconds {
            addToWindows(record)
        }
    }

    /// Makes room in the arrays indexed by name id for every name interned so far.
    private mutating func growPerNameArrays() {
        let needed = names.count
        guard targetSeen.count < needed else { return }
        targetSeen.append(contentsOf: repeatElement(false, count: needed - targetSeen.count))
        groupSlotByName.append(contentsOf: repeatElement(-1, count: needed - groupSlotByName.count))
        changeSlotByTarget.append(contentsOf: repeatElement(-1, count: needed - changeSlotByTarget.count))
    }

    private mutating func groupSlot(_ record: EventRecord, day: Int64) -> Int {
        switch query.grouping {
        case .target: return nameGroupSlot(record.target)
        case .domain: return nameGroupSlot(record.domain)
        case .command: return nameGroupSlot(record.command)
        case .day: return timeGroupSlot(day)
        case .week: return timeGroupSlot(day - CalendarDay.floorModulo(day + 3, 7))  // its Monday
        }
    }

    private mutating func nameGroupSlot(_ id: Int32) -> Int {
        if id < 0 {
            if noneGroupSlot < 0 { noneGroupSlot = newGroup(key: -1) }
            return Int(noneGroupSlot)
        }
        var slot = groupSlotByName[Int(id)]
        if slot < 0 {
            slot = newGroup(key: Int64(id))
            groupSlotByName[Int(id)] = slot
        }
        return Int(slot)
    }

    private mutating func timeGroupSlot(_ key: Int64) -> Int {
        // Logs are in time order, mostly: the previous event's group is the likely one.
        if key == lastGroupDay { return Int(lastGroupSlot) }
        let slot: Int32
        if let existing = groupSlotByDay[key] {
            slot = existing
        } else {
            slot = newGroup(key: key)
            groupSlotByDay[key] = slot
        }
        lastGroupDay = key
        lastGroupSlot = slot
        return Int(slot)
    }

    private mutating func newGroup(key: Int64) -> Int32 {
        groups.append(GroupAccumulator())
        groupKeys.append(key)
        return Int32(groups.count - 1)
    }

    private mutating func countActivity(_ record: EventRecord, day: Int64) {
        // Logs are in time order, mostly: the previous event's day is the likely one.
        if day != lastDay {
            lastDaySlot = daySlot(day)
            lastDay = day
        }
        let slot = Int(lastDaySlot)
        days[slot].runs += 1
        if record.isFailure { days[slot].failures += 1 }
        if record.isCancelled { days[slot].cancelled += 1 }
    }

    /// The slot of `day` in `days`, created if new.
    private mutating func daySlot(_ day: Int64) -> Int32 {
        if let existing = daySlotByDay[day] { return existing }
        days.append(DayCounter(day: day))
        let slot = Int32(days.count - 1)
        daySlotByDay[day] = slot
        return slot
    }

    private mutating func addToWindows(_ record: EventRecord) {
        let slot = Int(changeSlot(record.target))
        if record.timestamp >= recentStartMilliseconds {
            recentWindows[slot].add(record)
        } else {
            previousWindows[slot].add(record)
        }
    }

    /// The slot of `target` in the what-changed windows, created if new.
    private mutating func changeSlot(_ target: Int32) -> Int32 {
        var slot = changeSlotByTarget[Int(target)]
        if slot < 0 {
            slot = Int32(changeTargets.count)
            changeTargets.append(target)
            previousWindows.append(WindowAccumulator())
            recentWindows.append(WindowAccumulator())
            changeSlotByTarget[Int(target)] = slot
        }
        return slot
    }

    /// The summary of everything added so far.
    public func summary() -> ReportSummary {
        let totals = ReportTotals(
            events: overall.runs, eventsRead: eventsRead, malformedLines: malformedLines, uniqueTargets: uniqueTargets,
            groupCount: groups.count,
            firstEvent: overall.runs > 0 ? Timestamp(millisecondsSinceEpoch: overall.first) : nil,
            lastEvent: overall.runs > 0 ? Timestamp(millisecondsSinceEpoch: overall.last) : nil,
            outcomes: overall.outcomes, durations: overall.durations)

        // Groups in display order, then split at `top`.
        var order = Array(groups.indices)
        let timeBased = query.grouping.isTimeBased
        if timeBased {
            order.sort { groupKeys[$0] < groupKeys[$1] }
        } else {
            // Names compared as bytes, not as a `String` per group: 200,000 of them at the peak.
            order.sort { a, b in
                if groups[a].runs != groups[b].runs { return groups[a].runs > groups[b].runs }
                let (x, y) = (groupKeys[a], groupKeys[b])
                if x >= 0, y >= 0 { return names.precedes(Int32(x), Int32(y)) }
                return x >= 0 && y < 0
            }
        }
        var kept = order
        var left: [Int] = []
        if query.top > 0, order.count > query.top {
            if timeBased {
                kept = Array(order.suffix(query.top))
                left = Array(order.prefix(order.count - query.top))
            } else {
                kept = Array(order.prefix(query.top))
                left = Array(order.suffix(order.count - query.top))
            }
        }
        let reportGroups = kept.map { index in
            let group = groups[index]
            return ReportGroup(
                key: groupLabel(groupKeys[index]), outcomes: group.outcomes, durations: group.durations!,
                firstEvent: Timestamp(millisecondsSinceEpoch: group.first),
                lastEvent: Timestamp(millisecondsSinceEpoch: group.last))
        }
        var otherGroups: OtherGroups?
        if !left.isEmpty {
            var rest = GroupAccumulator()
            for index in left { rest.merge(groups[index]) }
            otherGroups = OtherGroups(
                groupCount: left.count, outcomes: rest.outcomes, durations: rest.durations!,
                firstEvent: Timestamp(millisecondsSinceEpoch: rest.first),
                lastEvent: Timestamp(millisecondsSinceEpoch: rest.last))
        }

        let activity = ReportActivity(
            days: days.sorted { $0.day < $1.day }.map { counter in
                let day = CalendarDay(daysSinceEpoch: counter.day)
                return ActivityBucket(
                    firstDay: day, dayCount: 1, label: day.iso8601, runs: counter.runs, failures: counter.failures,
                    cancelled: counter.cancelled)
            })

        // Ranked on small keys, names compared as bytes, and named only once cut at `top`: a log
        // of 200,000 targets would otherwise build (and print) 200,000 changes.
        var ranked: [(slot: Int32, notable: Bool, strength: Double)] = []
        ranked.reserveCapacity(changeTargets.count)
        var compared = 0
        for slot in changeTargets.indices {
            let change = TargetChange(
                target: "", previous: previousWindows[slot].statistics, recent: recentWindows[slot].statistics)
            if change.isComparable { compared += 1 }
            ranked.append((Int32(slot), change.isNotable, change.isNotable ? change.strength : 0))
        }
        ranked.sort { a, b in
            if a.notable != b.notable { return a.notable }
            if a.notable, a.strength != b.strength { return a.strength > b.strength }
            return names.precedes(changeTargets[Int(a.slot)], changeTargets[Int(b.slot)])
        }
        if query.top > 0, ranked.count > query.top { ranked.removeLast(ranked.count - query.top) }
        let changes = ranked.map { key in
            let slot = Int(key.slot)
            return TargetChange(
                target: names.name(changeTargets[slot]), previous: previousWindows[slot].statistics,
                recent: recentWindows[slot].statistics)
        }

        return ReportSummary(
            query: query, totals: totals, groups: reportGroups, otherGroups: otherGroups, activity: activity,
            changes: ReportChanges(
                reference: Timestamp(millisecondsSinceEpoch: referenceMilliseconds), targets: changes,
                targetCount: changeTargets.count, comparedCount: compared),
            sources: sources)
    }

    private func groupLabel(_ key: Int64) -> String? {
        switch query.grouping {
        case .target, .domain, .command: return key < 0 ? nil : names.name(Int32(key))
        case .day: return CalendarDay(daysSinceEpoch: key).iso8601
        case .week: return CalendarDay(daysSinceEpoch: key).week.iso8601
        }
    }
}

/// The report engine's entry point.
public enum Report {
    /// Reads `sources` in order and summarizes the events that match `query`.
    ///
    /// Throws for a bad query (`since` not before `until`) or a source that cannot be
    /// read; malformed lines are counted, never thrown.
    public static func summarize(_ query: ReportQuery, sources: [ReportSource]) throws(ReportError) -> ReportSummary {
        var aggregator = ReportAggregator(query: try query.validated())
        for source in sources { try aggregator.read(source) }
        return aggregator.summary()
    }

    /// Summarizes events already in memory.
    public static func summarize(_ query: ReportQuery, events: some Sequence<Event>) -> ReportSummary {
        var aggregator = ReportAggregator(query: query)
        for event in events { aggregator.add(event) }
        return aggregator.summary()
    }
}

/// One chunk of a file, aggregated on its own thread.
///
/// A class handed to `pthread_create` as an opaque pointer: the thread is the
/// only one to touch it until `finish` has joined it, hence `@unchecked Sendable`.
private final class ChunkJob: @unchecked Sendable {
    let fd: Int32
    let range: Range<Int64>
    var aggregator: ReportAggregator
    var errorCode: Int32 = 0
    /// The part of `range` left unread because the aggregator reached `parallelNameLimit` names.
    var rest: Range<Int64>?

    init(fd: Int32, range: Range<Int64>, aggregator: ReportAggregator) {
        self.fd = fd
        self.range = range
        self.aggregator = aggregator
    }

    func run() {
        var start = range.lowerBound
        while start < range.upperBound {
            if aggregator.nameCount >= ReportAggregator.parallelNameLimit {
                rest = start..<range.upperBound
                return
            }
            let target = start + ReportAggregator.pieceBytes
            // `lineStart` may look past `size` for the newline: never past this chunk.
            let end =
                target >= range.upperBound
                ? range.upperBound
                : min(FileChunks.lineStart(atOrAfter: target, fd: fd, size: range.upperBound), range.upperBound)
            errorCode = aggregator.readRange(fd, start..<end)
            if errorCode != 0 { return }
            start = end
        }
    }

    /// Starts the job on a new thread; nil when no thread could be made (`finish` then runs it here).
    func start() -> pthread_t? {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let code = pthread_create(
            &thread, nil,
            { raw in
                let job = Unmanaged<ChunkJob>.fromOpaque(raw!).takeRetainedValue()
                job.run()
                return nil
            }, context)
        guard code == 0 else {
            Unmanaged<ChunkJob>.fromOpaque(context).release()
            return nil
        }
        return thread
    }

    /// Waits for the thread, or runs the job here if it never started.
    func finish(_ thread: pthread_t?) {
        if let thread {
            pthread_join(thread, nil)
        } else {
            run()
        }
    }
}
