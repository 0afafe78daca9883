using System.Net;
using System.Net.Sockets;

namespace QuoteToCash.ServiceDefaults.Outbound;

/// <summary>Classifies IP addresses, looking through IPv4-mapped, NAT64 and 6to4 IPv6 forms to the IPv4 address inside.</summary>
public static class OutboundAddresses
{
    public static AddressKind Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            return ClassifyV4(address.MapToIPv4().GetAddressBytes());
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ClassifyV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => ClassifyV6(address.GetAddressBytes()),
            _ => AddressKind.Reserved,
        };
    }

    private static AddressKind ClassifyV4(byte[] b) => (b[0], b[1], b[2]) switch
    {
        (0, _, _) => AddressKind.Reserved,
        (127, _, _) => AddressKind.Loopback,
        (169, 254, _) => AddressKind.LinkLocal,
        (10, _, _) => AddressKind.Private,
        (172, >= 16 and <= 31, _) => AddressKind.Private,
        (192, 168, _) => AddressKind.Private,
        (100, >= 64 and <= 127, _) => AddressKind.Private,
        (192, 0, 0) or (192, 0, 2) or (198, 51, 100) or (203, 0, 113) => AddressKind.Reserved,
        (198, 18 or 19, _) => AddressKind.Reserved,
        ( >= 224, _, _) => AddressKind.Reserved,
        _ => AddressKind.Public,
    };

    private static AddressKind ClassifyV6(byte[] b)
    {
        if (b.Take(15).All(x => x == 0))
            return b[15] switch { 1 => AddressKind.Loopback, _ => AddressKind.Reserved };
        if (b.Take(12).All(x => x == 0))
            return AddressKind.Reserved; // IPv4-compatible, deprecated
        if (b[0] == 0xff)
            return AddressKind.Reserved;
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
            return AddressKind.LinkLocal;
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
            return AddressKind.Private;
        if ((b[0] & 0xfe) == 0xfc)
            return AddressKind.Private;
        // 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) carry an IPv4 address that is what is really reached.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.Skip(4).Take(8).All(x => x == 0))
            return Embedded(ClassifyV4(b[12..16]));
        if (b[0] == 0x20 && b[1] == 0x02)
            return Embedded(ClassifyV4(b[2..6]));
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
            return AddressKind.Reserved; // documentation
        return AddressKind.Public;
    }

    private static AddressKind Embedded(AddressKind inner) => inner == AddressKind.Public ? AddressKind.Public : AddressKind.Reserved;
}
