import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// A node of a parsed `HTMLDocument` or `XMLDocument`: element, text, comment and so on.
///
/// A `Node` is a view into its document's tree, valid only while that document is alive and the
/// node has not been removed. It is cheap to copy (one pointer) and not thread-safe: a document
/// and its nodes belong to one task at a time.
public struct Node: Hashable {
    let ptr: xmlNodePtr

    init(_ ptr: xmlNodePtr) { self.ptr = ptr }
    init?(_ ptr: xmlNodePtr?) {
        guard let ptr else { return nil }
        self.ptr = ptr
    }

    /// What sort of node this is.
    public enum Kind: Sendable, Equatable {
        case element, text, cdata, comment, attribute, document, other
    }

    public var kind: Kind {
        switch ptr.pointee.type {
        case XML_ELEMENT_NODE: return .element
        case XML_TEXT_NODE: return .text
        case XML_CDATA_SECTION_NODE: return .cdata
        case XML_COMMENT_NODE: return .comment
        case XML_ATTRIBUTE_NODE: return .attribute
        case XML_DOCUMENT_NODE, XML_HTML_DOCUMENT_NODE: return .document
        default: return .other
        }
    }

    public var isElement: Bool { ptr.pointee.type == XML_ELEMENT_NODE }
    public var isText: Bool {
        ptr.pointee.type == XML_TEXT_NODE || ptr.pointee.type == XML_CDATA_SECTION_NODE
    }

    /// The tag name (lower case for HTML, as libxml2's HTML parser reports it), without prefix.
    public var name: String {
        guard let n = ptr.pointee.name else { return "" }
        return String(cString: n)
    }

    /// True when this is an element with the given (lower-case for HTML) local name; cheaper than
    /// comparing `name`, since it compares bytes without building a String.
    public func isElement(_ tag: StaticString) -> Bool {
        guard ptr.pointee.type == XML_ELEMENT_NODE, let n = ptr.pointee.name else { return false }
        return tag.withUTF8Buffer { want in
            var i = 0
            while i < want.count {
                if n[i] != want[i] { return false }
                i += 1
            }
            return n[i] == 0
        }
    }

    /// The namespace prefix of an XML element (`media` in `media:content`), if any.
    public var namespacePrefix: String? {
        guard let ns = ptr.pointee.ns, let p = ns.pointee.prefix else { return nil }
        return String(cString: p)
    }

    /// The namespace URI of an XML element, if any.
    public var namespaceURI: String? {
        guard let ns = ptr.pointee.ns, let h = ns.pointee.href else { return nil }
        return String(cString: h)
    }

    public var parent: Node? {
        guard let p = ptr.pointee.parent, p.pointee.type != XML_DOCUMENT_NODE,
              p.pointee.type != XML_HTML_DOCUMENT_NODE else { return nil }
        return Node(p)
    }
    public var firstChild: Node? { Node(ptr.pointee.children) }
    public var lastChild: Node? { Node(ptr.pointee.last) }
    public var nextSibling: Node? { Node(ptr.pointee.next) }
    public var previousSibling: Node? { Node(ptr.pointee.prev) }

    /// The direct children, in document order.
    public var children: ChildSequence { ChildSequence(first: ptr.pointee.children) }

    /// The direct children that are elements.
    public var elementChildren: [Node] { children.filter(\.isElement) }

    /// The text of a text, CDATA or comment node (empty for other kinds).
    public var text: String {
        guard let c = ptr.pointee.content else { return "" }
        return String(cString: c)
    }

    /// The byte length of a text node's content, without building a String.
    public var textByteCount: Int {
        guard let c = ptr.pointee.content else { return 0 }
        return strlen(UnsafeRawPointer(c).assumingMemoryBound(to: CChar.self))
    }

    /// All text below this node, concatenated in document order (attribute nodes: their value).
    public var textContent: String {
        guard let c = xmlNodeGetContent(ptr) else { return "" }
        defer { herald_xml_free(c) }
        return String(cString: c)
    }

    /// The value of an attribute (names as the parser stored them: lower case for HTML).
    public func attribute(_ name: String) -> String? {
        var prop = ptr.pointee.properties
        guard prop != nil else { return nil }
        // Convert the name to a C string once, not once per attribute compared.
        return name.withCString { cname in
            while let p = prop {
                if let n = p.pointee.name, strcmp(UnsafeRawPointer(n).assumingMemoryBound(to: CChar.self), cname) == 0 {
                    return Node.attributeValue(p)
                }
                prop = p.pointee.next
            }
            return nil
        }
    }

    /// True when the element has the attribute, whatever its value.
    public func hasAttribute(_ name: String) -> Bool {
        var prop = ptr.pointee.properties
        while let p = prop {
            if let n = p.pointee.name, strcmp(UnsafeRawPointer(n).assumingMemoryBound(to: CChar.self), name) == 0 {
                return true
            }
            prop = p.pointee.next
        }
        return false
    }

    /// All attributes as (name, value) pairs, in document order.
    public var attributes: [(name: String, value: String)] {
        var out: [(String, String)] = []
        var prop = ptr.pointee.properties
        while let p = prop {
            if let n = p.pointee.name {
                out.append((String(cString: n), Node.attributeValue(p)))
            }
            prop = p.pointee.next
        }
        return out
    }

    private static func attributeValue(_ p: xmlAttrPtr) -> String {
        // The common case is one text child; anything else goes through libxml2.
        if let child = p.pointee.children, child.pointee.next == nil, let c = child.pointee.content {
            return String(cString: c)
        }
        guard let v = xmlNodeGetContent(UnsafeMutableRawPointer(p).assumingMemoryBound(to: xmlNode.self)) else {
            return ""
        }
        defer { herald_xml_free(v) }
        return String(cString: v)
    }

    /// Sets (or replaces) an attribute's value.
    public func setAttribute(_ name: String, _ value: String) {
        _ = xmlSetProp(ptr, name, value)
    }

    /// Unlinks the node from its tree and frees it with all its descendants. The node, and any
    /// `Node` pointing below it, must not be used afterwards.
    public func remove() {
        xmlUnlinkNode(ptr)
        xmlFreeNode(ptr)
    }

    /// Unlinks the node and puts it before `sibling` in that node's parent.
    public func move(before sibling: Node) {
        xmlUnlinkNode(ptr)
        xmlAddPrevSibling(sibling.ptr, ptr)
    }

    /// Serialized HTML of this node and its descendants (for diagnostics and `--pretty` output).
    public var outerHTML: String {
        guard let buf = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buf) }
        htmlNodeDump(buf, ptr.pointee.doc, ptr)
        guard let content = xmlBufferContent(buf) else { return "" }
        return String(cString: content)
    }

    /// The elements below this node (not including it), in document order, found without recursion
    /// so that a pathologically deep tree cannot overflow the stack.
    public func descendantElements(where predicate: (Node) -> Bool = { _ in true }) -> [Node] {
        var out: [Node] = []
        walk { node in
            if node.isElement && predicate(node) { out.append(node) }
            return true
        }
        return out
    }

    /// Visits every node below this one in document order, iteratively. Return false from `visit`
    /// to skip that node's subtree. `visit` must not remove the node it is given or any other.
    public func walk(_ visit: (Node) -> Bool) {
        var current = ptr.pointee.children
        let stop = ptr
        while let node = current {
            if visit(Node(node)), let child = node.pointee.children,
               node.pointee.type == XML_ELEMENT_NODE {
                current = child
                continue
            }
            // Climb until a next sibling exists or we are back at the start.
            var n: xmlNodePtr? = node
            while let m = n {
                if let next = m.pointee.next { current = next; break }
                let up = m.pointee.parent
                if up == nil || up == stop { current = nil; break }
                n = up
            }
            if n == nil { current = nil }
        }
    }
}

/// The children of a node, following sibling links. Do not remove nodes while iterating.
public struct ChildSequence: Sequence {
    let first: xmlNodePtr?

    public struct Iterator: IteratorProtocol {
        var next_: xmlNodePtr?
        public mutating func next() -> Node? {
            guard let n = next_ else { return nil }
            next_ = n.pointee.next
            return Node(n)
        }
    }
    public func makeIterator() -> Iterator { Iterator(next_: first) }
}

/// Subtrees taken out of a document but kept, so that the removal can be undone: the body
/// extractor cleans a page in place and, when its answer fails its own check, puts everything
/// back to try a gentler cleaning without parsing the page again.
///
/// Owns the detached subtrees until `restore()` links them back; frees them on deinit otherwise.
/// Must not outlive the document it came from. Not thread-safe, like the document.
public final class DetachedNodes {
    private var entries: [(node: xmlNodePtr, parent: xmlNodePtr?, next: xmlNodePtr?)] = []

    public init() {}

    /// How many subtrees are held.
    public var count: Int { entries.count }

    /// Unlinks `node` from its tree, remembering where it was. Detach non-nested nodes in document
    /// order; `restore` undoes them in reverse.
    public func detach(_ node: Node) {
        let p = node.ptr
        entries.append((p, p.pointee.parent, p.pointee.next))
        xmlUnlinkNode(p)
    }

    /// Links every held subtree back where it was, newest first, so that each one's remembered
    /// next sibling is already in place again.
    public func restore() {
        while let (node, parent, next) = entries.popLast() {
            if let next {
                xmlAddPrevSibling(next, node)
            } else if let parent {
                xmlAddChild(parent, node)
            } else {
                xmlFreeNode(node)
            }
        }
    }

    deinit {
        for entry in entries { xmlFreeNode(entry.node) }
    }
}
