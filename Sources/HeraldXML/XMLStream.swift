import CLibXML2

/// Reads an XML document element by element with libxml2's pull reader, so a large feed or
/// sitemap never exists as a whole tree: memory is one entry's subtree at a time, not the
/// document. Same parser options as `XMLDocument` (recovery, no network, no entity expansion).
/// Not thread-safe; each call reads on its own.
public enum XMLStream {
    /// What the reader does after `visit` returned for an element.
    public enum Step {
        /// Read on into the element's children.
        case descend
        /// Move past the element and everything inside it.
        case skipChildren
    }

    /// One element start, as `visit` sees it. `node` has the element's name, namespace and
    /// attributes but no children yet; `subtree()` reads the element to its end and returns it
    /// whole. Both are valid only until `visit` returns.
    public struct Element {
        /// The element; its children are not read yet.
        public let node: Node
        /// 0 for the root element, 1 for its children, and so on.
        public let depth: Int
        let reader: xmlTextReaderPtr
        let expanded: Flag

        /// The element with all its descendants; the reader then moves past it. In a document
        /// cut off inside the element, the part that was read.
        public func subtree() -> Node? {
            expanded.value = true
            return Node(xmlTextReaderExpand(reader)) ?? Node(xmlTextReaderCurrentNode(reader))
        }
    }

    final class Flag { var value = false }

    /// Calls `visit` for every element start in document order, the root first, skipping the
    /// subtrees `visit` asks to skip (and those it read whole). Throws `XMLError.empty` for no
    /// bytes and `XMLError.unparsable` when there is no root element; an error after the root
    /// ends the reading there, keeping what was visited (recovery, as a lenient reader does).
    /// Errors thrown by `visit` stop the reading and are rethrown.
    public static func elements(_ bytes: [UInt8], url: String? = nil,
                                visit: (Element) throws -> Step) throws {
        let options = try XMLDocument.readingOptions(for: bytes)
        try bytes.withUnsafeBufferPointer { buf in
            try buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { p in
                guard let reader = xmlReaderForMemory(p, Int32(clamping: buf.count), url, nil, options) else {
                    throw XMLError.unparsable("libxml2 could not start reading")
                }
                defer { xmlFreeTextReader(reader) }
                var sawRoot = false
                var status = xmlTextReaderRead(reader)
                while status == 1 {
                    guard xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ELEMENT.rawValue),
                          let current = xmlTextReaderCurrentNode(reader) else {
                        status = xmlTextReaderRead(reader)
                        continue
                    }
                    sawRoot = true
                    let element = Element(node: Node(current), depth: Int(xmlTextReaderDepth(reader)),
                                          reader: reader, expanded: Flag())
                    let step = try visit(element)
                    if step == .skipChildren || element.expanded.value {
                        status = xmlTextReaderNext(reader)
                    } else {
                        status = xmlTextReaderRead(reader)
                    }
                }
                if !sawRoot { throw XMLError.unparsable("not well-formed XML") }
            }
        }
    }
}
