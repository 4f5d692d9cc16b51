import Workloads
print(WorkloadRegistry.all.map { $0.name })
