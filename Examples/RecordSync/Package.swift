// swift-tools-version:6.1
// An example package that depends on tlm and records one event with the recorder module, as
// README.md's "The recorder module (Swift API)" shows (make examples builds and runs it).
import PackageDescription

let package = Package(
    name: "RecordSync",
    dependencies: [
        // From GitHub: .package(url: "https://github.com/…/tlm.git", branch: "main"), whose identity is
        // "tlm" (the URL's last component, without .git). A path's identity is its folder's name, which
        // is not "tlm" in a clone named otherwise: name: pins it, so the products below always resolve.
        .package(name: "tlm", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "record-sync",
            dependencies: [.product(name: "TLMRecorder", package: "tlm")])
    ]
)
