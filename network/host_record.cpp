#include "host_record.hpp"

#include <arpa/inet.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "error.hpp"
#include "state_dir.hpp"

namespace lxcd::net {

namespace {

size_t address_length(int family) {
    return family == AF_INET ? sizeof(in_addr) : sizeof(in6_addr);
}

bool parse_address(const std::string& text, ProxyEntry& e) {
    e.family = text.find(':') == std::string::npos ? AF_INET : AF_INET6;
    return inet_pton(e.family, text.c_str(), e.addr.data()) == 1;
}

bool parse_line(const std::string& line, HostRecord& record) {
    std::istringstream fields(line);
    std::string kind, rest;
    int ifindex = 0;
    if (!(fields >> kind >> ifindex) || ifindex <= 0)
        return false;
    if (kind == "phys") {
        PhysOrigin o;
        o.ifindex = ifindex;
        std::string mac;
        if (!(fields >> o.name >> o.mtu >> mac) || (mac != "-" && !(o.mac = parse_hwaddr(mac))))
            return false;
        record.phys.push_back(std::move(o));
    } else if (kind == "proxy") {
        ProxyEntry e;
        e.ifindex = ifindex;
        std::string address;
        if (!(fields >> address) || !parse_address(address, e))
            return false;
        record.proxies.push_back(e);
    } else {
        return false;
    }
    return !(fields >> rest);
}

} // namespace

IpBytes ProxyEntry::bytes() const {
    return {family, addr.data(), address_length(family)};
}

std::string ProxyEntry::address() const {
    char text[INET6_ADDRSTRLEN] = {};
    inet_ntop(family, addr.data(), text, sizeof(text));
    return text;
}

void write_host_record(const std::filesystem::path& file, const HostRecord& record) {
    if (record.empty()) {
        std::error_code ec;
        std::filesystem::remove(file, ec);
        return;
    }
    std::ostringstream text;
    for (const auto& o : record.phys)
        text << "phys " << o.ifindex << ' ' << o.name << ' ' << o.mtu << ' '
             << (o.mac ? format_hwaddr(*o.mac) : "-") << '\n';
    for (const auto& e : record.proxies)
        text << "proxy " << e.ifindex << ' ' << e.address() << '\n';
    runtime::write_file_atomic(file.parent_path(), file.filename().string(), text.str());
}

HostRecord read_host_record(const std::filesystem::path& file) {
    HostRecord record;
    std::ifstream in(file);
    std::string line;
    for (unsigned lineno = 1; std::getline(in, line); lineno++) {
        if (!parse_line(line, record))
            throw Error(Errc::InvalidArgument, file.string() + ":" + std::to_string(lineno) +
                                                   ": malformed network record \"" + line + "\"");
    }
    return record;
}

} // namespace lxcd::net
