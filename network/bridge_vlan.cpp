#include "bridge_vlan.hpp"

#include <linux/if_bridge.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>

#include "error.hpp"
#include "netlink.hpp"

namespace lxcd::net {

namespace {

using NlMsgPtr = std::unique_ptr<nl_msg, detail::Deleter<nlmsg_free>>;

NlMsgPtr link_request(int type, int flags, int family, int ifindex) {
    NlMsgPtr msg(nlmsg_alloc_simple(type, flags));
    ifinfomsg ifi{};
    ifi.ifi_family = static_cast<unsigned char>(family);
    ifi.ifi_index = ifindex;
    if (!msg || nlmsg_append(msg.get(), &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0)
        throw Error(Errc::Failed, "cannot build a rtnetlink link request");
    return msg;
}

// NL_CB_VALID handler: pulls IFLA_BR_* out of IFLA_LINKINFO/IFLA_INFO_DATA.
int parse_bridge_info(nl_msg* msg, void* arg) {
    auto* out = static_cast<BridgeVlanSettings*>(arg);
    nlattr* tb[IFLA_MAX + 1];
    nlattr* info[IFLA_INFO_MAX + 1];
    nlattr* br[IFLA_BR_MAX + 1];
    if (nlmsg_parse(nlmsg_hdr(msg), sizeof(ifinfomsg), tb, IFLA_MAX, nullptr) < 0 ||
        !tb[IFLA_LINKINFO] ||
        nla_parse_nested(info, IFLA_INFO_MAX, tb[IFLA_LINKINFO], nullptr) < 0 ||
        !info[IFLA_INFO_DATA] ||
        nla_parse_nested(br, IFLA_BR_MAX, info[IFLA_INFO_DATA], nullptr) < 0)
        return NL_SKIP;
    if (br[IFLA_BR_VLAN_FILTERING])
        out->filtering = nla_get_u8(br[IFLA_BR_VLAN_FILTERING]) != 0;
    if (br[IFLA_BR_VLAN_DEFAULT_PVID])
        out->default_pvid = nla_get_u16(br[IFLA_BR_VLAN_DEFAULT_PVID]);
    return NL_OK;
}

int port_vlan(nl_sock* sock, int type, int port_ifindex, uint16_t vid, uint16_t flags) {
    NlMsgPtr msg = link_request(type, 0, AF_BRIDGE, port_ifindex);
    bridge_vlan_info vlan{flags, vid};
    nlattr* spec = nla_nest_start(msg.get(), IFLA_AF_SPEC);
    if (!spec || nla_put(msg.get(), IFLA_BRIDGE_VLAN_INFO, sizeof(vlan), &vlan) < 0 ||
        nla_nest_end(msg.get(), spec) < 0)
        throw Error(Errc::Failed, "cannot build a bridge VLAN request");
    return nl_send_sync(sock, msg.release()); // frees the message
}

} // namespace

BridgeVlanSettings bridge_vlan_settings(int bridge_ifindex) {
    // A socket of its own: the custom callback and any unread ACK die with it.
    NlSocket sock = open_route_socket();
    BridgeVlanSettings settings;
    nl_socket_modify_cb(sock.get(), NL_CB_VALID, NL_CB_CUSTOM, parse_bridge_info, &settings);
    NlMsgPtr msg = link_request(RTM_GETLINK, 0, AF_UNSPEC, bridge_ifindex);
    if (int err = nl_send_auto(sock.get(), msg.get()); err < 0)
        throw_nl("cannot query bridge #" + std::to_string(bridge_ifindex), err);
    if (int err = nl_recvmsgs_default(sock.get()); err < 0)
        throw_nl("cannot read bridge #" + std::to_string(bridge_ifindex), err);
    return settings;
}

int bridge_port_vlan_add(nl_sock* sock, int port_ifindex, uint16_t vid, bool untagged) {
    uint16_t flags = untagged ? BRIDGE_VLAN_INFO_PVID | BRIDGE_VLAN_INFO_UNTAGGED : 0;
    return port_vlan(sock, RTM_SETLINK, port_ifindex, vid, flags);
}

int bridge_port_vlan_del(nl_sock* sock, int port_ifindex, uint16_t vid) {
    return port_vlan(sock, RTM_DELLINK, port_ifindex, vid, 0);
}

} // namespace lxcd::net
