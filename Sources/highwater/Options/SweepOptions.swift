import ArgumentParser
import Foundation
import Harness

/// Options that shape a sweep, shared by `run` and `check`: they override the suite's values.
struct SweepOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Parameter values to sweep, KEY=V1,V2,... (repeatable). Units as in `highwater list`. With --suite, replaces KEY in every entry that has it. Default: the workload's defaults.", valueName: "key=values"))
    var param: [String] = []

    @Option(name: .long, help: ArgumentHelp("Allocator knob to sweep in the child's environment, NAME=V1,V2 (repeatable): MALLOC_ARENA_MAX, MALLOC_*_, GLIBC_TUNABLES, MALLOC_CONF, MIMALLOC_*. Default: none (or the suite's).", valueName: "name=values"))
    var env: [String] = []

    @Option(name: .long, help: ArgumentHelp("Comma-separated allocators preloaded per run: system, jemalloc, mimalloc. Default: system (or the suite's).", valueName: "list"))
    var allocator: String?

    @Option(name: [.customLong("repeat")], parsing: .unconditional, help: ArgumentHelp("Measured repeats per configuration (runs; per side with check --against), 1 ... 1000000. Default: 3 (or the suite's).", valueName: "n"))
    var repeats: Int?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Unrecorded warmup runs per configuration, 0 ... 1000000. Default: 0 (or the suite's).", valueName: "n"))
    var warmup: Int?

    @Option(name: .customLong("sample-ms"), parsing: .unconditional, help: ArgumentHelp("RSS sampling interval in milliseconds, 0.1 ... 60000; 0 turns sampling off. Default: 10 (or the suite's).", valueName: "ms"))
    var sampleMs: Double?

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Per-run wall-clock limit in seconds, up to 604800 (a week); the child is killed and recorded as `timeout`. Default: 600 (or the suite's).", valueName: "s"))
    var timeout: Double?

    @Option(name: .customLong("memory-limit"), parsing: .unconditional, help: ArgumentHelp("Per-run RSS limit in MB (1e6 bytes), 0 ... 1e9, checked at every sample; over it the child is killed and recorded as `oom`. Default: 0 (none).", valueName: "MB"))
    var memoryLimit: Double?

    @Option(name: .customLong("max-runs"), parsing: .unconditional, help: ArgumentHelp("Most runs (warmups included) the sweep may plan; a larger plan is refused before anything runs. Default: 100000 (or the suite's max_runs).", valueName: "n"))
    var maxRuns: Int?

    @Option(name: .customLong("max-log-mb"), parsing: .unconditional, help: ArgumentHelp("Most stdout + stderr one run may write, MB; over it the run is killed and recorded as `failed`. 0 = no limit. Default: 1000 (or the suite's max_log_mb).", valueName: "MB"))
    var maxLogMB: Double?

    @Flag(name: .customLong("alloc-counts"), help: "Count allocation calls and bytes (alloc_count, alloc_bytes) by preloading ordo-one/malloc-interposer (adds a 16-byte header per allocation). Workloads only. Default: off.")
    var allocCounts = false

    @Option(name: .long, help: ArgumentHelp("After the sweep, profile each configuration once more (a run kept out of the statistics): heap (heaptrack: what was live at the heap's peak, by stack), cpu (perf record: where the time goes), or heap,cpu. Files under DIR/profiles/<config_id>/. Default: none.", valueName: "list"))
    var profile: String?

    @Flag(name: .long, help: "Plain progress lines even on a terminal. Default: an updating line on a terminal.")
    var plain = false

    /// These options as plan overrides (the caller adds what runs and the command-specific flags).
    var overrides: PlanOverrides {
        var o = PlanOverrides()
        o.params = param
        o.env = env
        o.allocators = allocator
        o.repeats = repeats
        o.warmup = warmup
        o.sampleMs = sampleMs
        o.timeoutS = timeout
        o.memoryLimitMB = memoryLimit
        o.allocCounts = allocCounts
        o.maxRuns = maxRuns
        o.maxLogMB = maxLogMB
        o.profiles = profile
        o.commandLine = CommandLine.arguments
        return o
    }
}
