import Workloads

/// Parameter units from the workload declarations (for axis labels).
enum WorkloadUnits {
    static func unit(workload: String, parameter: String) -> String? {
        WorkloadRegistry.named(workload)?.parameters.first { $0.name == parameter }?.unit
    }
}
