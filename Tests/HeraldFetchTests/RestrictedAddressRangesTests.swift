import HeraldFetch
import Testing

@Suite("RestrictedAddressRanges")
struct RestrictedAddressRangesTests {
    @Test(arguments: [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1",
        "100.127.255.255", "169.254.1.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
        "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1",
        "::ffff:10.0.0.1", "64:ff9b::a00:1",
    ])
    func refusesInternalAddresses(_ address: String) {
        #expect(RestrictedAddressRanges.refusalReason(address) != nil)
        #expect(RestrictedAddressRanges.refusalReason(address, allowPrivateNetworks: true) == nil)
    }

    @Test(arguments: ["169.254.169.254", "fd00:ec2::254", "::ffff:169.254.169.254", "100.100.100.200"])
    func alwaysRefusesCloudMetadata(_ address: String) {
        #expect(RestrictedAddressRanges.refusalReason(address) == "cloud metadata address")
        #expect(RestrictedAddressRanges.refusalReason(address, allowPrivateNetworks: true) == "cloud metadata address")
    }

    @Test(arguments: ["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
                      "2001:4860:4860::8888", "::ffff:8.8.8.8"])
    func allowsPublicAddresses(_ address: String) {
        #expect(RestrictedAddressRanges.refusalReason(address) == nil)
    }

    @Test func namesWhatIsNotAnAddress() {
        #expect(RestrictedAddressRanges.refusalReason("example.com") == "not an IP address")
        #expect(RestrictedAddressRanges.refusalReason("1.2.3") == "not an IP address")
        #expect(RestrictedAddressRanges.refusalReason("1::2::3") == "not an IP address")
    }
}
