/// A fixed-size scratch buffer without bounds or exclusivity checks, freed explicitly (hot loops
/// of the sparsity, coloring and code-generation passes). Public only behind `@_spi(Scratch)`, so
/// other modules of the package can specialize it while it stays out of the public API.
@_spi(Scratch) public struct Buffer<Element> {
    public let base: UnsafeMutablePointer<Element>

    @inlinable public init(_ count: Int, _ value: Element) {
        base = UnsafeMutablePointer<Element>.allocate(capacity: Swift.max(count, 1))
        base.initialize(repeating: value, count: Swift.max(count, 1))
    }

    @inlinable public subscript(index: Int) -> Element {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }

    /// Trivial element types only (the memory is never deinitialized).
    @inlinable public init(uninitialized count: Int) {
        base = UnsafeMutablePointer<Element>.allocate(capacity: Swift.max(count, 1))
    }

    /// A buffer of `count` elements holding this one's first `kept`; this one is freed.
    @inlinable public func resized(to count: Int, keeping kept: Int) -> Buffer {
        let larger = UnsafeMutablePointer<Element>.allocate(capacity: count)
        larger.moveInitialize(from: base, count: kept)
        base.deallocate()
        return Buffer(base: larger)
    }

    @usableFromInline init(base: UnsafeMutablePointer<Element>) { self.base = base }

    @inlinable public func free() { base.deallocate() }
}
