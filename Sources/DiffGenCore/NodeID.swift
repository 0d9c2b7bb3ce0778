/// The index of a node in its `Graph`'s arena.
///
/// Ids are dense and ascending in creation order, and every operand is older than its user,
/// so ascending id order is a topological order.
public struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let raw: Int32

    @inlinable public init(_ raw: Int32) { self.raw = raw }
    @inlinable public init(_ index: Int) { self.raw = Int32(index) }

    /// The id as an array index.
    @inlinable public var index: Int { Int(raw) }

    @inlinable public static func < (lhs: NodeID, rhs: NodeID) -> Bool { lhs.raw < rhs.raw }

    public var description: String { "@\(raw)" }
}
