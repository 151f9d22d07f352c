//! Who is asking: the TCP peer, or, when that peer is one of our own reverse proxies, the
//! address the proxies report. Rate limits are keyed by it, so behind a proxy one attacker does
//! not lock everyone out, and a client cannot escape its limit by sending its own
//! `X-Forwarded-For` to a server that is not behind a proxy.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;

/// Which header the proxies write. Only one is read: a client may send the other one itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, proxy2` (nginx, HAProxy, most load balancers).
    XForwardedFor,
    /// `Forwarded: for=client, for=proxy1` (RFC 7239).
    Forwarded,
}

/// The reverse proxies in front of the app (`TRUSTED_PROXIES`: addresses or networks, with an
/// optional `forwarded:` prefix to read RFC 7239 `Forwarded` instead of `X-Forwarded-For`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrustedProxies {
    networks: Vec<IpNet>,
    header: ForwardedHeader,
}

impl TrustedProxies {
    /// No proxy: the TCP peer is the client.
    pub fn none() -> Self {
        Self {
            networks: Vec::new(),
            header: ForwardedHeader::XForwardedFor,
        }
    }

    /// `10.0.0.0/8, 192.168.1.7, ::1`, or `forwarded: 10.0.0.0/8` for the `Forwarded` header.
    pub fn parse(list: &str) -> Result<Self, String> {
        let (header, list) = match list.trim().strip_prefix("forwarded:") {
            Some(rest) => (ForwardedHeader::Forwarded, rest),
            None => (ForwardedHeader::XForwardedFor, list),
        };
        let networks = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|entry| {
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{entry:?} is not an IP address or network like 10.0.0.0/8"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self { networks, header })
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.networks.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a request that came from `peer` with `headers`. The proxies'
    /// list is read from the right (the hop nearest to us) and the first address that is not
    /// one of our proxies is the client: everything left of it was written by the client and
    /// proves nothing. Without a trusted peer, or with an unreadable entry, the nearest known
    /// address is used.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            return canonical(peer);
        }
        let hops = match self.header {
            ForwardedHeader::XForwardedFor => x_forwarded_for(headers),
            ForwardedHeader::Forwarded => forwarded(headers),
        };
        let mut client = canonical(peer);
        for hop in hops.iter().rev() {
            let Some(ip) = hop else { break };
            client = canonical(*ip);
            if !self.trusts(client) {
                break;
            }
        }
        client
    }
}

/// IPv4 clients seen through an IPv6 socket (`::ffff:1.2.3.4`) are IPv4 clients.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The key a client's attempts are counted under: its IPv4 address, or its IPv6 /64 (one
/// subscriber usually holds a whole /64, so counting single IPv6 addresses limits nothing).
pub fn limit_key(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let network = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(Ipv6Addr::from(network))
        }
        v4 => v4,
    }
}

/// The network `ip` sends from, as the console's signals group signups (issue 30): its /24 for
/// IPv4, its /64 for IPv6. Kept instead of the address.
pub fn sending_network(ip: IpAddr) -> String {
    match canonical(ip) {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        v6 => format!("{}/64", limit_key(v6)),
    }
}

/// One address per hop (`None`: not an address), left to right.
fn x_forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|value| value.to_str().unwrap_or("").split(','))
        .map(|entry| parse_node(entry.trim()))
        .collect()
}

/// The `for=` of each element of `Forwarded`, left to right.
fn forwarded(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("forwarded")
        .iter()
        .flat_map(|value| value.to_str().unwrap_or("").split(','))
        .map(|element| {
            let node = element.split(';').find_map(|pair| {
                let (key, value) = pair.trim().split_once('=')?;
                key.trim().eq_ignore_ascii_case("for").then(|| value.trim())
            });
            node.and_then(|n| parse_node(n.trim_matches('"')))
        })
        .collect()
}

/// `1.2.3.4`, `1.2.3.4:80`, `2001:db8::1`, `[2001:db8::1]`, `[2001:db8::1]:443`.
fn parse_node(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(addr) = node.parse::<SocketAddr>() {
        return Some(addr.ip());
    }
    node.strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .and_then(|inner| inner.parse().ok())
}

/// The client's address, as [`TrustedProxies::client_ip`] works it out.
#[derive(Clone, Copy, Debug)]
pub struct ClientIp(pub IpAddr);

impl<S> FromRequestParts<S> for ClientIp
where
    S: Send + Sync,
    TrustedProxies: FromRef<S>,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |info| info.0.ip());
        let proxies = TrustedProxies::from_ref(state);
        Ok(ClientIp(proxies.client_ip(peer, &parts.headers)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn headers(name: &'static str, values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for v in values {
            map.append(name, v.parse().unwrap());
        }
        map
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_it_claims() {
        let none = TrustedProxies::none();
        let spoofed = headers("x-forwarded-for", &["203.0.113.9"]);
        assert_eq!(none.client_ip(ip("198.51.100.1"), &spoofed), ip("198.51.100.1"));
        let other = TrustedProxies::parse("10.0.0.0/8").unwrap();
        assert_eq!(other.client_ip(ip("198.51.100.1"), &spoofed), ip("198.51.100.1"));
    }

    #[test]
    fn behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.0/8, 127.0.0.1").unwrap();
        // The client put a fake address first; our two proxies appended the real one and theirs.
        let chain = headers("x-forwarded-for", &["1.1.1.1, 203.0.113.9", "10.0.0.5"]);
        assert_eq!(proxies.client_ip(ip("127.0.0.1"), &chain), ip("203.0.113.9"));
        // Only proxies in the list: the leftmost is the best we know.
        let inner = headers("x-forwarded-for", &["10.0.0.7"]);
        assert_eq!(proxies.client_ip(ip("127.0.0.1"), &inner), ip("10.0.0.7"));
        // No header at all: the proxy itself.
        assert_eq!(
            proxies.client_ip(ip("10.0.0.1"), &HeaderMap::new()),
            ip("10.0.0.1")
        );
        // Garbage written next to us stops the walk at the last address we can vouch for.
        let garbage = headers("x-forwarded-for", &["203.0.113.9, not-an-ip"]);
        assert_eq!(proxies.client_ip(ip("10.0.0.1"), &garbage), ip("10.0.0.1"));
    }

    #[test]
    fn the_forwarded_header_is_read_only_when_configured_and_then_exclusively() {
        let proxies = TrustedProxies::parse("forwarded: 10.0.0.1").unwrap();
        let mut both = headers(
            "forwarded",
            &["for=192.0.2.60;proto=https, for=\"[2001:db8:cafe::17]:4711\""],
        );
        both.append("x-forwarded-for", "198.51.100.77".parse().unwrap());
        assert_eq!(proxies.client_ip(ip("10.0.0.1"), &both), ip("2001:db8:cafe::17"));
        let xff = TrustedProxies::parse("10.0.0.1").unwrap();
        assert_eq!(xff.client_ip(ip("10.0.0.1"), &both), ip("198.51.100.77"));
        let port = headers("forwarded", &["for=192.0.2.60:8080"]);
        assert_eq!(proxies.client_ip(ip("10.0.0.1"), &port), ip("192.0.2.60"));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64_and_mapped_ipv4_as_ipv4() {
        assert_eq!(limit_key(ip("2001:db8:1:2:aaaa::1")), ip("2001:db8:1:2::"));
        assert_eq!(
            limit_key(ip("2001:db8:1:2:ffff::9")),
            limit_key(ip("2001:db8:1:2::1"))
        );
        assert_ne!(limit_key(ip("2001:db8:1:3::1")), limit_key(ip("2001:db8:1:2::1")));
        assert_eq!(limit_key(ip("::ffff:203.0.113.9")), ip("203.0.113.9"));
        assert_eq!(limit_key(ip("203.0.113.9")), ip("203.0.113.9"));
    }

    #[test]
    fn bad_entries_are_refused_with_a_readable_reason() {
        let error = TrustedProxies::parse("10.0.0.0/8, proxy.internal").unwrap_err();
        assert!(error.contains("proxy.internal"), "{error}");
    }
}
