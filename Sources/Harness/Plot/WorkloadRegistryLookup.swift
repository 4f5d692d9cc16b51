import Workloads

enum WorkloadRegistryLookup {
    static func unit(_ workload: String, _ parameter: String) -> String? {
        WorkloadRegistry.named(workload)?.parameters.first { $0.name == parameter }?.unit
    }
}
