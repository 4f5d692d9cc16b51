import ArgumentParser

/// Subcommands of the CI regression mode (baseline, compare, check, merge), registered by the root command.
let regressionSubcommands: [ParsableCommand.Type] = []
