/// Which hosts belong to one publisher, approximated without the Public Suffix List: the
/// registrable domain is the last two labels, or three when the second-level label is a generic
/// one under a country code (`bbc.co.uk`, `news.com.au`, `annahar.com.lb`); its first label is
/// the brand, so `www.bbc.com` and `www.bbc.co.uk` are one publisher.
enum SiteIdentity {
    static func brand(_ host: String) -> Substring {
        let domain = registrableDomain(host)
        return domain.split(separator: ".").first ?? Substring(domain)
    }

    private static let secondLevel: Set<String> = [
        "co", "com", "net", "org", "gov", "edu", "ac", "or", "ne", "go", "gob", "gv", "mil", "nic", "info",
    ]

    static func registrableDomain(_ host: String) -> String {
        // An IP address is its own site.
        if host.hasPrefix("[") || host.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }) { return host }
        let labels = host.split(separator: ".")
        guard labels.count > 2 else { return host }
        let n = labels.count
        if labels[n - 1].count == 2 && secondLevel.contains(String(labels[n - 2])) {
            return labels[(n - 3)...].joined(separator: ".")
        }
        return labels[(n - 2)...].joined(separator: ".")
    }
}
