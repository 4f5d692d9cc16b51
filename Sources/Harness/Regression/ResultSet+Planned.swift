import Foundation
import RunContract

extension ResultSet {
    /// The configurations a plan will run, without metrics: lets `check` pair them with a baseline (and fail with
    /// exit 2 on a mismatch) before any run starts.
    public static func planned(_ configurations: [RunConfiguration], source: String) -> ResultSet {
        let configs = configurations.map { c -> ConfigurationResults in
            var params: [String: String] = [:]
            for kv in c.params { params[kv.key] = kv.value }
            for kv in c.env { params["env:\(kv.key)"] = kv.value }
            if let t = c.commandTemplate { params["command"] = t }
            return ConfigurationResults(configID: c.configID, workload: c.workload, allocator: c.allocator.rawValue,
                                        parameters: params, runs: 0, metrics: [:])
        }
        return ResultSet(name: "plan", source: source, environment: BaselineEnvironment(), configurations: configs)
    }
}
