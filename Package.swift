// swift-tools-version:6.1
// tlm: wrap commands, keep private, local, opt-in telemetry of them.
// No package dependencies: only the toolchain (stdlib, Glibc; Foundation in tests and in
// tlm-export, the network half, which `tlm` itself never links: see Sources/tlm-export).
import PackageDescription

let package = Package(
    name: "tlm",
    products: [
        .executable(name: "tlm", targets: ["tlm"]),
        // `tlm export otlp` and `tlm export prometheus --push`: tlm plus an HTTP client (libcurl).
        .executable(name: "tlm-export", targets: ["tlm-export"]),
        // The shared recorder module: event model, storage paths, consent, append, read back.
        .library(name: "TLMRecorder", targets: ["TLMRecorder"]),
        .library(name: "TLMSupervisor", targets: ["TLMSupervisor"]),
        // The report engine: streaming statistics over the log (`tlm report`'s Swift API).
        .library(name: "TLMReport", targets: ["TLMReport"]),
        // Export formats and the send queue: OTLP traces, Prometheus, CSV (no network code).
        .library(name: "TLMExport", targets: ["TLMExport"]),
    ],
    targets: [
        .target(name: "TLMRecorder", dependencies: ["TLMSystem"], exclude: ["Logbook/logbook-v1.schema.json"]),
        // prctl and other calls Swift cannot make itself (variadic in C), and the saved argv.
        .target(name: "CSystem"),
        // The platform layer under every other module: the one `import Glibc`, Errno,
        // the retry on EINTR, whole-file reads and writes, folder listing, the monotonic clock.
        .target(name: "TLMSystem", dependencies: ["CSystem"]),
        .target(name: "TLMSupervisor", dependencies: ["TLMSystem", "CSystem"]),
        .target(name: "TLMReport", dependencies: ["TLMSystem", "TLMRecorder"]),
        .target(name: "TLMExport", dependencies: ["TLMSystem", "TLMRecorder", "TLMReport"]),
        .target(
            name: "TLMCLI",
            dependencies: ["TLMSystem", "TLMRecorder", "TLMSupervisor", "TLMReport", "TLMExport", "CSystem"]),
        .executableTarget(name: "tlm", dependencies: ["TLMCLI"]),
        // gzip over the system's libz.so.1, for tlm-export alone. `-l:libz.so.1` names the
        // soname's file, so that linking needs no libz.so (no zlib1g-dev), as curl's link does.
        .target(name: "CZlib", exclude: ["zlib_abi.h"], linkerSettings: [.linkedLibrary(":libz.so.1")]),
        .executableTarget(name: "tlm-export", dependencies: ["TLMCLI", "TLMExport", "CZlib"]),
        // Test helpers: temporary folders, processes with pipes, pseudo-terminals.
        .target(name: "CTestSupport", path: "Tests/CTestSupport"),
        .target(
            name: "TLMTestSupport", dependencies: ["TLMSystem", "TLMSupervisor", "CTestSupport"],
            path: "Tests/TLMTestSupport"),
        .testTarget(name: "TLMSystemTests", dependencies: ["TLMSystem", "TLMTestSupport"]),
        .testTarget(name: "TLMRecorderTests", dependencies: ["TLMRecorder", "TLMTestSupport"]),
        .testTarget(
            name: "TLMReportTests", dependencies: ["TLMReport", "TLMRecorder", "TLMSystem", "TLMTestSupport"],
            exclude: ["Fixtures"]  // read by path, as a user's files would be
        ),
        .testTarget(name: "TLMExportTests", dependencies: ["TLMExport", "TLMRecorder", "TLMTestSupport"]),
        .testTarget(
            name: "TLMIntegrationTests",
            dependencies: [
                "tlm", "tlm-export", "TLMCLI", "TLMRecorder", "TLMSupervisor", "TLMExport", "TLMSystem",
                "TLMTestSupport",
            ],
            exclude: ["Fixtures"]  // read by path, as a user's files would be
        ),
    ],
    swiftLanguageModes: [.v6]
)
