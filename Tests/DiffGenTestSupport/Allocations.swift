import MallocCounting

/// Number of heap allocations `body` makes on the calling thread.
public func heapAllocations(_ body: () throws -> Void) rethrows -> Int {
    dg_malloc_count_begin()
    defer { _ = dg_malloc_count_end() }
    try body()
    return dg_malloc_count_end()
}
