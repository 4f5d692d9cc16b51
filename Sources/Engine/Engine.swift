/// On-disk format version written by this engine (see docs/FORMAT.md).
public let engineFormatVersion: UInt32 = 1
