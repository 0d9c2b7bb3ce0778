/// Open-addressing slots of node ids for hash-consing (linear probing, load factor at most 1/2).
///
/// Stores only `Int32` ids, so it costs at most 8 bytes per node; equality of keys is decided
/// by `Graph`, which compares the fields in the arena. The hash has no per-process seed.
struct HashConsTable {
    var slots: [Int32] = Array(repeating: -1, count: 16)
    var used = 0

    var mask: Int { slots.count - 1 }

    /// True when one more entry would push the load factor past 1/2.
    var isFull: Bool { 2 * (used + 1) > slots.count }

    static func hash(_ op: Op, _ a: Int32, _ b: Int32, _ c: Int32) -> Int {
        // splitmix64-style mixing of the packed fields.
        var h = UInt64(op.rawValue) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(UInt32(bitPattern: a)) | (UInt64(UInt32(bitPattern: b)) << 32)
        h = (h ^ (h >> 30)) &* 0xBF58_476D_1CE4_E5B9
        h ^= UInt64(UInt32(bitPattern: c))
        h = (h ^ (h >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: h ^ (h >> 31))
    }

    /// Empties the table and sizes it for at least `entries` entries.
    mutating func clear(sizedFor entries: Int) {
        var capacity = 16
        while capacity < 2 * entries + 2 { capacity *= 2 }
        slots = Array(repeating: -1, count: capacity)
        used = 0
    }

    /// Puts `id` in the first free slot of its probe sequence.
    mutating func place(_ id: Int32, hash: Int) {
        var i = hash & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = id
        used += 1
    }
}
