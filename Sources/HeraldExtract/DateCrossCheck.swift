import Foundation
import HeraldFormats

/// Checks the metadata's publication date against what the page shows its readers, for the
/// two ways metadata is right about the moment but wrong about the day a reader sees:
///
/// - **Sources disagree.** When the metadata's dates (every publication date it gives, then
///   its modified date) name more than one day and the first-ranked one is not printed near
///   the headline (nor in the URL path), the first of them that is printed wins: content
///   systems keep a draft's creation date as "published", or a generic `date` tag that is
///   really the last edit, while the page prints the day the article went out.
/// - **UTC shifts the day.** A timestamp in UTC (`Z`, `+00:00`) that another metadata date gives
///   as the same moment in local time on another day takes that local date and offset.
///   One whose day is not printed, while the day before or after is stated firmly (in the URL
///   path, or printed with a time of day) and the UTC hour allows an offset of -12 to +14
///   hours, is the publisher's local day: that day is taken, with the local time and offset
///   when a metadata date gives that same day with a time, else as a date alone.
///
/// Only runs the visible-page scan when one of the two can apply: the common page whose
/// sources agree on a day in a non-UTC offset costs nothing.
struct DateCrossCheck {
    /// Publication dates from the metadata, most trusted first (not empty).
    let metadata: [ParsedDate]
    let modified: ParsedDate?
    let urlDate: ParsedDate?
    /// The first date came from a key that does not say it is the publication's (`date`,
    /// `dc.date`): a date line printed by the headline outranks it.
    var primaryIsGeneric = false

    /// The corrected date, or nil to keep the first metadata date.
    func resolve(scan: () -> DateSearch) -> String? {
        guard let primary = metadata.first else { return nil }
        let ranked = metadata + (modified.map { [$0] } ?? [])
        let disagree = Set(ranked.map(\.dayNumber)).count > 1
        let utc = primary.time != nil && primary.offsetMinutes == 0
        guard disagree || utc || primaryIsGeneric else { return nil }
        // The same moment written in the publisher's own time elsewhere in the metadata says
        // which day it was there; no need to look at the page.
        if utc, let local = metadata.dropFirst().lazy.compactMap({ Self.sameMoment($0, asUTC: primary) }).first {
            return local.iso
        }

        // The URL path's day is always among the days shown: when it is the metadata's, every
        // rule below keeps the metadata's date, and the page need not be read.
        if let urlDate, urlDate.dayNumber == primary.dayNumber { return nil }
        let search = scan()
        let shown = shownDays(search)
        var chosen = primary
        if primaryIsGeneric, !shown.contains(primary.dayNumber), let printed = search.printedByline(urlDate: urlDate) {
            return printed.iso
        }
        if disagree, !shown.contains(primary.dayNumber), let printed = ranked.first(where: { shown.contains($0.dayNumber) }) {
            chosen = printed
        }
        guard chosen.time != nil, chosen.offsetMinutes == 0, !shown.contains(chosen.dayNumber),
              let hour = chosen.time?.hour else {
            return chosen == primary ? nil : chosen.iso
        }
        // West of UTC the local day is the one before (possible while the UTC hour is below
        // 12); east of it the one after (UTC hour 10 or later, offsets reach +14).
        // The local day needs more than a bare printed date (a page's "today" bar prints one):
        // the URL path's day, or a date printed with its time of day.
        let confirmed = confirmedDays(search)
        let localDay: Int
        if hour < 12, confirmed.contains(chosen.dayNumber - 1) {
            localDay = chosen.dayNumber - 1
        } else if hour >= 10, confirmed.contains(chosen.dayNumber + 1) {
            localDay = chosen.dayNumber + 1
        } else {
            return chosen == primary ? nil : chosen.iso
        }
        if let local = metadata.first(where: { $0.dayNumber == localDay && $0.time != nil }) {
            return Self.withOffset(local, utc: chosen).iso
        }
        let (y, m, d) = CivilCalendar.date(fromDays: localDay)
        return ParsedDate.plausible(year: y, month: m, day: d)?.iso
    }

    /// Days printed near the headline (date lines and bylines, whatever their label) and in
    /// the URL path.
    private func shownDays(_ search: DateSearch) -> Set<Int> {
        var days = Set(search.candidates.filter {
            $0.blockLength <= DateSearch.shortBlock && $0.distance >= -DateSearch.beforeHeadline
                && $0.distance <= DateSearch.afterHeadline
        }.map(\.date.dayNumber))
        if let urlDate { days.insert(urlDate.dayNumber) }
        return days
    }

    /// `candidate` when it is the moment of the UTC date `utc` written in a local time on
    /// another day: with its own non-zero offset, or without one but minutes and seconds equal
    /// and a plausible offset between them (which it then gets).
    static func sameMoment(_ candidate: ParsedDate, asUTC utc: ParsedDate) -> ParsedDate? {
        guard candidate.dayNumber != utc.dayNumber, let ct = candidate.time, let ut = utc.time else { return nil }
        let candidateMinutes = candidate.dayNumber * 1440 + ct.hour * 60 + ct.minute
        let utcMinutes = utc.dayNumber * 1440 + ut.hour * 60 + ut.minute
        guard ct.second == ut.second else { return nil }
        if let offset = candidate.offsetMinutes {
            return offset != 0 && candidateMinutes - offset == utcMinutes ? candidate : nil
        }
        let fitted = withOffset(candidate, utc: utc)
        return fitted.offsetMinutes == nil ? nil : fitted
    }

    /// Days the page states firmly: printed near the headline with a time of day, or in the
    /// URL path.
    private func confirmedDays(_ search: DateSearch) -> Set<Int> {
        var days = Set(search.candidates.filter {
            $0.date.time != nil && $0.blockLength <= DateSearch.shortBlock && $0.distance >= -DateSearch.beforeHeadline
                && $0.distance <= DateSearch.afterHeadline
        }.map(\.date.dayNumber))
        if let urlDate { days.insert(urlDate.dayNumber) }
        return days
    }

    /// A local time without an offset ("2023-11-08 22:28:35") that is the same moment as a UTC
    /// one gets the offset that makes it so, when that is a plausible zone (quarter hours,
    /// -12 to +14 hours).
    static func withOffset(_ local: ParsedDate, utc: ParsedDate) -> ParsedDate {
        guard local.offsetMinutes == nil, let lt = local.time, let ut = utc.time else { return local }
        let localMinutes = local.dayNumber * 1440 + lt.hour * 60 + lt.minute
        let utcMinutes = utc.dayNumber * 1440 + ut.hour * 60 + ut.minute
        let offset = localMinutes - utcMinutes
        guard offset % 15 == 0, offset >= -12 * 60, offset <= 14 * 60, lt.second == ut.second else { return local }
        var result = local
        result.offsetMinutes = offset
        return result
    }
}
