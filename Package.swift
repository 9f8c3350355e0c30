// swift-tools-version:6.1
// tlm: wrap commands, keep private, local, opt-in telemetry of them.
// No package dependencies: only the toolchain (stdlib, Glibc; Foundation in tests only).
import PackageDescription

let package = Package(
    name: "tlm",
    products: [
        .executable(name: "tlm", targets: ["tlm"]),
        // The shared recorder module: event model, storage paths, consent, append, read back.
        .library(name: "TLMRecorder", targets: ["TLMRecorder"]),
        .library(name: "TLMSupervisor", targets: ["TLMSupervisor"]),
    ],
    targets: [
        .target(name: "TLMRecorder"),
        .target(name: "TLMSupervisor"),
        .target(name: "TLMCLI", dependencies: ["TLMRecorder", "TLMSupervisor"]),
        .executableTarget(name: "tlm", dependencies: ["TLMCLI"]),
        .testTarget(name: "TLMRecorderTests", dependencies: ["TLMRecorder"]),
        .testTarget(
            name: "TLMIntegrationTests",
            dependencies: ["tlm", "TLMCLI", "TLMRecorder"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
