import Workloads
