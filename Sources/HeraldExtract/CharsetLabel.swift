import Foundation
import HeraldXML

/// Maps the charset labels pages and servers use to names glibc's iconv understands, following
/// the WHATWG Encoding Standard's aliases (`iso-8859-1` means windows-1252, `gb2312` means
/// GB18030, `euc-kr` means windows-949, `shift_jis` means windows-31J).
enum CharsetLabel {
    static func iconvName(for label: String, declaredInPage: Bool) -> String? {
        let key = label.trimmingWhitespace().lowercased()
            .trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        guard !key.isEmpty else { return nil }
        if let known = aliases[key] {
            // A page that parses as ASCII cannot really be UTF-16: browsers read it as UTF-8.
            if declaredInPage, known.hasPrefix("UTF-16") { return "UTF-8" }
            return known
        }
        if key.hasPrefix("iso-8859-") || key.hasPrefix("iso8859-") || key.hasPrefix("iso_8859-") {
            let number = key.split(separator: "-").last.map(String.init) ?? ""
            if let n = Int(number), (2...16).contains(n) { return "ISO-8859-\(n)" }
        }
        if key.hasPrefix("windows-125") || key.hasPrefix("cp125") || key.hasPrefix("x-cp125") {
            if let digit = key.last, digit.isNumber { return "CP125\(digit)" }
        }
        // Anything else iconv itself knows (e.g. `euc-jp`, `iso-2022-jp`).
        let upper = key.uppercased()
        return CharsetDecoder.supports(upper) ? upper : nil
    }

    private static let aliases: [String: String] = {
        var map: [String: String] = [:]
        func add(_ name: String, _ labels: [String]) { for l in labels { map[l] = name } }
        add("UTF-8", ["utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8"])
        add("UTF-16LE", ["utf-16", "utf-16le", "ucs-2", "unicode", "unicodefeff"])
        add("UTF-16BE", ["utf-16be", "unicodefffe"])
        add("CP1252", ["us-ascii", "ascii", "ansi_x3.4-1968", "iso-8859-1", "iso8859-1", "iso_8859-1",
                       "iso-ir-100", "latin1", "l1", "cp819", "ibm819", "csisolatin1", "iso88591",
                       "windows-1252", "cp1252", "x-cp1252", "iso_8859-1:1987"])
        add("CP1254", ["iso-8859-9", "iso8859-9", "iso_8859-9", "latin5", "l5", "windows-1254", "cp1254"])
        add("CP874", ["tis-620", "windows-874", "iso-8859-11", "iso8859-11", "dos-874"])
        add("CP932", ["shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "ms932", "windows-31j",
                      "csshiftjis", "cp932"])
        add("GB18030", ["gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "chinese", "csgb2312",
                        "gb_2312-80", "gb_2312", "iso-ir-58", "windows-936", "euc-cn"])
        add("BIG5-HKSCS", ["big5", "big5-hkscs", "x-x-big5", "cn-big5", "csbig5"])
        add("CP949", ["euc-kr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "korean",
                      "windows-949", "cp949", "csksc56011987", "iso-ir-149", "cseuckr"])
        add("KOI8-R", ["koi8-r", "koi8_r", "koi8", "koi", "cskoi8r"])
        add("KOI8-U", ["koi8-u", "koi8-ru"])
        add("EUC-JP", ["euc-jp", "x-euc-jp", "cseucpkdfmtjapanese"])
        add("ISO-2022-JP", ["iso-2022-jp", "csiso2022jp"])
        add("MACINTOSH", ["macintosh", "mac", "x-mac-roman", "csmacintosh"])
        add("CP866", ["ibm866", "cp866", "866", "csibm866"])
        return map
    }()
}
