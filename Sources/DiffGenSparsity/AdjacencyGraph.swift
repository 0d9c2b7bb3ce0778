@_spi(Scratch) import DiffGenCore

/// An undirected graph in compressed form: the neighbours of v are
/// `neighbors[offsets[v] ..< offsets[v+1]]`, with no self loops or duplicates.
struct AdjacencyGraph {
    let offsets: [Int]
    let neighbors: [Int32]

    var vertexCount: Int { offsets.count - 1 }

    func neighbors(of v: Int) -> ArraySlice<Int32> { neighbors[offsets[v]..<offsets[v + 1]] }

    func degree(_ v: Int) -> Int { offsets[v + 1] - offsets[v] }

    /// Σ deg(v)²: the neighbour-of-neighbour visits of a pass looking two steps away (and a
    /// bound on the square graph's edges).
    var squaredDegreeSum: Int { (0..<vertexCount).reduce(0) { $0 &+ degree($1) &* degree($1) } }

    /// The adjacency graph of a symmetric pattern: i ~ j for every off-diagonal entry (i, j) or (j, i).
    /// - Complexity: O(nonzeros): each column merged with the same column of the transpose.
    static func symmetric(_ pattern: Pattern) -> AdjacencyGraph {
        precondition(pattern.rows == pattern.cols, "a symmetric pattern is square")
        let n = pattern.cols
        let transpose = pattern.transposed()
        var offsets = [Int](repeating: 0, count: n + 1)
        let capacity = 2 * pattern.nonzeroCount
        var count = 0
        // Raw pointers: this runs before every star coloring, and checked appends tripled its time.
        let neighbors = [Int32](unsafeUninitializedCapacity: Swift.max(capacity, 1)) { out, initialized in
            pattern.columnStarts.withUnsafeBufferPointer { aStarts in
                pattern.rowIndices.withUnsafeBufferPointer { aRows in
                    transpose.columnStarts.withUnsafeBufferPointer { bStarts in
                        transpose.rowIndices.withUnsafeBufferPointer { bRows in
                            offsets.withUnsafeMutableBufferPointer { offsets in
                                for j in 0..<n {
                                    var (a, aEnd) = (Int(aStarts[j]), Int(aStarts[j + 1]))
                                    var (b, bEnd) = (Int(bStarts[j]), Int(bStarts[j + 1]))
                                    while a < aEnd || b < bEnd {
                                        let ra = a < aEnd ? aRows[a] : Int32.max
                                        let rb = b < bEnd ? bRows[b] : Int32.max
                                        let r = Swift.min(ra, rb)
                                        if ra <= rb { a += 1 }
                                        if rb <= ra { b += 1 }
                                        if Int(r) != j {
                                            out[count] = r
                                            count += 1
                                        }
                                    }
                                    offsets[j + 1] = count
                                }
                            }
                        }
                    }
                }
            }
            initialized = count
        }
        return AdjacencyGraph(offsets: offsets, neighbors: neighbors)
    }

    /// A vertex order for greedy coloring.
    func order(_ kind: VertexOrdering) -> [Int] {
        let n = vertexCount
        switch kind {
        case .natural:
            return Array(0..<n)
        case .largestFirst:
            // Counting sort by degree, descending; lower index first among equals.
            return offsets.withUnsafeBufferPointer { offsets in
                var most = 0
                for v in 0..<n { most = max(most, offsets[v + 1] &- offsets[v]) }
                var starts = [Int](repeating: 0, count: most + 2)
                var order = [Int](repeating: 0, count: n)
                starts.withUnsafeMutableBufferPointer { starts in
                    order.withUnsafeMutableBufferPointer { order in
                        for v in 0..<n { starts[most &- (offsets[v + 1] &- offsets[v]) &+ 1] &+= 1 }
                        for d in 0...most { starts[d &+ 1] &+= starts[d] }
                        for v in 0..<n {
                            let slot = most &- (offsets[v + 1] &- offsets[v])
                            order[starts[slot]] = v
                            starts[slot] &+= 1
                        }
                    }
                }
                return order
            }
        case .smallestLast:
            return smallestLastOrder()
        case .incidenceDegree:
            // Next: the vertex with most already-ordered neighbours (ties: lowest index first).
            var count = [Int](repeating: 0, count: n)
            var buckets = [[Int]](repeating: [], count: (0..<n).map(degree).max().map { $0 + 1 } ?? 1)
            for v in (0..<n).reversed() { buckets[0].append(v) }
            var ordered = [Bool](repeating: false, count: n)
            var order: [Int] = []
            order.reserveCapacity(n)
            var high = 0
            while order.count < n {
                while buckets[high].isEmpty { high -= 1 }
                let v = buckets[high].removeLast()
                if ordered[v] || count[v] != high { continue }
                ordered[v] = true
                order.append(v)
                for u in neighbors(of: v) where !ordered[Int(u)] {
                    count[Int(u)] += 1
                    buckets[count[Int(u)]].append(Int(u))
                    high = max(high, count[Int(u)])
                }
            }
            return order
        }
    }
}

/// Vertex orders tried by the greedy colorings (Gebremedhin, Manne, Pothen, SIAM Review 47(4),
/// 2005, §3.3): none wins everywhere, so colorings try each and keep the fewest colors.
/// Ties break by lower index; degrees are in the coloring's own graph (distance-2 degree for
/// Jacobians).
public enum VertexOrdering: CaseIterable, Sendable {
    case natural, largestFirst, smallestLast, incidenceDegree
}

extension AdjacencyGraph {
    /// Repeatedly removes a vertex of least remaining degree (the lowest index among the most
    /// recently lowered, as a stack per degree); colors in reverse removal order. Buckets are
    /// doubly linked lists in flat arrays: O(vertices + edges), no allocation per move.
    func smallestLastOrder() -> [Int] {
        let n = vertexCount
        guard n > 0 else { return [] }
        let current = Buffer<Int>(n, 0), head = Buffer<Int>(n + 1, -1), next = Buffer<Int>(n, -1), previous = Buffer<Int>(n, -1)
        let removed = Buffer<Bool>(n, false)
        defer { current.free(); head.free(); next.free(); previous.free(); removed.free() }
        func push(_ v: Int) {
            let d = current[v]
            (previous[v], next[v]) = (-1, head[d])
            if head[d] >= 0 { previous[head[d]] = v }
            head[d] = v
        }
        func unlink(_ v: Int) {
            if previous[v] >= 0 { next[previous[v]] = next[v] } else { head[current[v]] = next[v] }
            if next[v] >= 0 { previous[next[v]] = previous[v] }
        }
        for v in (0..<n).reversed() {
            current[v] = degree(v)
            push(v)
        }
        var removal = [Int](repeating: 0, count: n)
        var low = 0
        for k in 0..<n {
            while head[low] < 0 { low += 1 }
            let v = head[low]
            unlink(v)
            removed[v] = true
            removal[k] = v
            for u in neighbors(of: v) where !removed[Int(u)] {
                let w = Int(u)
                unlink(w)
                current[w] -= 1
                push(w)
                low = Swift.min(low, current[w])
            }
        }
        return removal.reversed()
    }
}

extension AdjacencyGraph {
    /// The square graph: v ~ u when they are neighbours or share one (distance-2 orders).
    /// - Complexity: O(Σ deg(w)²) time and memory.
    func squared() -> AdjacencyGraph {
        let n = vertexCount
        var offsets = [Int](repeating: 0, count: n + 1)
        let bound = squaredDegreeSum &+ neighbors.count
        let stamp = Buffer<Int>(n, -1)
        defer { stamp.free() }
        var count = 0
        // Raw pointers: Σ deg² visits, where checked appends cost several times the work.
        let neighbours = [Int32](unsafeUninitializedCapacity: Swift.max(bound, 1)) { out, initialized in
            self.offsets.withUnsafeBufferPointer { start in
                self.neighbors.withUnsafeBufferPointer { adjacent in
                    offsets.withUnsafeMutableBufferPointer { offsets in
                        for v in 0..<n {
                            stamp[v] = v
                            for p in start[v]..<start[v + 1] {
                                let w = Int(adjacent[p])
                                if stamp[w] != v { stamp[w] = v; out[count] = Int32(w); count += 1 }
                                for m in start[w]..<start[w + 1] where stamp[Int(adjacent[m])] != v {
                                    stamp[Int(adjacent[m])] = v
                                    out[count] = adjacent[m]
                                    count += 1
                                }
                            }
                            offsets[v + 1] = count
                        }
                    }
                }
            }
            initialized = count
        }
        return AdjacencyGraph(offsets: offsets, neighbors: neighbours)
    }
}
