// Self-check of allocation counting: links ordo-one/malloc-interposer (so SwiftPM builds
// libMallocInterposerSwift.so, the library `highwater run --alloc-counts` preloads into children) and,
// with the library preloaded, counts `n` malloc calls of `bytes` each between hook and unhook.
// Usage: LD_PRELOAD=.../libMallocInterposerSwift.so [other allocator] alloc-count-probe N BYTES
// Prints `alloc_count=<calls> alloc_bytes=<bytes>`; a test checks them under each allocator.
import MallocInterposerSwift

#if canImport(Glibc)
import Glibc
#endif

let args = CommandLine.arguments
let n = args.count > 1 ? Int(args[1]) ?? 1000 : 1000
let size = args.count > 2 ? Int(args[2]) ?? 100 : 100
let blocks = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: n)
MallocInterposerSwift.initialize()
MallocInterposerSwift.hook()
for i in 0..<n { blocks[i] = malloc(size) }
MallocInterposerSwift.unhook()
let stats = MallocInterposerSwift.getStatistics()
for i in 0..<n { free(blocks[i]) }
blocks.deallocate()
print("alloc_count=\(stats.mallocCount) alloc_bytes=\(stats.mallocBytesCount)")
