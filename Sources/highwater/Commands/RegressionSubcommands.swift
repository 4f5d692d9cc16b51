import ArgumentParser
import Foundation
import Harness

/// Subcommands of the CI regression mode (baseline, compare, check, merge), registered by the root command.
let regressionSubcommands: [ParsableCommand.Type] = [Baseline.self, Compare.self, Check.self, Noise.self, History.self, Merge.self]
