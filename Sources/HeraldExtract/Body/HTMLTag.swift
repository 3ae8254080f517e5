/// The HTML elements body extraction treats differently, with what they mean for layout and
/// scoring. Other block-level HTML elements are `.otherBlock`; anything else, custom elements
/// included, is `.otherInline`, as browsers display unknown elements inline.
enum HTMLTag: UInt8, Sendable {
    case html, body, p, div, section, article, main, pre, blockquote, td, th, tr, table, li, ul, ol
    case dl, dt, dd, h1, h2, h3, h4, h5, h6, a, br, img, form, address, figure, figcaption, header
    case footer, nav, aside, center, font, span
    case otherBlock, otherInline
    /// Elements whose content is never article text.
    case junk

    init(name: String) {
        self = HTMLTag.byName[name] ?? .otherInline
    }

    private static let byName: [String: HTMLTag] = {
        var map: [String: HTMLTag] = [
            "html": .html, "body": .body, "p": .p, "div": .div, "section": .section,
            "article": .article, "main": .main, "pre": .pre, "blockquote": .blockquote, "td": .td,
            "th": .th, "tr": .tr, "table": .table, "li": .li, "ul": .ul, "ol": .ol, "dl": .dl,
            "dt": .dt, "dd": .dd, "h1": .h1, "h2": .h2, "h3": .h3, "h4": .h4, "h5": .h5, "h6": .h6,
            "a": .a, "br": .br, "img": .img, "form": .form, "address": .address, "figure": .figure,
            "figcaption": .figcaption, "header": .header, "footer": .footer, "nav": .nav,
            "aside": .aside, "center": .center, "font": .font, "span": .span,
        ]
        for name in ["abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd",
                     "mark", "q", "s", "samp", "small", "strike", "strong", "sub", "sup", "time",
                     "u", "var", "wbr", "tt", "big", "del", "ins", "label", "acronym", "nobr",
                     "picture", "source"] {
            map[name] = .otherInline
        }
        for name in ["hr", "details", "summary", "fieldset", "legend", "hgroup", "caption",
                     "colgroup", "thead", "tbody", "tfoot", "dir", "listing", "xmp", "plaintext",
                     "search", "noframes"] {
            map[name] = .otherBlock
        }
        for name in ["script", "style", "noscript", "template", "iframe", "svg", "math", "canvas",
                     "object", "embed", "video", "audio", "button", "input", "select", "textarea",
                     "option", "optgroup", "datalist", "dialog", "menu", "map", "head", "title",
                     "meta", "link", "frameset", "frame", "applet", "param", "track", "output",
                     "progress", "meter"] {
            map[name] = .junk
        }
        return map
    }()

    /// True for elements that flow inside a line of text (their text joins the surrounding text).
    var isInline: Bool {
        switch self {
        case .a, .br, .img, .font, .span, .otherInline: return true
        default: return false
        }
    }

    var isHeading: Bool {
        switch self {
        case .h1, .h2, .h3, .h4, .h5, .h6: return true
        default: return false
        }
    }

    /// Containers that are dropped as a whole during cleaning: page chrome by definition.
    var isChrome: Bool {
        switch self {
        case .nav, .aside, .footer, .header, .figure, .figcaption, .junk: return true
        default: return false
        }
    }
}
