@_spi(Scratch) import DiffGenCore

extension AdjacencyGraph {
    /// Greedy acyclic coloring in `order` (Gebremedhin, Tarafdar, Manne, Pothen, SIAM J. Sci.
    /// Comput. 29(3), 2007, §4): every two-colored subgraph is kept a forest whose trees are sets
    /// of edges in a disjoint-set forest. Coloring v with c closes a two-colored cycle exactly
    /// when two neighbours of v lie in one (a, c)-tree, so for each colored neighbour w and each
    /// colored neighbour x of w, the tree of edge w–x is visited: found again through another
    /// neighbour, it forbids color(x). After v is colored, its edges join the trees of its
    /// neighbours' edges into v's color, and its edges to neighbours of one color join each other.
    ///
    /// - Complexity: O(Σ_v Σ_{w ~ v} deg w · α) time, O(edges) memory.
    func greedyAcyclicColoring(_ order: [Int]) -> Coloring {
        greedyAcyclicColoring(order, below: Int.max)!
    }

    /// The pass, given up (nil) as soon as it needs `limit` colors (it cannot beat a coloring
    /// with that many).
    func greedyAcyclicColoring(_ order: [Int], below limit: Int) -> Coloring? {
        let n = vertexCount, positions = neighbors.count
        let colors = Buffer<Int32>(n, -1)
        let forbidden = Buffer<Int>(n + 1, -1)
        // Per color: the edge (position) of v's first neighbour with it, stamped with v.
        let firstEdgeStamp = Buffer<Int>(n + 1, -1), firstEdge = Buffer<Int>(n + 1, -1)
        // Disjoint sets of edges, by canonical position (the smaller of the two directions).
        let parent = Buffer<Int>(positions, -1)
        let reverse = Buffer<Int>(positions, 0)
        // Per tree root: the vertex being colored when it was first reached, and through which neighbour.
        let visitStamp = Buffer<Int>(positions, -1), visitVia = Buffer<Int32>(positions, -1)
        defer {
            for buffer in [forbidden, firstEdgeStamp, firstEdge, parent, reverse, visitStamp] { buffer.free() }
            colors.free()
            visitVia.free()
        }
        let finished: Bool = offsets.withUnsafeBufferPointer { offsets in
            neighbors.withUnsafeBufferPointer { neighbors in
                // reverse[p]: the position of the same edge in the other endpoint's (sorted) list.
                for v in 0..<n {
                    for p in offsets[v]..<offsets[v + 1] {
                        let w = Int(neighbors[p])
                        var (low, high) = (offsets[w], offsets[w + 1])
                        while low < high {
                            let mid = (low + high) / 2
                            if Int(neighbors[mid]) < v { low = mid + 1 } else { high = mid }
                        }
                        reverse[p] = low
                    }
                }
                func edge(_ p: Int) -> Int { min(p, reverse[p]) }
                func find(_ e: Int) -> Int {
                    var root = e
                    while parent[root] >= 0 { root = parent[root] }
                    var x = e
                    while parent[x] >= 0 { let next = parent[x]; parent[x] = root; x = next }
                    return root
                }
                func union(_ a: Int, _ b: Int) {
                    let (ra, rb) = (find(a), find(b))
                    if ra != rb { parent[ra] = rb }
                }
                for v in order {
                    for p in offsets[v]..<offsets[v + 1] where colors[Int(neighbors[p])] >= 0 {
                        forbidden[Int(colors[Int(neighbors[p])])] = v
                    }
                    for p in offsets[v]..<offsets[v + 1] {
                        let w = Int(neighbors[p])
                        guard colors[w] >= 0 else { continue }
                        for m in offsets[w]..<offsets[w + 1] {
                            let x = Int(neighbors[m])
                            let cx = colors[x]
                            guard cx >= 0, forbidden[Int(cx)] != v else { continue }
                            let tree = find(edge(m))
                            if visitStamp[tree] != v {
                                visitStamp[tree] = v
                                visitVia[tree] = Int32(w)
                            } else if visitVia[tree] != Int32(w) {
                                forbidden[Int(cx)] = v  // a second neighbour in this tree: a cycle
                            }
                        }
                    }
                    var c = 0
                    while forbidden[c] == v { c += 1 }
                    if c + 1 >= limit { return false }
                    colors[v] = Int32(c)
                    for p in offsets[v]..<offsets[v + 1] {
                        let w = Int(neighbors[p])
                        let cw = colors[w]
                        guard cw >= 0, w != v else { continue }
                        // Join w's tree into color c, if w has one.
                        for m in offsets[w]..<offsets[w + 1] where Int(neighbors[m]) != v && colors[Int(neighbors[m])] == Int32(c) {
                            union(edge(p), edge(m))
                            break
                        }
                        // v's edges to neighbours of one color form one tree through v.
                        if firstEdgeStamp[Int(cw)] != v {
                            firstEdgeStamp[Int(cw)] = v
                            firstEdge[Int(cw)] = p
                        } else {
                            union(edge(p), edge(firstEdge[Int(cw)]))
                        }
                    }
                }
                return true
            }
        }
        return finished ? Coloring(Array(UnsafeBufferPointer(start: colors.base, count: n))) : nil
    }
}
