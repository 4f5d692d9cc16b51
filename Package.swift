// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Highwater",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "highwater", targets: ["highwater"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Workloads", targets: ["Workloads"]),
        .library(name: "Harness", targets: ["Harness"]),
        .library(name: "RunContract", targets: ["RunContract"]),
    ],
    dependencies: [
        // CLI parsing with generated --help (units and defaults in every option's help text).
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Deque / OrderedDictionary for the caches, queues and ordered CSV columns.
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        // Suite files (suites/*.toml).
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // Batch latency percentiles (batch_p50_ms, batch_p99_ms).
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // Allocation counts and bytes that mean the same under every allocator (LD_PRELOADed per run, behind --alloc-counts).
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.0"),
    ],
    targets: [
        // System libzstd (Debian libzstd-dev): page compression.
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // XXH3-64 from Debian's libxxhash-dev, header-only (XXH_INLINE_ALL): value hashes and checksums.
        .target(name: "CXXHash"),
        // Allocator statistics (jemalloc mallctl, mimalloc process info, glibc mallinfo2) and allocation counts
        // (malloc-interposer), resolved with dlsym at run time: used inside each workload child.
        .target(name: "CAllocStats", linkerSettings: [.linkedLibrary("dl")]),
        // pidfd_open, ppoll and the interrupt handler: what the parent needs to monitor a child.
        .target(name: "CProcess"),
        // The run contract between parent and child, with no dependencies: the metric table, run status, child
        // spec and report, the event-line codec, the one clock and the /proc/self memory readers.
        .target(name: "RunContract"),
        .target(
            name: "Engine",
            dependencies: [
                "CZstd", "CXXHash",
                .product(name: "Collections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "Workloads",
            dependencies: [
                "Engine", "RunContract", "CZstd",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // Runs inside each child process (`highwater __child`): one workload, its events and its report.
        .target(name: "WorkloadHost", dependencies: ["Workloads", "RunContract", "CAllocStats"]),
        // The parent side: plans, the child runner and sampler, results, statistics, plots, report, regression.
        // It imports Workloads only for the registry's parameter declarations, and never Engine.
        .target(
            name: "Harness",
            dependencies: [
                "RunContract", "Workloads", "CProcess",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Collections", package: "swift-collections"),
            ]
        ),
        .executableTarget(
            name: "highwater",
            dependencies: [
                "Harness", "WorkloadHost", "Workloads", "highwater-spawn",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // ~1 MB C spawner between the harness and each child, so the child's wait4 ru_maxrss is its own peak
        // (exec folds the replaced address space's RSS into ru_maxrss; see README "How it measures").
        .executableTarget(name: "highwater-spawn"),
        // Builds libMallocInterposerSwift.so (preloaded by `highwater run --alloc-counts`) and checks that it counts.
        .executableTarget(
            name: "alloc-count-probe",
            dependencies: [.product(name: "MallocInterposerSwift", package: "malloc-interposer")]
        ),
        // Release-mode engine benchmark driver (engine figures before the harness wraps them).
        .executableTarget(name: "engine-bench", dependencies: ["Engine", "Workloads"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine"]),
        .testTarget(name: "WorkloadsTests", dependencies: ["Workloads", "Engine"]),
        .testTarget(name: "RunContractTests", dependencies: ["RunContract"]),
        // End to end: runs the built `highwater` binary as a user would (every command and option of the README).
        .testTarget(name: "CLITests"),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "WorkloadHost", "Workloads", "RunContract"]),
    ],
    swiftLanguageModes: [.v6]
)
