/// A binary heap: `pop()` returns the element that `precedes` ranks first.
///
/// Shared by the slot allocator (lowest free slot) and DSATUR (most saturated vertex).
package struct BinaryHeap<Element> {
    private var items: [Element] = []
    private let precedes: (Element, Element) -> Bool

    package init(_ precedes: @escaping (Element, Element) -> Bool) {
        self.precedes = precedes
    }

    package var isEmpty: Bool { items.isEmpty }

    package mutating func push(_ element: Element) {
        items.append(element)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard precedes(items[i], items[parent]) else { break }
            items.swapAt(i, parent)
            i = parent
        }
    }

    package mutating func pop() -> Element? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let (l, r) = (2 * i + 1, 2 * i + 2)
                var first = i
                if l < items.count && precedes(items[l], items[first]) { first = l }
                if r < items.count && precedes(items[r], items[first]) { first = r }
                if first == i { break }
                items.swapAt(i, first)
                i = first
            }
        }
        return top
    }
}
