import Engine
// Release-mode engine micro-benchmark, replaced by the harness's write/scan workloads.
print("engine format version", engineFormatVersion)
