import TLMSystem

/// The machine a run happened on, as SeraPlot's system fields describe it:
/// operating system, architecture, CPU count and memory. Never its name.
public struct HostInfo: Sendable, Equatable {
    /// `linux`: tlm builds on Linux only for now.
    public let os: String
    /// The kernel's name for the architecture (`uname -m`): `x86_64`, `aarch64`, `arm64`.
    public let arch: String
    /// Online CPUs.
    public let cpuCount: Int
    /// Physical memory in GB (10^9 bytes), to one decimal.
    public let memoryGB: Double

    public init(os: String, arch: String, cpuCount: Int, memoryGB: Double) {
        self.os = os
        self.arch = arch
        self.cpuCount = cpuCount
        self.memoryGB = memoryGB
    }

    /// This machine.
    public static func current() -> HostInfo {
        let os = "linux"
        var names = utsname()
        uname(&names)
        let arch = withUnsafeBytes(of: &names.machine) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        let cpus = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        let pages = Double(max(0, sysconf(Int32(_SC_PHYS_PAGES))))
        let pageSize = Double(max(0, sysconf(Int32(_SC_PAGESIZE))))
        let gigabytes = (pages * pageSize / 1e8).rounded() / 10
        return HostInfo(os: os, arch: arch, cpuCount: cpus, memoryGB: gigabytes)
    }
}
