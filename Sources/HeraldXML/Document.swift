import CLibXML2

/// Why a document could not be parsed or an XPath expression not evaluated.
public enum XMLError: Error, Equatable, CustomStringConvertible {
    case empty
    case unparsable(String)
    case invalidXPath(String)

    public var description: String {
        switch self {
        case .empty: return "empty document"
        case .unparsable(let why): return "cannot parse: \(why)"
        case .invalidXPath(let expr): return "invalid XPath expression: \(expr)"
        }
    }
}

/// One-time libxml2 set-up; `xmlInitParser` must run before documents are parsed on several
/// threads.
let libxml2Initialized: Bool = {
    xmlInitParser()
    return true
}()

/// A parsed libxml2 tree: the common base of `HTMLDocument` and `XMLDocument`.
///
/// Owns the tree and frees it on deinit; its `Node`s are valid while it lives. Not thread-safe:
/// use a document from one task at a time (different documents may be used concurrently).
public class Document {
    let doc: xmlDocPtr

    init(doc: xmlDocPtr) { self.doc = doc }

    deinit { xmlFreeDoc(doc) }

    /// The root element (`<html>` for HTML), if the document has one.
    public var root: Node? { Node(xmlDocGetRootElement(doc)) }

    /// Evaluates an XPath 1.0 expression; node-set results as nodes (elements, attributes or
    /// text), other results as a one-element list of their string value in `strings`.
    public func evaluate(xpath expression: String, namespaces: [String: String] = [:]) throws -> XPathResult {
        guard let ctx = xmlXPathNewContext(doc) else { throw XMLError.invalidXPath(expression) }
        defer { xmlXPathFreeContext(ctx) }
        for (prefix, uri) in namespaces { xmlXPathRegisterNs(ctx, prefix, uri) }
        herald_xml_silence_errors()
        guard let obj = xmlXPathEvalExpression(expression, ctx) else {
            throw XMLError.invalidXPath(expression)
        }
        defer { xmlXPathFreeObject(obj) }
        switch obj.pointee.type {
        case XPATH_NODESET:
            var nodes: [Node] = []
            if let set = obj.pointee.nodesetval, let tab = set.pointee.nodeTab {
                for i in 0..<Int(set.pointee.nodeNr) {
                    if let n = tab[i] { nodes.append(Node(n)) }
                }
            }
            return .nodes(nodes)
        default:
            guard let s = xmlXPathCastToString(obj) else { return .string("") }
            defer { herald_xml_free(s) }
            return .string(String(cString: s))
        }
    }
}

/// What an XPath expression evaluated to.
public enum XPathResult {
    case nodes([Node])
    case string(String)

    /// Node results as their text, trimmed, empty ones dropped; a string result as itself.
    public var strings: [String] {
        switch self {
        case .nodes(let nodes):
            return nodes.map { $0.textContent.trimmingWhitespace() }.filter { !$0.isEmpty }
        case .string(let s):
            let t = s.trimmingWhitespace()
            return t.isEmpty ? [] : [t]
        }
    }
}

/// XPath syntax checking without a document, for validating configuration.
public enum XPath {
    /// Throws `XMLError.invalidXPath` when libxml2 cannot compile the expression.
    public static func validate(_ expression: String) throws {
        _ = libxml2Initialized
        herald_xml_silence_errors()
        guard let comp = xmlXPathCompile(expression) else { throw XMLError.invalidXPath(expression) }
        xmlXPathFreeCompExpr(comp)
    }
}

/// An HTML page parsed by libxml2's recovering HTML parser: any bytes give a tree, never a crash.
public final class HTMLDocument: Document {
    /// Parses HTML bytes. `encoding` is an IANA charset name (`UTF-8`, `windows-1252` ...): a
    /// name libxml2 knows overrides the page's own declaration; nil lets libxml2 detect it.
    public init(bytes: [UInt8], encoding: String? = "UTF-8", url: String? = nil) throws {
        _ = libxml2Initialized
        guard !bytes.isEmpty else { throw XMLError.empty }
        herald_xml_silence_errors()
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_COMPACT.rawValue)
        let parsed: htmlDocPtr? = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { p in
                htmlReadMemory(p, Int32(clamping: buf.count), url, encoding, options)
            }
        }
        guard let parsed else { throw XMLError.unparsable("libxml2 built no tree") }
        super.init(doc: parsed)
        if let body = self.body { Self.moveIntoBody(body.ptr, from: body.ptr.pointee.next) }
    }

    /// libxml2 leaves what follows a stray `</body>` or `</html>` (template includes, pages
    /// saved twice, wrappers like CleanEval's `<text>`) outside the body: beside it under
    /// `<html>`, or in a second `<html>`. Browsers show it as part of the body, and so must
    /// everything that reads the body (the article text, the links), so it is moved there, in
    /// order. A second document's `<head>` stays out, as a browser ignores it.
    private static func moveIntoBody(_ body: xmlNodePtr, from first: xmlNodePtr?) {
        var next = first
        while let n = next {
            next = n.pointee.next
            let node = Node(n)
            if node.isElement("head") { continue }
            xmlUnlinkNode(n)
            if node.isElement("html") || node.isElement("body") {
                moveIntoBody(body, from: n.pointee.children)
                xmlFreeNode(n)
            } else {
                // A text node may be merged into the body's last one (and freed): `n` is not used again.
                xmlAddChild(body, n)
            }
        }
    }

    /// Convenience for tests and callers holding a String.
    public convenience init(html: String, url: String? = nil) throws {
        try self.init(bytes: Array(html.utf8), encoding: "UTF-8", url: url)
    }

    /// The `<head>` element, if any.
    public var head: Node? { root?.children.first { $0.isElement("head") } }
    /// The `<body>` element, if any.
    public var body: Node? { root?.children.first { $0.isElement("body") } }
}

/// An XML document (feeds, sitemaps), parsed with recovery, without network access or entity
/// expansion, so hostile input cannot reach files or blow up in size.
public final class XMLDocument: Document {
    public init(bytes: [UInt8], url: String? = nil) throws {
        let options = try XMLDocument.readingOptions(for: bytes)
        let parsed: xmlDocPtr? = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { p in
                xmlReadMemory(p, Int32(clamping: buf.count), url, nil, options)
            }
        }
        guard let parsed, xmlDocGetRootElement(parsed) != nil else {
            if let parsed { xmlFreeDoc(parsed) }
            throw XMLError.unparsable("not well-formed XML")
        }
        super.init(doc: parsed)
    }

    /// What every XML read (the tree here, the stream in `XMLStream`) does first: libxml2 set
    /// up, empty input refused, errors kept off stderr. Returns the parser options both use:
    /// recovery, no network, no entity expansion, CDATA as text.
    static func readingOptions(for bytes: [UInt8]) throws -> Int32 {
        _ = libxml2Initialized
        guard !bytes.isEmpty else { throw XMLError.empty }
        herald_xml_silence_errors()
        return Int32(XML_PARSE_RECOVER.rawValue | XML_PARSE_NOERROR.rawValue
            | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_COMPACT.rawValue
            | XML_PARSE_NOCDATA.rawValue)
    }
}

extension String {
    /// The string without leading and trailing Unicode whitespace (no Foundation needed).
    public func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[start...end])
    }
}
