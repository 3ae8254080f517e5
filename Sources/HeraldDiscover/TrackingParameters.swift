/// The query parameters that only identify a campaign, click or share and never select
/// content, so `CrawlURL` drops them: two links to one article that differ only in these are
/// one URL. Names compare case-insensitively.
public enum TrackingParameters {
    /// Parameters dropped by exact name.
    public static let names: Set<String> = [
        // ad-click identifiers
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "li_fat_id", "igshid", "igsh", "s_kwcid", "ef_id",
        // mail campaigns (Mailchimp, HubSpot, Marketo, Vero)
        "mc_cid", "mc_eid", "_hsenc", "_hsmi", "hsctatracking", "mkt_tok", "vero_id", "vero_conv",
        "oly_anon_id", "oly_enc_id", "wickedid",
        // analytics and share tags used by news sites
        "_ga", "_gl", "ref_src", "ref_url", "cmp", "cmpid", "ocid", "ncid", "smid", "xtor",
        "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3", "at_custom4",
        "at_format", "at_link_id", "at_link_origin", "at_link_type", "at_ptr_name", "at_bbc_team",
        "__twitter_impression", "sr_share", "share_id",
    ]

    /// Parameters dropped by prefix (`utm_source`, `utm_medium`, ..., HubSpot's `__hs...`).
    public static let prefixes: [String] = ["utm_", "__hs"]

    static func isTracking(_ key: ArraySlice<UInt8>) -> Bool {
        guard !key.isEmpty, key.count <= 32 else { return false }
        let lower = String(decoding: key.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        if names.contains(lower) { return true }
        return prefixes.contains { lower.hasPrefix($0) }
    }
}
